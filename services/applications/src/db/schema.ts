import { index, pgSchema, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

export const applicationsDbSchema = pgSchema('applications');

export const applicationTypeEnum = applicationsDbSchema.enum('application_type', [
  'BUSINESS_START',
  'MARRIAGE_REGISTRATION',
  'ADDRESS_CHANGE',
  'BIRTH_REGISTRATION',
  'VEHICLE_ANNUAL_RENEWAL',
  'PASSPORT_APPLICATION',
]);
export const applicationStatusEnum = applicationsDbSchema.enum('application_status', [
  'SUBMITTED',
  'IN_PROGRESS',
  'COMPLETED',
  'PARTIALLY_REJECTED',
  'REJECTED',
]);

/**
 * An application filed at an MPP counter. Its status will be derived from the agency tasks it fans
 * out to (ARCHITECTURE.md §5); `updatedAt` is stamped by every drizzle update, e.g. a status change.
 */
export const applications = applicationsDbSchema.table(
  'application',
  {
    id: uuid('id').primaryKey(),
    type: applicationTypeEnum('type').notNull(),
    applicantNik: varchar('applicant_nik', { length: 16 }).notNull(),
    status: applicationStatusEnum('status').notNull().default('SUBMITTED'),
    submittedAt: timestamp('submitted_at', { withTimezone: true, mode: 'date' }).notNull(),
    mppOffice: text('mpp_office').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  // Scanned backwards, it also serves one citizen's applications newest first without a sort.
  (table) => [index('application_applicant_nik_submitted_at_idx').on(table.applicantNik, table.submittedAt)],
);

export type ApplicationRow = typeof applications.$inferSelect;

export const schema = { applications };
export type ApplicationsSchema = typeof schema;
