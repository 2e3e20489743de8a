import { z } from 'zod';
import { catalogueCodeSchema, issuedDocumentSchema, participantCodeSchema, uuidSchema } from './common';
import { defineEvent } from './define-event';
import { APPLICATION_STATUS_TOPIC } from './topics';

export const APPLICATION_STATUSES = ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'PARTIALLY_REJECTED', 'REJECTED'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * Where one task of the application stands: PENDING until its dependencies are met, ASSIGNED once
 * released to the participant, then the participant's own statuses; CANCELLED when a step it
 * depends on was rejected.
 */
export const APPLICATION_TASK_STATES = ['PENDING', 'ASSIGNED', 'RECEIVED', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'CANCELLED'] as const;
export type ApplicationTaskState = (typeof APPLICATION_TASK_STATES)[number];

export const applicationTaskSummarySchema = z.strictObject({
  taskId: uuidSchema,
  participant: participantCodeSchema,
  taskKind: catalogueCodeSchema,
  state: z.enum(APPLICATION_TASK_STATES),
  documents: z.array(issuedDocumentSchema).default([]),
});
export type ApplicationTaskSummary = z.output<typeof applicationTaskSummarySchema>;

/** The application's derived status changed (or its SLA flag was raised); drives the live status view. */
export const applicationStatusDataSchema = z.strictObject({
  applicationId: uuidSchema,
  applicationType: catalogueCodeSchema,
  status: z.enum(APPLICATION_STATUSES),
  /** null for the first status (SUBMITTED). */
  previousStatus: z.enum(APPLICATION_STATUSES).nullable(),
  slaBreached: z.boolean(),
  tasks: z.array(applicationTaskSummarySchema).min(1),
});
export type ApplicationStatusData = z.output<typeof applicationStatusDataSchema>;

export const applicationStatusV1 = defineEvent({
  type: 'mpp.application.status',
  version: 1,
  description: 'The derived status of an application changed.',
  data: applicationStatusDataSchema,
  subject: uuidSchema,
  topic: () => APPLICATION_STATUS_TOPIC,
  key: (data) => data.applicationId,
});
