import { z } from 'zod';
import { catalogueCodeSchema, participantCodeSchema, timestampSchema, uuidSchema } from './common';
import { defineEvent } from './define-event';
import { taskAssignedTopic } from './topics';

/**
 * A participant must act on one step of an application. Published on the participant's own topic,
 * so `inputs` may carry what that participant is entitled to see (e.g. the NIK, for Dukcapil).
 */
export const taskAssignedDataSchema = z.strictObject({
  taskId: uuidSchema,
  applicationId: uuidSchema,
  applicationType: catalogueCodeSchema,
  participant: participantCodeSchema,
  /** The catalogue step, e.g. ISSUE_NIB, REGISTER_MARRIAGE, VALIDATE_STNK. */
  taskKind: catalogueCodeSchema,
  /** The step's inputs as the catalogue declares them (JSON values keyed by camelCase names). */
  inputs: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'input names are camelCase'), z.json()),
  dueAt: timestampSchema,
  /** 1 for the first assignment; higher when the task is re-sent. */
  attempt: z.number().int().min(1),
});
export type TaskAssignedData = z.output<typeof taskAssignedDataSchema>;

export const taskAssignedV1 = defineEvent({
  type: 'mpp.task.assigned',
  version: 1,
  description: 'A participant was given a task of an application.',
  data: taskAssignedDataSchema,
  subject: uuidSchema,
  topic: (data) => taskAssignedTopic(data.participant),
  key: (data) => data.applicationId,
});
