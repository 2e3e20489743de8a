import { z } from 'zod';
import { catalogueCodeSchema, nikHashSchema, participantCodeSchema, timestampSchema, uuidSchema } from './common';
import { defineEvent } from './define-event';
import { APPLICATION_SUBMITTED_TOPIC } from './topics';

/**
 * A counter officer filed an application. Carries no personal data: the applicant is the event's
 * `subject`, as hashNik(nik, pepper); the inputs travel only in the tasks of entitled participants.
 */
export const applicationSubmittedDataSchema = z.strictObject({
  applicationId: uuidSchema,
  applicationType: catalogueCodeSchema,
  /** The MPP where it was filed, e.g. "MPP Banyuwangi". */
  mppOffice: z.string().min(1).max(120),
  submittedAt: timestampSchema,
  /** Every participant with a step in this application's catalogue entry. */
  participants: z.array(participantCodeSchema).min(1),
  /** When the whole application is due under the catalogue's SLA. */
  dueAt: timestampSchema,
});
export type ApplicationSubmittedData = z.output<typeof applicationSubmittedDataSchema>;

export const applicationSubmittedV1 = defineEvent({
  type: 'mpp.application.submitted',
  version: 1,
  description: 'An application was filed at an MPP counter.',
  data: applicationSubmittedDataSchema,
  subject: nikHashSchema,
  topic: () => APPLICATION_SUBMITTED_TOPIC,
  key: (data) => data.applicationId,
});
