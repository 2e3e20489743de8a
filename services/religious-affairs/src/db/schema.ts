import { inboxTable, outboxTable, taskApprovalTable } from '@simpul/events';
import { serialCounterTable } from '@simpul/service-kit';
import { sql } from 'drizzle-orm';
import { date, index, pgSchema, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

export const religiousAffairs = pgSchema('religious_affairs');

/** A marriage registered at a KUA (Kantor Urusan Agama), as recorded on its Akta Nikah. */
export const marriages = religiousAffairs.table(
  'marriage',
  {
    id: uuid('id').primaryKey(),
    husbandNik: varchar('husband_nik', { length: 16 }).notNull(),
    wifeNik: varchar('wife_nik', { length: 16 }).notNull(),
    registeredAt: date('registered_at', { mode: 'string' }).notNull(),
    kuaOffice: text('kua_office').notNull(),
    // Serial/KUA/month/year, the district code standing in for the KUA's own code: unique across KUAs.
    certificateNumber: text('certificate_number').notNull(),
    /** Set when the marriage ends (divorce, or a spouse's death); until then it is active. */
    endedOn: date('ended_on', { mode: 'string' }),
  },
  (table) => [
    index('marriage_husband_nik_idx').on(table.husbandNik),
    index('marriage_wife_nik_idx').on(table.wifeNik),
    uniqueIndex('marriage_certificate_number_key').on(table.certificateNumber),
    // One active marriage per person: the KUA registers no second one while the first lasts.
    uniqueIndex('marriage_active_husband_key').on(table.husbandNik).where(sql`${table.endedOn} is null`),
    uniqueIndex('marriage_active_wife_key').on(table.wifeNik).where(sql`${table.endedOn} is null`),
  ],
);

/**
 * The last serial handed out per numbering scope (e.g. certificates of one KUA and year), so
 * concurrent registrations never draw the same number: the row lock serialises them.
 */
export const serialCounters = serialCounterTable(religiousAffairs);

/** Tasks this office approved, with what it issued: a task sent again gets the same answer, not a new certificate. */
export const taskApprovals = taskApprovalTable(religiousAffairs);

export const inbox = inboxTable(religiousAffairs);
export const outbox = outboxTable(religiousAffairs);

export type MarriageRow = typeof marriages.$inferSelect;

export const schema = { marriages, serialCounters, taskApprovals, inbox, outbox };
export type ReligiousAffairsSchema = typeof schema;
