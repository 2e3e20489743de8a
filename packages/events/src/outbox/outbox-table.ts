import { sql } from 'drizzle-orm';
import { bigserial, index, integer, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The transactional outbox: events a service commits together with its state change, published to
 * the broker afterwards by the OutboxRelay. Spread it into the service's schema so drizzle-kit
 * generates its migration:
 *
 *   export const outbox = outboxTable(applicationsDbSchema);
 *   export const schema = { applications, outbox };
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      /** Insertion order: the relay publishes in this order, so one key's events stay in order. */
      id: bigserial('id', { mode: 'number' }).primaryKey(),
      eventId: uuid('event_id').notNull().unique(),
      eventType: text('event_type').notNull(),
      topic: text('topic').notNull(),
      partitionKey: text('partition_key').notNull(),
      /** The serialised event envelope, exactly as published. */
      payload: text('payload').notNull(),
      headers: jsonb('headers').$type<Record<string, string>>().notNull(),
      createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
      /** The relay instance publishing this row, and until when its claim holds. */
      claimedBy: text('claimed_by'),
      claimedUntil: timestamp('claimed_until', { withTimezone: true, mode: 'date' }),
      publishAttempts: integer('publish_attempts').notNull().default(0),
      lastError: text('last_error'),
    },
    (table) => [index('outbox_unpublished_idx').on(table.id).where(sql`${table.publishedAt} is null`)],
  );
}

export type OutboxTable = ReturnType<typeof outboxTable>;
export type OutboxRow = OutboxTable['$inferSelect'];
