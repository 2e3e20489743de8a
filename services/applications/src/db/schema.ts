import { APPLICATION_STATUSES, APPLICATION_TASK_STATES, inboxTable, outboxTable } from '@simpul/events';
import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgSchema, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';
import type { InputValues } from '../modules/application/application-inputs';
import type { IssuedDocument } from '../modules/task/task-inputs';
import { TIMELINE_ENTRY_KINDS } from '../modules/timeline/timeline-entry';

export const applicationsDbSchema = pgSchema('applications');

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const applicationStatusEnum = applicationsDbSchema.enum('application_status', APPLICATION_STATUSES);
export const taskStatusEnum = applicationsDbSchema.enum('task_status', APPLICATION_TASK_STATES);
// Not `timeline_…`: drizzle-kit leaves enum names that start like a native type (time…) unqualified.
export const timelineEntryKindEnum = applicationsDbSchema.enum('application_timeline_kind', TIMELINE_ENTRY_KINDS);

/**
 * An application filed at an MPP counter. Its status is derived from its tasks (see
 * deriveApplicationStatus); `updatedAt` is stamped by every drizzle update, e.g. a status change.
 */
export const applications = applicationsDbSchema.table(
  'application',
  {
    id: uuid('id').primaryKey(),
    /** An application type code of the service catalogue (data, so not a database enum). */
    type: text('type').notNull(),
    applicantNik: varchar('applicant_nik', { length: 16 }).notNull(),
    status: applicationStatusEnum('status').notNull().default('SUBMITTED'),
    submittedAt: timestamptz('submitted_at').notNull(),
    mppOffice: text('mpp_office').notNull(),
    /** The validated, normalised inputs the counter collected (the applicant's NIK is `applicantNik`). */
    inputs: jsonb('inputs').$type<InputValues>().notNull().default({}),
    /** Carried by every event about this application: the request that filed it, or its id. */
    correlationId: uuid('correlation_id').notNull().defaultRandom(),
    /** When the SLA sweep recorded that a task passed its due time undecided (once). */
    slaBreachedAt: timestamptz('sla_breached_at'),
    updatedAt: timestamptz('updated_at')
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  // Scanned backwards, it also serves one citizen's applications newest first without a sort.
  (table) => [index('application_applicant_nik_submitted_at_idx').on(table.applicantNik, table.submittedAt)],
);

/** One step of an application at one participant (agency, BUMN or bank). */
export const applicationTasks = applicationsDbSchema.table(
  'application_task',
  {
    id: uuid('id').primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** The catalogue step this task carries out, e.g. `issue-nib`. */
    stepId: text('step_id').notNull(),
    participant: text('participant').notNull(),
    kind: text('kind').notNull(),
    status: taskStatusEnum('status').notNull().default('PENDING'),
    /** Set when the task is released to its participant; the SLA clock starts then. */
    assignedAt: timestamptz('assigned_at'),
    dueAt: timestamptz('due_at'),
    /** When it was approved, rejected or cancelled. */
    completedAt: timestamptz('completed_at'),
    /** Documents the participant issued (NIB, NPWP, KK number…). */
    documents: jsonb('documents').$type<IssuedDocument[]>().notNull().default([]),
    /** Why it was rejected or cancelled, or the participant's note. */
    reason: text('reason'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz('updated_at')
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (table) => [
    unique('application_task_application_step_key').on(table.applicationId, table.stepId),
    // The SLA sweep's scan: only tasks still waiting on their participant.
    index('application_task_open_due_at_idx')
      .on(table.dueAt)
      .where(sql`${table.status} in ('ASSIGNED', 'RECEIVED', 'IN_REVIEW')`),
  ],
);

/** Everything that happened to an application, in order (`sequence` also resumes a live stream). */
export const applicationTimeline = applicationsDbSchema.table(
  'application_timeline',
  {
    sequence: bigint('sequence', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    occurredAt: timestamptz('occurred_at').notNull(),
    kind: timelineEntryKindEnum('kind').notNull(),
    taskId: uuid('task_id'),
    stepId: text('step_id'),
    participant: text('participant'),
    taskStatus: taskStatusEnum('task_status'),
    applicationStatus: applicationStatusEnum('application_status'),
    reason: text('reason'),
    documents: jsonb('documents').$type<IssuedDocument[]>(),
  },
  (table) => [index('application_timeline_application_sequence_idx').on(table.applicationId, table.sequence)],
);

/** Events committed with the state change that caused them, published by the OutboxRelay. */
export const outbox = outboxTable(applicationsDbSchema);
/** Ids of the task status events already applied, so a redelivery changes nothing. */
export const inbox = inboxTable(applicationsDbSchema);

export type ApplicationRow = typeof applications.$inferSelect;
export type ApplicationTaskRow = typeof applicationTasks.$inferSelect;
export type ApplicationTimelineRow = typeof applicationTimeline.$inferSelect;

export const schema = { applications, applicationTasks, applicationTimeline, outbox, inbox };
export type ApplicationsSchema = typeof schema;
