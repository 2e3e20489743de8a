import type { PgExecutor } from '../db';
import { keyOf, parseEvent, serializeEvent, topicOf, type SimpulEvent } from '../contracts';
import type { OutboxTable } from './outbox-table';

/** Headers every published event carries, so tools can route and trace without parsing the body. */
export const EVENT_HEADERS = {
  eventId: 'x-simpul-event-id',
  eventType: 'x-simpul-event-type',
  traceparent: 'traceparent',
} as const;

export function eventHeaders(event: SimpulEvent): Record<string, string> {
  return {
    [EVENT_HEADERS.eventId]: event.id,
    [EVENT_HEADERS.eventType]: `${event.type}.v${event.version}`,
    [EVENT_HEADERS.traceparent]: event.traceparent,
  };
}

/**
 * Writes events to the outbox in the caller's transaction: they are published if and only if the
 * transaction commits. Enqueue after the statement that locks the state you changed (e.g. the
 * application row), so that per-key outbox order is commit order.
 */
export async function enqueue(tx: PgExecutor, outbox: OutboxTable, events: readonly SimpulEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event) => {
    // Re-validate: a hand-built or mutated event must never reach the outbox (or the topics).
    const checked = parseEvent(serializeEvent(event));
    if (!checked.ok) throw new Error(`refusing to enqueue an invalid event: ${checked.error.message}`);
    return {
      eventId: event.id,
      eventType: event.type,
      topic: topicOf(event),
      partitionKey: keyOf(event),
      payload: serializeEvent(event),
      headers: eventHeaders(event),
    };
  });
  await tx.insert(outbox).values(rows);
}
