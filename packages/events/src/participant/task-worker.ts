import { appendServiceRecords, auditOptionsFromEnv, CollectingAuditRecorder, type AuditEnv, type AuditOptions, type AuditRecorder, type Logger } from '@simpul/service-kit';
import { shareableDocument, type IssuedDocument } from '../contracts/common';
import { EventContractError, createEvent, type EventOf } from '../contracts';
import { createTransport } from '../create-transport';
import type { TaskWorkerEnv } from '../events-env';
import { taskAssignedTopic } from '../contracts/topics';
import type { TaskAssignedData } from '../contracts/task-assigned';
import { createEventConsumer, PermanentEventError, type EventConsumer } from '../consumer/event-consumer';
import type { PgExecutor, TransactionOf } from '../db';
import type { InboxTable } from '../inbox/inbox-table';
import { enqueue } from '../outbox/enqueue';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/outbox-relay';
import type { OutboxTable } from '../outbox/outbox-table';
import type { EventTransport } from '../transport';

/** What a participant decided about a task. `IN_REVIEW`: accepted, a person decides later. */
export type TaskDecision =
  | { status: 'APPROVED'; documents?: IssuedDocument[]; note?: string }
  | { status: 'REJECTED'; reason: string }
  | { status: 'IN_REVIEW'; note?: string };

/** A task as a participant's handler sees it: the event's data plus where it came from. */
export interface AssignedTask extends TaskAssignedData {
  eventId: string;
  correlationId: string;
}

/**
 * Decides one task kind, applying the participant's rules to its own data in `tx` (the transaction
 * that also records the event in the inbox and the status in the outbox: all or nothing).
 * Throw PermanentEventError for a task that can never be processed (it is dead-lettered); any other
 * error is retried with backoff.
 *
 * Every citizen's data the handler reads or changes is reported to `audit` (`access` with READ or
 * CHANGE, or `recordChanges`): the worker appends those records to the audit log before the
 * transaction commits, so a change is never made without its record (an audit log that cannot
 * record them makes the task fail and be retried).
 */
export type TaskHandler<TTx> = (task: AssignedTask, tx: TTx, audit: AuditRecorder) => Promise<TaskDecision>;

export interface TaskWorkerOptions<TDb extends PgExecutor> {
  /** The participant's code in the service catalogue, e.g. `dukcapil`. */
  participant: string;
  transport: EventTransport;
  db: TDb;
  inbox: InboxTable;
  outbox: OutboxTable;
  /** One handler per task kind this participant performs (catalogue `taskKind`). */
  handlers: Record<string, TaskHandler<TransactionOf<TDb>>>;
  logger?: Logger;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'backoff' | 'batchSize'>;
  consumer?: { maxAttempts?: number; backoff?: { initialMs?: number; maxMs?: number } };
  /**
   * Where the handlers' accesses are recorded (AUDIT_URL of the environment for
   * startTaskWorkerFromEnv); without it they are not recorded (development without an audit log).
   * The records name the participant's service account and the application as purpose.
   */
  audit?: AuditOptions;
  now?: () => Date;
}

export interface TaskWorker {
  consumer: EventConsumer;
  relay: OutboxRelay;
  /** Stops consuming (the task in flight finishes), then the relay. The transport stays open. */
  stop(): Promise<void>;
}

/** The consumer group a participant's task worker uses on its task topic. */
export function taskWorkerGroup(participant: string): string {
  return `${participant}.tasks`;
}

/**
 * The participant side of the fan-out, for a participant with its own Postgres (the agency services):
 * consumes `mpp.task.assigned.<participant>.v1`, runs the handler of the task's kind in one transaction
 * with the inbox record (a redelivered task is decided once) and the `mpp.task.status.v1` it enqueues
 * in the outbox (published by the relay, surviving a broker outage).
 */
