import { inboxTable, outboxTable, taskApprovalTable } from '@simpul/events';
import { date, index, pgSchema, text, uuid, varchar, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const immigration = pgSchema('immigration');

/** REPLACED: superseded by a newer passport issued on a replacement application. */
export const passportStatusEnum = immigration.enum('passport_status', ['VALID', 'EXPIRED', 'REVOKED', 'LOST', 'REPLACED']);
export const passportKindEnum = immigration.enum('passport_kind', ['REGULAR', 'ELECTRONIC']);

/** A passport issued to a citizen, identified by its number (one letter and seven digits). */
export const passports = immigration.table(
  'passport',
  {
    number: varchar('number', { length: 8 }).primaryKey(),
    nik: varchar('nik', { length: 16 }).notNull(),
    status: passportStatusEnum('status').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    issuingOffice: text('issuing_office').notNull(),
    /** As applied for through the MPP (null for passports issued before). */
    kind: passportKindEnum('kind'),
    /** The passport issued in place of this one. */
    replacedBy: varchar('replaced_by', { length: 8 }).references((): AnyPgColumn => passports.number),
    /** The MPP task that issued the passport: a task sent again gets the same passport, not a second one. */
    taskId: uuid('task_id').unique(),
  },
  (table) => [index('passport_nik_idx').on(table.nik)],
);

export type PassportRow = typeof passports.$inferSelect;
export type NewPassportRow = typeof passports.$inferInsert;

/** The tasks approved, with the passport issued: a task sent again gets the same answer (approvingOnce). */
export const taskApprovals = taskApprovalTable(immigration);

export const inbox = inboxTable(immigration);
export const outbox = outboxTable(immigration);

export const schema = { passports, taskApprovals, inbox, outbox };
export type ImmigrationSchema = typeof schema;
