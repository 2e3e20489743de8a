import { consumerLag, deadLettered, eventsConsumed, handlerRetries, type Logger } from '@simpul/service-kit';
import { and, eq } from 'drizzle-orm';
import { parseEvent, type EventOf, type EventType, type SimpulEvent } from '../contracts';
import type { PgExecutor, TransactionOf } from '../db';
import type { InboxTable } from '../inbox/inbox-table';
import type { EventTransport, IncomingMessage, Subscription } from '../transport';
import { EVENT_HEADERS } from '../outbox/enqueue';
import { publishDeadLetter, REPLAY_FOR_GROUP_HEADER, type DeadLetterRule } from './dead-letter';

/** Throw from a handler when retrying cannot help: the event goes to the DLQ at once. */
export class PermanentEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentEventError';
  }
}

export type EventHandlers<TTx> = {
  [T in EventType]?: (event: EventOf<T>, tx: TTx) => Promise<void>;
};

export interface EventConsumerOptions<TDb extends PgExecutor> {
  transport: EventTransport;
  db: TDb;
  inbox: InboxTable;
  groupId: string;
  topics: string[];
  /** Per event type, the effect of the event, applied in `tx` together with the inbox record. */
  handlers: EventHandlers<TransactionOf<TDb>>;
  /** Attempts of a failing handler before the event is dead-lettered (default 5). */
  maxAttempts?: number;
  /** Delay between attempts: from `initialMs`, times `factor`, capped at `maxMs` (default 200 ms ×2 ≤ 10 s). */
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  /**
   * Participants this service knows (e.g. from the service catalogue). An event from, or about, a
   * participant it does not know is dead-lettered. Default: any well-formed code.
   */
  isKnownParticipant?: (code: string) => boolean;
  /** Where a group without committed offsets starts (default: the beginning). */
  fromBeginning?: boolean;
  /**
   * `transaction` (default): the handler runs in the transaction that records the event in the inbox
   * (exactly-once effect on this database). `before-inbox`: for effects outside the database (an HTTP
   * delivery): the inbox is checked, the handler runs with no transaction open, and the event is
   * recorded once it succeeded — at-least-once, so the receiver must be idempotent. Holding a
   * transaction across a slow remote call would pin a connection (on PGlite, the only one).
   */
  effect?: 'transaction' | 'before-inbox';
  logger?: Logger;
}

export interface EventConsumer {
  start(): Promise<void>;
  /** Stops fetching; the event in flight finishes (or, mid-retry, is left for redelivery). */
  stop(): Promise<void>;
}

export type EventOutcome = { kind: 'applied' } | { kind: 'duplicate' } | { kind: 'skipped' } | { kind: 'dead-lettered'; rule: DeadLetterRule };

class StoppingError extends Error {}

/**
 * Consumes events with exactly-once effect on the service's database: each event's handler runs in
 * a transaction that also records the event id in the inbox, so a redelivered event is skipped.
 * Handler errors are retried with backoff; an event that cannot be processed (schema-invalid, no
 * handler, unknown participant, still failing after `maxAttempts`) goes to `<topic>.dlq`.
 */
