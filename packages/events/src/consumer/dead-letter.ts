import { dlqTopic, isDlqTopic, parseEvent } from '../contracts';
import type { EventTransport, IncomingMessage } from '../transport';

/** Headers a dead letter carries on `<topic>.dlq`, next to the original message's own headers. */
export const DLQ_HEADERS = {
  /** Why: a ParseEventRule, UNHANDLED_EVENT_TYPE, UNKNOWN_PARTICIPANT, HANDLER_FAILED or PERMANENT_FAILURE. */
  rule: 'x-simpul-dlq-rule',
  error: 'x-simpul-dlq-error',
  attempts: 'x-simpul-dlq-attempts',
  consumerGroup: 'x-simpul-dlq-consumer-group',
  deadLetteredAt: 'x-simpul-dlq-at',
  originTopic: 'x-simpul-origin-topic',
  originPartition: 'x-simpul-origin-partition',
  originOffset: 'x-simpul-origin-offset',
} as const;

/**
 * Set on a message re-published from the DLQ: only this consumer group processes it again (other
 * groups already handled the original), the others skip it.
 */
export const REPLAY_FOR_GROUP_HEADER = 'x-simpul-replay-for-group';
export const REPLAYED_FROM_HEADER = 'x-simpul-replayed-from';

export type DeadLetterRule =
  | 'INVALID_JSON'
  | 'INVALID_ENVELOPE'
  | 'UNKNOWN_EVENT_TYPE'
  | 'UNKNOWN_EVENT_VERSION'
  | 'INVALID_EVENT'
  | 'UNHANDLED_EVENT_TYPE'
  | 'UNKNOWN_PARTICIPANT'
  | 'HANDLER_FAILED'
  | 'PERMANENT_FAILURE';

const MAX_ERROR_LENGTH = 2_000;

/** Publishes the original message to `<topic>.dlq` with the error and where it came from. */
export async function publishDeadLetter(
  transport: EventTransport,
  message: IncomingMessage,
  details: { rule: DeadLetterRule; error: string; attempts: number; consumerGroup: string },
): Promise<void> {
  const headers: Record<string, string> = { ...message.headers };
  delete headers[REPLAY_FOR_GROUP_HEADER];
  Object.assign(headers, {
    [DLQ_HEADERS.rule]: details.rule,
    [DLQ_HEADERS.error]: details.error.slice(0, MAX_ERROR_LENGTH),
    [DLQ_HEADERS.attempts]: String(details.attempts),
    [DLQ_HEADERS.consumerGroup]: details.consumerGroup,
    [DLQ_HEADERS.deadLetteredAt]: new Date().toISOString(),
    [DLQ_HEADERS.originTopic]: message.topic,
    [DLQ_HEADERS.originPartition]: String(message.partition),
    [DLQ_HEADERS.originOffset]: message.offset,
  });
  await transport.publish(dlqTopic(message.topic), [{ key: message.key ?? '', value: message.value, headers }]);
}

export interface DeadLetter {
  message: IncomingMessage;
  rule: string;
  error: string;
  attempts: number;
  consumerGroup: string;
  originTopic: string;
  eventId?: string;
}

export function describeDeadLetter(message: IncomingMessage): DeadLetter {
  const parsed = parseEvent(message.value);
  return {
    message,
    rule: message.headers[DLQ_HEADERS.rule] ?? 'UNKNOWN',
    error: message.headers[DLQ_HEADERS.error] ?? '',
    attempts: Number(message.headers[DLQ_HEADERS.attempts] ?? 0),
    consumerGroup: message.headers[DLQ_HEADERS.consumerGroup] ?? '',
    originTopic: message.headers[DLQ_HEADERS.originTopic] ?? message.topic.replace(/\.dlq$/, ''),
    eventId: parsed.ok ? parsed.event.id : undefined,
  };
}

export interface ReplayDlqOptions {
  /** Replay only the dead letters this returns true for (default: all). */
  filter?: (deadLetter: DeadLetter) => boolean;
}

/**
 * Re-publishes the dead letters of `<topic>.dlq` to their origin topic, for the consumer group that
 * dead-lettered them (`simpul events replay --dlq <topic>`), e.g. after fixing a handler. Safe to
 * repeat: consumers record event ids in their inbox, so an event already applied is skipped; a
 * message dead-lettered several times is replayed once.
 */
export async function replayDlq(transport: EventTransport, topic: string, options: ReplayDlqOptions = {}): Promise<{ replayed: number; skipped: number }> {
  if (!isDlqTopic(topic)) throw new Error(`${topic} is not a dead-letter topic (<topic>.dlq)`);
  const seen = new Set<string>();
  const byOrigin = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
  let skipped = 0;
  for (const message of await transport.read(topic)) {
    const deadLetter = describeDeadLetter(message);
    const identity = `${deadLetter.originTopic}|${deadLetter.consumerGroup}|${deadLetter.eventId ?? message.value}`;
    if (seen.has(identity) || (options.filter && !options.filter(deadLetter))) {
      skipped += 1;
      continue;
    }
    seen.add(identity);
    const headers = Object.fromEntries(
      Object.entries(message.headers).filter(([name]) => !Object.values<string>(DLQ_HEADERS).includes(name)),
    );
    headers[REPLAYED_FROM_HEADER] = `${message.topic}/${message.partition}/${message.offset}`;
    if (deadLetter.consumerGroup) headers[REPLAY_FOR_GROUP_HEADER] = deadLetter.consumerGroup;
    byOrigin.set(deadLetter.originTopic, [...(byOrigin.get(deadLetter.originTopic) ?? []), { key: message.key ?? '', value: message.value, headers }]);
  }
  let replayed = 0;
  for (const [origin, messages] of byOrigin) {
    await transport.publish(origin, messages);
    replayed += messages.length;
  }
  return { replayed, skipped };
}
