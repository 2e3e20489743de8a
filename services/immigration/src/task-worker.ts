import { startTaskWorkerFromEnv, type TaskWorker, type TaskWorkerOptions } from '@simpul/events';
import type { AuditOptions, Database, Logger } from '@simpul/service-kit';
import { inbox, outbox, type ImmigrationSchema } from './db/schema';
import { immigrationTaskHandlers } from './modules/passport/passport.tasks';

/** The participant code of the immigration office in the service catalogue. */
export const IMMIGRATION_PARTICIPANT = 'immigration';

export interface ImmigrationTaskWorkerOptions {
  /** Where KAFKA_BROKERS or EVENTS_URL are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  consumer?: TaskWorkerOptions<Database<ImmigrationSchema>>['consumer'];
  relay?: TaskWorkerOptions<Database<ImmigrationSchema>>['relay'];
  /** Where the tasks' personal-data accesses are recorded (default: AUDIT_URL of `env`). */
  audit?: AuditOptions;
}

/**
 * The service's `startWorkers`: decides the tasks on `mpp.task.assigned.immigration.v1` and publishes
 * each decision (with the passport number issued) as `mpp.task.status.v1` through the outbox.
 * Stopping stops the worker, then closes the transport.
 */
export async function startImmigrationTaskWorker(deps: { db: Database<ImmigrationSchema>; logger: Logger }, options: ImmigrationTaskWorkerOptions = {}): Promise<TaskWorker> {
  return startTaskWorkerFromEnv({
    env: options.env,
    participant: IMMIGRATION_PARTICIPANT,
    db: deps.db,
    inbox,
    outbox,
    handlers: immigrationTaskHandlers({ now: options.now }),
    logger: deps.logger,
    consumer: options.consumer,
    relay: options.relay,
    audit: options.audit,
  });
}
