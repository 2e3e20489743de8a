import { lt } from 'drizzle-orm';
import { bigint, integer, primaryKey, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { PgExecutor } from '../db';

/**
 * The idempotent inbox: the ids of the events a consumer group has applied, written in the same
 * transaction as the effect, so a redelivered event is recognised and skipped. Spread it into the
 * service's schema next to its tables:
 *
 *   export const inbox = inboxTable(dukcapilDbSchema);
 */
export function inboxTable(schema: PgSchema) {
  return schema.table(
    'inbox',
    {
      consumerGroup: text('consumer_group').notNull(),
      eventId: uuid('event_id').notNull(),
      eventType: text('event_type').notNull(),
      /** Where the event was read from, for tracing a problem back to the log. */
      topic: text('topic').notNull(),
      partition: integer('partition').notNull(),
      offset: bigint('offset', { mode: 'number' }).notNull(),
      processedAt: timestamp('processed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.consumerGroup, table.eventId] })],
  );
}

export type InboxTable = ReturnType<typeof inboxTable>;

/**
 * Forgets events processed before `olderThan`. Keep them at least as long as the broker can
 * redeliver (the topics' retention), or a late redelivery would be applied again.
 */
export async function pruneInbox(db: PgExecutor, inbox: InboxTable, olderThan: Date): Promise<number> {
  const deleted = await db.delete(inbox).where(lt(inbox.processedAt, olderThan)).returning({ eventId: inbox.eventId });
  return deleted.length;
}