export async function startTaskWorker<TDb extends PgExecutor>(options: TaskWorkerOptions<TDb>): Promise<TaskWorker> {
  const { participant, logger } = options;
  const now = options.now ?? (() => new Date());
  await options.transport.connect();
  const relay = new OutboxRelay({ db: options.db, outbox: options.outbox, transport: options.transport, logger, ...options.relay });
  relay.start();

  const notifying = new Proxy(options.db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<TDb['transaction']>) => {
        const result = await (target.transaction as (...a: unknown[]) => Promise<unknown>)(...args);
        relay.notify();
        return result;
      };
    },
  });

  const consumer = createEventConsumer({
    transport: options.transport,
    db: notifying,
    inbox: options.inbox,
    groupId: taskWorkerGroup(participant),
    topics: [taskAssignedTopic(participant)],
    logger,
    ...taskRetryPolicy({}, options.consumer),
    handlers: {
      'mpp.task.assigned': async (event: EventOf<'mpp.task.assigned'>, tx: TransactionOf<TDb>) => {
        const { data } = event;
        if (data.participant !== participant) throw new PermanentEventError(`task ${data.taskId} is for ${data.participant}, not ${participant}`);
        const handler = options.handlers[data.taskKind];
        if (!handler) throw new PermanentEventError(`${participant} does not perform task kind ${data.taskKind}`);
        const recorder = new CollectingAuditRecorder();
        const decision = await handler({ ...data, eventId: event.id, correlationId: event.correlationId }, tx, recorder);
        // As the participant's service account, for the application, before the transaction commits.
        if (options.audit) await appendServiceRecords(options.audit, participant, recorder, { purpose: `application:${data.applicationId}`, correlationId: event.correlationId, occurredAt: now() });
        logger?.info({ taskId: data.taskId, applicationId: data.applicationId, taskKind: data.taskKind, status: decision.status }, 'task decided');
        const meta = { source: participant, subject: data.applicationId, correlationId: event.correlationId, traceparent: event.traceparent, occurredAt: now() };
        let status: EventOf<'mpp.task.status'>;
        try {
          status = createEvent('mpp.task.status', taskStatusData(data, decision), meta);
        } catch (error) {
          // The handler decides the same way every time: retrying a decision the contract refuses
          // (a reason over 500 characters, a document kind not in UPPER_SNAKE…) cannot help.
          if (error instanceof EventContractError) {
            throw new PermanentEventError(`the decision on task ${data.taskId} breaks the mpp.task.status contract: ${error.message}`, { cause: error });
          }
          throw error;
        }
        await enqueue(tx, options.outbox, [status]);
      },
    },
  });
  try {
    await consumer.start();
  } catch (error) {
    await relay.stop();
    throw error;
  }
  return {
    consumer,
    relay,
    async stop() {
      await consumer.stop();
      await relay.stop();
    },
  };
}

/**
 * The `mpp.task.status.v1` data reporting a decision. The topic is shared by every participant: a
 * civil-registry number the handler issued (a KK, a newborn's NIK) goes out masked; the handler's
 * own store (task_approval) keeps it whole.
 */
export function taskStatusData(task: Pick<TaskAssignedData, 'taskId' | 'applicationId' | 'participant'>, decision: TaskDecision) {
  const base = { taskId: task.taskId, applicationId: task.applicationId, participant: task.participant };
  switch (decision.status) {
    case 'APPROVED':
      return { ...base, status: 'APPROVED' as const, documents: (decision.documents ?? []).map(shareableDocument), ...(decision.note ? { reason: decision.note } : {}) };
    case 'REJECTED':
      return { ...base, status: 'REJECTED' as const, reason: decision.reason, documents: [] };
    case 'IN_REVIEW':
      return { ...base, status: 'IN_REVIEW' as const, documents: [], ...(decision.note ? { reason: decision.note } : {}) };
  }
}

/**
 * Attempts and backoff of a failing task handler before the task is dead-lettered: the options,
 * else TASK_MAX_ATTEMPTS / TASK_RETRY_INITIAL_MS / TASK_RETRY_MAX_MS of the parsed environment (drills and
 * tests shorten them), else 8 attempts from 500 ms doubling up to 30 s (about two minutes in all,
 * enough to ride out a gateway or database restart).
 */
export function taskRetryPolicy(
  env: Partial<Pick<TaskWorkerEnv, 'TASK_MAX_ATTEMPTS' | 'TASK_RETRY_INITIAL_MS' | 'TASK_RETRY_MAX_MS'>>,
  options: TaskWorkerOptions<PgExecutor>['consumer'] = {},
): { maxAttempts: number; backoff: { initialMs: number; maxMs: number } } {
  return {
    maxAttempts: options.maxAttempts ?? env.TASK_MAX_ATTEMPTS ?? 8,
    backoff: {
      initialMs: options.backoff?.initialMs ?? env.TASK_RETRY_INITIAL_MS ?? 500,
      maxMs: options.backoff?.maxMs ?? env.TASK_RETRY_MAX_MS ?? 30_000,
    },
  };
}

/** What startTaskWorkerFromEnv reads of the service's parsed environment. */
export type TaskWorkerServiceEnv = TaskWorkerEnv & AuditEnv & { NODE_ENV: string };

/**
 * startTaskWorker on the transport the parsed environment names (KAFKA_BROKERS or EVENTS_URL, see
 * createTransport) and the audit log it names (AUDIT_URL, with OIDC_ISSUER_URL, OIDC_CLIENT_ID and
 * OIDC_CLIENT_SECRET for the service account the records name), retrying as TASK_* say; the worker
 * owns the transport: `stop()` also closes it.
 */
export async function startTaskWorkerFromEnv<TDb extends PgExecutor>(
  options: Omit<TaskWorkerOptions<TDb>, 'transport'> & { env: TaskWorkerServiceEnv },
): Promise<TaskWorker> {
  const { env, ...rest } = options;
  const audit = rest.audit ?? auditOptionsFromEnv(env, env.NODE_ENV === 'production', options.participant, { ownWork: true });
  const transport = createTransport(env, { clientId: `simpul-${options.participant}`, logger: options.logger });
  try {
    const worker = await startTaskWorker({ ...rest, consumer: taskRetryPolicy(env, rest.consumer), audit, transport });
    return {
      ...worker,
      async stop() {
        await worker.stop();
        await transport.close();
      },
    };
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw error;
  }
}