export function createEventConsumer<TDb extends PgExecutor>(options: EventConsumerOptions<TDb>): EventConsumer & { process(message: IncomingMessage): Promise<EventOutcome> } {
  const maxAttempts = options.maxAttempts ?? 5;
  const initialMs = options.backoff?.initialMs ?? 200;
  const maxMs = options.backoff?.maxMs ?? 10_000;
  const factor = options.backoff?.factor ?? 2;
  const logger = options.logger;
  let subscription: Subscription | undefined;
  let stopping = new AbortController();

  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (stopping.signal.aborted) return reject(new StoppingError());
      const timer = setTimeout(() => {
        stopping.signal.removeEventListener('abort', abort);
        resolve();
      }, ms);
      const abort = () => {
        clearTimeout(timer);
        reject(new StoppingError());
      };
      stopping.signal.addEventListener('abort', abort, { once: true });
    });

  const deadLetter = async (message: IncomingMessage, rule: DeadLetterRule, error: string, attempts: number): Promise<EventOutcome> => {
    await publishDeadLetter(options.transport, message, { rule, error, attempts, consumerGroup: options.groupId });
    deadLettered.inc({ topic: message.topic, rule });
    logger?.error({ topic: message.topic, partition: message.partition, offset: message.offset, rule, error, attempts }, 'event dead-lettered');
    return { kind: 'dead-lettered', rule };
  };

  const unknownParticipant = (event: SimpulEvent): string | undefined => {
    if (!options.isKnownParticipant) return undefined;
    const data = event.data as { participant?: unknown };
    const codes = [event.source, ...(typeof data.participant === 'string' ? [data.participant] : [])];
    return codes.find((code) => !options.isKnownParticipant!(code));
  };

  const inboxRow = (event: SimpulEvent, message: IncomingMessage) => ({
    consumerGroup: options.groupId,
    eventId: event.id,
    eventType: event.type,
    topic: message.topic,
    partition: message.partition,
    offset: Number(message.offset),
  });
  const applyInTransaction = async (event: SimpulEvent, message: IncomingMessage, handler: (event: SimpulEvent, tx: TransactionOf<TDb>) => Promise<void>) =>
    options.db.transaction(async (tx) => {
      const recorded = await tx
        .insert(options.inbox)
        .values(inboxRow(event, message))
        .onConflictDoNothing()
        .returning({ eventId: options.inbox.eventId });
      if (recorded.length === 0) return false;
      await handler(event, tx as TransactionOf<TDb>);
      return true;
    });
  const applyBeforeInbox = async (event: SimpulEvent, message: IncomingMessage, handler: (event: SimpulEvent, tx: TransactionOf<TDb>) => Promise<void>) => {
    const seen = await options.db
      .select({ eventId: options.inbox.eventId })
      .from(options.inbox)
      .where(and(eq(options.inbox.consumerGroup, options.groupId), eq(options.inbox.eventId, event.id)));
    if (seen.length > 0) return false;
    await handler(event, options.db as unknown as TransactionOf<TDb>);
    await options.db.insert(options.inbox).values(inboxRow(event, message)).onConflictDoNothing();
    return true;
  };
  const apply = options.effect === 'before-inbox' ? applyBeforeInbox : applyInTransaction;

  async function process(message: IncomingMessage): Promise<EventOutcome> {
    const outcome = await handle(message);
    eventsConsumed.inc({ group: options.groupId, type: eventTypeLabel(message), outcome: outcome.kind });
    return outcome;
  }

  async function handle(message: IncomingMessage): Promise<EventOutcome> {
    const replayFor = message.headers[REPLAY_FOR_GROUP_HEADER];
    if (replayFor !== undefined && replayFor !== options.groupId) return { kind: 'skipped' };

    const parsed = parseEvent(message.value);
    if (!parsed.ok) return deadLetter(message, parsed.error.rule, parsed.error.message, 0);
    const event = parsed.event;
    const created = Date.parse(event.occurredAt);
    if (Number.isFinite(created)) consumerLag.observe({ group: options.groupId }, Math.max(0, Date.now() - created) / 1000);
    const handler = options.handlers[event.type] as ((event: SimpulEvent, tx: TransactionOf<TDb>) => Promise<void>) | undefined;
    if (!handler) return deadLetter(message, 'UNHANDLED_EVENT_TYPE', `consumer group ${options.groupId} has no handler for ${event.type}`, 0);
    const unknown = unknownParticipant(event);
    if (unknown !== undefined) return deadLetter(message, 'UNKNOWN_PARTICIPANT', `unknown participant ${unknown}`, 0);

    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const applied = await apply(event, message, handler);
        if (!applied) logger?.debug({ eventId: event.id, groupId: options.groupId }, 'event already processed; skipped');
        return applied ? { kind: 'applied' } : { kind: 'duplicate' };
      } catch (error) {
        lastError = error;
        if (error instanceof PermanentEventError) return deadLetter(message, 'PERMANENT_FAILURE', describe(error), attempt);
        logger?.warn({ err: error, eventId: event.id, eventType: event.type, attempt, maxAttempts }, 'event handler failed');
        if (attempt < maxAttempts) handlerRetries.inc({ group: options.groupId, type: event.type });
        // While stopping, leave the event uncommitted: the next consumer retries it from the start.
        if (attempt < maxAttempts) await sleep(Math.min(initialMs * factor ** (attempt - 1), maxMs));
      }
    }
    return deadLetter(message, 'HANDLER_FAILED', describe(lastError), maxAttempts);
  }

  return {
    process,
    async start() {
      if (subscription) return;
      stopping = new AbortController();
      subscription = await options.transport.subscribe({
        groupId: options.groupId,
        topics: options.topics,
        fromBeginning: options.fromBeginning ?? true,
        handle: async (message) => void (await process(message)),
      });
    },
    async stop() {
      stopping.abort();
      await subscription?.stop();
      subscription = undefined;
    },
  };
}

/** The event type from the message's header, when it is one of ours (a label's values must stay few). */
function eventTypeLabel(message: IncomingMessage): string {
  const type = message.headers[EVENT_HEADERS.eventType];
  return type && /^[a-z][a-z.]{0,80}\.v\d{1,3}$/.test(type) ? type : 'unknown';
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
