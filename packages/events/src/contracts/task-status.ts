import { z } from 'zod';
import { issuedDocumentSchema, participantCodeSchema, uuidSchema } from './common';
import { defineEvent } from './define-event';
import { TASK_STATUS_TOPIC } from './topics';

export const TASK_STATUSES = ['RECEIVED', 'IN_REVIEW', 'APPROVED', 'REJECTED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A participant reports progress on its task, with the documents it issued when approving. */
export const taskStatusDataSchema = z
  .strictObject({
    taskId: uuidSchema,
    applicationId: uuidSchema,
    participant: participantCodeSchema,
    status: z.enum(TASK_STATUSES),
    /** Why the task was rejected (required then), or a note for the citizen. */
    reason: z.string().min(1).max(500).optional(),
    documents: z.array(issuedDocumentSchema).default([]),
  })
  .refine((data) => data.status !== 'REJECTED' || data.reason !== undefined, {
    message: 'a REJECTED task status needs a reason',
    path: ['reason'],
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
