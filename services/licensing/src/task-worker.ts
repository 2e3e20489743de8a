import { startTaskWorkerFromEnv, type TaskWorker, type TaskWorkerOptions } from '@simpul/events';
import type { AuditOptions, Database, Logger } from '@simpul/service-kit';
import { inbox, outbox, type LicensingSchema } from './db/schema';
import { licensingTaskHandlers } from './modules/business/business.tasks';

/** The participant code of OSS licensing in the service catalogue. */
export const LICENSING_PARTICIPANT = 'licensing';

export interface LicensingTaskWorkerOptions {
  /** Where KAFKA_BROKERS or EVENTS_URL are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  consumer?: TaskWorkerOptions<Database<LicensingSchema>>['consumer'];
  relay?: TaskWorkerOptions<Database<LicensingSchema>>['relay'];
  /** Where the tasks' personal-data accesses are recorded (default: AUDIT_URL of `env`). */
  audit?: AuditOptions;
}

/**
 * The service's `startWorkers`: decides the tasks on `mpp.task.assigned.licensing.v1` and publishes
 * each decision (with the NIB issued) as `mpp.task.status.v1` through the outbox. Stopping stops the
 * worker, then closes the transport.
 */
export async function startLicensingTaskWorker(deps: { db: Database<LicensingSchema>; logger: Logger }, options: LicensingTaskWorkerOptions = {}): Promise<TaskWorker> {
  return startTaskWorkerFromEnv({
    env: options.env,
    participant: LICENSING_PARTICIPANT,
    db: deps.db,
    inbox,
    outbox,
    handlers: licensingTaskHandlers({ now: options.now }),
    logger: deps.logger,
    consumer: options.consumer,
    relay: options.relay,
    audit: options.audit,
  });
}
