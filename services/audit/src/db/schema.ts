import { bigint, char, index, pgSchema, text, timestamp } from 'drizzle-orm/pg-core';

export const audit = pgSchema('audit');

export const accessKindEnum = audit.enum('access_kind', ['READ', 'CHANGE']);
export const actorTypeEnum = audit.enum('actor_type', ['user', 'client', 'anonymous']);

/**
 * The audit log: one row per citizen and kind of access in one request, append-only (a trigger
 * refuses UPDATE, DELETE and TRUNCATE; migration 0001) and hash-chained: `hash` is
 * HMAC-SHA256(AUDIT_CHAIN_KEY, prev_hash || canonical JSON of the row), `prev_hash` the hash of
 * the row before (64 zeros for the first). `sequence` is gapless, so a deleted row shows as a gap.
 */
export const auditRecords = audit.table(
  'audit_record',
  {
    sequence: bigint('sequence', { mode: 'number' }).primaryKey(),
    /** When the audit service appended it (millisecond precision, hashed as its ISO string). */
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
    /** When the request that made the access started. */
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
    /** The subgraph that served or changed the data. */
    service: text('service').notNull(),
    actor: text('actor').notNull(),
    actorType: actorTypeEnum('actor_type').notNull(),
    client: text('client').notNull(),
    roles: text('roles').array().notNull(),
    purpose: text('purpose'),
    nikHash: char('nik_hash', { length: 64 }).notNull(),
    fields: text('fields').array().notNull(),
    kind: accessKindEnum('kind').notNull(),
    correlationId: text('correlation_id').notNull(),
    prevHash: char('prev_hash', { length: 64 }).notNull(),
    hash: char('hash', { length: 64 }).notNull(),
  },
  (table) => [index('audit_record_nik_hash_idx').on(table.nikHash, table.sequence)],
);

export type AuditRecordRow = typeof auditRecords.$inferSelect;

export const schema = { auditRecords };
export type AuditSchema = typeof schema;
