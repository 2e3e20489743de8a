import {
  createEvent,
  eventHeaders,
  keyOf,
  parseEvent,
  publishDeadLetter,
  REPLAY_FOR_GROUP_HEADER,
  serializeEvent,
  taskAssignedTopic,
  taskWorkerGroup,
  topicOf,
  type DeadLetterRule,
  type EventTransport,
  type IncomingMessage,
  type Subscription,
} from '@simpul/events';
import type { Logger } from '@simpul/service-kit';
import { backoffDelay, sleep, StoppingError, type Backoff } from '../backoff';
import type { DecisionRecord } from '../store/decision-store';
import { statusDataOf, taskOf, UnprocessableTaskError, type TaskDecider } from '../task-decider';

export interface EventsModeOptions {
  participant: string;
  decider: TaskDecider;
  transport: EventTransport;
  logger?: Logger;
  /** Attempts (decide + publish) before a task is dead-lettered (default 8). */
  maxAttempts?: number;
  /** Delay between attempts (default 500 ms ×2, at most 30 s). */
  backoff?: Backoff;
  /** Where the group starts without committed offsets (default: the beginning, no task missed). */
  fromBeginning?: boolean;
}

/** What happened to one message of the task topic (returned by `process`, for tests and logs). */
export type TaskMessageOutcome =
  | { kind: 'reported'; taskId: string; status: string; reportEventId: string; replayed: boolean }
  | { kind: 'skipped' }
  | { kind: 'dead-lettered'; rule: DeadLetterRule; error: string };

/** The `mpp.task.status` event reporting a decision: same id and time however often it is sent. */
export function statusEventOf(record: DecisionRecord) {
  return createEvent('mpp.task.status', statusDataOf(record), {
    source: record.participant,
    subject: record.applicationId,
    correlationId: record.correlationId,
    traceparent: record.traceparent,
    id: record.reportEventId,
    occurredAt: record.decidedAt,
  });
}

export async function publishStatus(transport: EventTransport, record: DecisionRecord): Promise<void> {
  const event = statusEventOf(record);
  await transport.publish(topicOf(event), [{ key: keyOf(event), value: serializeEvent(event), headers: eventHeaders(event) }]);
}

/**
 * Events mode: consumes `mpp.task.assigned.<participant>.v1` as group `<participant>.tasks`, decides
 * each task (once per taskId), publishes its `mpp.task.status.v1` and only then lets the offset be
 * committed. Failures are retried with backoff; a message that can never be processed (not a valid
 * event, another participant's task, a task kind without handler, a permanent handler failure) or
 * still failing after `maxAttempts` goes to `<topic>.dlq`, from where it can be replayed.
 */
export class EventsMode {
  readonly groupId: string;
  readonly topic: string;
  private subscription?: Subscription;
  private stopping = new AbortController();
  private readonly maxAttempts: number;

  constructor(private readonly options: EventsModeOptions) {
    this.groupId = taskWorkerGroup(options.participant);
    this.topic = taskAssignedTopic(options.participant);
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  get subscribed(): boolean {
    return this.subscription !== undefined;
  }

  async start(): Promise<void> {
    if (this.subscription) return;
    this.stopping = new AbortController();
    await this.options.transport.connect();
    this.subscription = await this.options.transport.subscribe({
      groupId: this.groupId,
      topics: [this.topic],
      fromBeginning: this.options.fromBeginning ?? true,
      handle: async (message) => void (await this.process(message)),
    });
    this.options.logger?.info({ topic: this.topic, groupId: this.groupId }, 'consuming tasks');
  }

  /** Stops fetching; the task in flight finishes, or (mid-backoff) is left uncommitted for redelivery. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** Handles one message of the task topic; resolving lets its offset be committed. */
  async process(message: IncomingMessage): Promise<TaskMessageOutcome> {
    const { logger } = this.options;
    const replayFor = message.headers[REPLAY_FOR_GROUP_HEADER];
    if (replayFor !== undefined && replayFor !== this.groupId) return { kind: 'skipped' };

    const parsed = parseEvent(message.value);
    if (!parsed.ok) return this.deadLetter(message, parsed.error.rule, parsed.error.message, 0);
    const event = parsed.event;
    if (event.type !== 'mpp.task.assigned') {
      return this.deadLetter(message, 'UNHANDLED_EVENT_TYPE', `${this.groupId} handles mpp.task.assigned, not ${event.type}`, 0);
    }
    const task = taskOf(event);
    const refusal = this.options.decider.refusal(task);
    if (refusal) return this.deadLetter(message, 'PERMANENT_FAILURE', `${refusal.rule}: ${refusal.message}`, 0);

    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        const { record, replayed } = await this.options.decider.decide(task);
        await publishStatus(this.options.transport, record);
        logger?.info(
          { taskId: task.taskId, applicationId: task.applicationId, taskKind: task.taskKind, status: record.decision.status, eventId: record.reportEventId, replayed },
          replayed ? 'task delivered again; decision re-sent' : 'task decided',
        );
        return { kind: 'reported', taskId: task.taskId, status: record.decision.status, reportEventId: record.reportEventId, replayed };
      } catch (error) {
        lastError = error;
        if (error instanceof UnprocessableTaskError) return this.deadLetter(message, 'PERMANENT_FAILURE', `${error.rule}: ${error.message}`, attempt);
        logger?.warn({ err: error, taskId: task.taskId, attempt, maxAttempts: this.maxAttempts }, 'task failed; retrying');
        if (attempt < this.maxAttempts) await sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 30_000, ...this.options.backoff }), this.stopping.signal);
      }
    }
    return this.deadLetter(message, 'HANDLER_FAILED', describe(lastError), this.maxAttempts);
  }

  private async deadLetter(message: IncomingMessage, rule: DeadLetterRule, error: string, attempts: number): Promise<TaskMessageOutcome> {
    await publishDeadLetter(this.options.transport, message, { rule, error, attempts, consumerGroup: this.groupId });
    this.options.logger?.error({ topic: message.topic, partition: message.partition, offset: message.offset, rule, error, attempts }, 'task dead-lettered');
    return { kind: 'dead-lettered', rule, error };
  }
}

function describe(error: unknown): string {
  if (error instanceof StoppingError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
