import { bigint, char, index, pgSchema, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';

export const audit = pgSchema('audit');

export const accessKindEnum = audit.enum('access_kind', ['READ', 'CHANGE']);
export const actorTypeEnum = audit.enum('actor_type', ['user', 'client', 'anonymous']);

/**
 * The audit log: one row per citizen and kind of access in one request, append-only (a trigger
 * refuses UPDATE, DELETE and TRUNCATE; migration 0001) and hash-chained in partitions: `chain` names
 * one of AUDIT_CHAINS independent chains, so writers on many connections and machines append side
 * by side instead of queueing behind one lock. Within a chain `sequence` is gapless (a deleted row
 * shows as a gap) and `hash` is HMAC-SHA256(AUDIT_CHAIN_KEY, prev_hash || canonical JSON of the row),
 * `prev_hash` the hash of the row before in that chain (64 zeros for the first).
 */
export const auditRecords = audit.table(
  'audit_record',
  {
    /** The partition of the log this record is chained in (0 … AUDIT_CHAINS − 1). */
    chain: smallint('chain').notNull().default(0),
    /** Position in its chain, gapless from 1. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    /**
     * Order of arrival across all chains, for reading a citizen's log newest first and paging it.
     * Not hashed and not gapless (a sequence generator): the chains carry the tamper evidence.
     */
    position: bigint('position', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
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
  (table) => [primaryKey({ columns: [table.chain, table.sequence] }), index('audit_record_nik_hash_position_idx').on(table.nikHash, table.position)],
);

export type AuditRecordRow = typeof auditRecords.$inferSelect;

export const schema = { auditRecords };
export type AuditSchema = typeof schema;
