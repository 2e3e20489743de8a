import { z } from 'zod';
import { isCivilRegistryNumber, issuedDocumentSchema, participantCodeSchema, uuidSchema } from './common';
import { defineEvent } from './define-event';
import { TASK_STATUS_TOPIC } from './topics';

export const TASK_STATUSES = ['RECEIVED', 'IN_REVIEW', 'APPROVED', 'REJECTED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Why a task was rejected, or a note for the citizen: on the shared topic, so naming no NIK or KK number. */
export const taskStatusReasonSchema = z
  .string()
  .min(1)
  .max(500)
  .refine((reason) => !/(?<!\d)\d{16}(?!\d)/.test(reason), 'a reason on the shared status topic must not name a civil-registry number (NIK, KK)');

/**
 * A participant reports progress on its task, with the documents it issued when approving. Every
 * participant produces to this topic, so a civil-registry number (NIK, KK) is never in it, as a
 * document or in the reason: documents carry it masked (maskCivilRegistryNumber), and the full
 * number is read in the graph. (A refinement: the published JSON Schema is unchanged; only what
 * producers may send narrows.)
 */
export const taskStatusDataSchema = z
  .strictObject({
    taskId: uuidSchema,
    applicationId: uuidSchema,
    participant: participantCodeSchema,
    status: z.enum(TASK_STATUSES),
    /** Why the task was rejected (required then), or a note for the citizen. */
    reason: taskStatusReasonSchema.optional(),
    documents: z.array(issuedDocumentSchema).default([]),
  })
  .refine((data) => data.status !== 'REJECTED' || data.reason !== undefined, {
    message: 'a REJECTED task status needs a reason',
    path: ['reason'],
  })
  .refine((data) => !data.documents.some((document) => isCivilRegistryNumber(document.number)), {
    message: 'a civil-registry number (NIK, KK) travels masked on the shared topic: maskCivilRegistryNumber',
    path: ['documents'],
  });
export type TaskStatusData = z.output<typeof taskStatusDataSchema>;

export const taskStatusV1 = defineEvent({
  type: 'mpp.task.status',
  version: 1,
  description: "A participant's task changed status.",
  data: taskStatusDataSchema,
  subject: uuidSchema,
  topic: () => TASK_STATUS_TOPIC,
  key: (data) => data.applicationId,
});
