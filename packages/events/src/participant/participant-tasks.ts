import { auditEnvShape, loadEnv, serviceEnvShape, type AuditOptions, type Database, type Logger, type ServiceTasks, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import { taskWorkerEnvShape } from '../events-env';
import type { InboxTable } from '../inbox/inbox-table';
import type { OutboxTable } from '../outbox/outbox-table';
import { startTaskWorkerFromEnv, type TaskHandler, type TaskWorker, type TaskWorkerOptions, type TaskWorkerServiceEnv } from './task-worker';

/** What task handlers date their decisions by (@simpul/identifiers' jakartaClock: Asia/Jakarta civil dates). */
export interface TaskClock {
  today(): string;
}

/** A participant's tasks as its service definition declares them (`tasks: participantTasks({...})`). */
export interface ParticipantTasksDefinition<TSchema extends Record<string, unknown>, TEnv> {
  /** The participant's code in the service catalogue, e.g. `licensing`. */
  participant: string;
  inbox: InboxTable;
  outbox: OutboxTable;
  /**
   * One handler per task kind (catalogue `taskKind`), from the service's parsed environment; `clock`
   * is given by tests only (the handlers' default is jakartaClock()).
   */
  handlers(deps: { env: TEnv; clock?: TaskClock }): Record<string, TaskHandler<Transaction<TSchema>>>;
}

/** What a test may change of a declared worker: its clock, its audit log, how fast it polls and retries. */
export type TaskWorkerOverrides<TSchema extends Record<string, unknown>> = Pick<TaskWorkerOptions<Database<TSchema>>, 'relay' | 'consumer' | 'audit'> & {
  clock?: TaskClock;
  audit?: AuditOptions;
};

export interface ParticipantTasks<TSchema extends Record<string, unknown>, TEnv> extends ServiceTasks<TSchema, TEnv> {
  participant: string;
  /** `env` holds the worker's variables too: startSubgraphService parses `envShape` into it (a test, loadTaskWorkerEnv). */
  start(deps: { db: Database<TSchema>; env: TEnv; logger: Logger }, overrides?: TaskWorkerOverrides<TSchema>): Promise<TaskWorker>;
}

/**
 * The task worker of a participant service, declared: startSubgraphService parses its variables
 * (KAFKA_BROKERS or EVENTS_URL, TASK_*) with the service's and starts it, consuming
 * `mpp.task.assigned.<participant>.v1` and publishing each decision on `mpp.task.status.v1` through
 * the outbox; stopping stops the worker (the task in flight finishes), then the transport.
 */
export function participantTasks<TSchema extends Record<string, unknown>, TEnv = unknown>(
  definition: ParticipantTasksDefinition<TSchema, TEnv>,
): ParticipantTasks<TSchema, TEnv> {
  return {
    participant: definition.participant,
    envShape: taskWorkerEnvShape,
    start: ({ db, env, logger }, overrides = {}) =>
      startTaskWorkerFromEnv({
        // The service's type does not name the worker's variables; its parsed env has them (envShape).
        env: env as TEnv & TaskWorkerServiceEnv,
        participant: definition.participant,
        db,
        inbox: definition.inbox,
        outbox: definition.outbox,
        handlers: definition.handlers({ env, clock: overrides.clock }),
        logger,
        relay: overrides.relay,
        consumer: overrides.consumer,
        audit: overrides.audit,
      }),
  };
}

const taskWorkerServiceEnvSchema = z.object({ NODE_ENV: serviceEnvShape.NODE_ENV, ...auditEnvShape, ...taskWorkerEnvShape });

/** A task worker's variables parsed from `source`, for a test starting a declared worker without its service. */
export function loadTaskWorkerEnv(source: NodeJS.ProcessEnv): TaskWorkerServiceEnv {
  return loadEnv(taskWorkerServiceEnvSchema, source);
}
