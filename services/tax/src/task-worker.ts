import { startTaskWorkerFromEnv, type TaskHandler, type TaskWorkerOptions } from '@simpul/events';
import type { AuditOptions, Database, Logger, Transaction } from '@simpul/service-kit';
import { inbox, outbox, type TaxSchema } from './db/schema';
import { registerNpwp } from './modules/business-taxpayer/business-taxpayer.tasks';
import { updateTaxpayerAddress } from './modules/taxpayer/taxpayer.tasks';
import { recordVehicleTaxPayment } from './modules/vehicle-tax/vehicle-tax.tasks';

/** The participant code of the tax office in the service catalogue. */
export const TAX_PARTICIPANT = 'tax';

/** What the tax office does with each kind of task it is given (catalogue `taskKind`). */
export function taxTaskHandlers(options: { now?: () => Date } = {}): Record<string, TaskHandler<Transaction<TaxSchema>>> {
  const now = options.now ?? (() => new Date());
  return {
    REGISTER_NPWP: registerNpwp({ now }),
    UPDATE_TAXPAYER_ADDRESS: updateTaxpayerAddress,
    RECORD_VEHICLE_TAX_PAYMENT: recordVehicleTaxPayment({ now }),
  };
}

export interface TaxTaskWorkerOptions {
  /** Where KAFKA_BROKERS or EVENTS_URL are read (default process.env). */
  source?: NodeJS.ProcessEnv;
  now?: () => Date;
  consumer?: TaskWorkerOptions<Database<TaxSchema>>['consumer'];
  relay?: TaskWorkerOptions<Database<TaxSchema>>['relay'];
  /** Where the tasks' personal-data accesses are recorded (default: AUDIT_URL of `source`). */
  audit?: AuditOptions;
}

/**
 * The service's `startWorkers`: consumes `mpp.task.assigned.tax.v1` and publishes each decision as
 * `mpp.task.status.v1` through the outbox. Stopping stops the worker, then closes the transport.
 */
export async function startTaxTaskWorker(deps: { db: Database<TaxSchema>; logger: Logger }, options: TaxTaskWorkerOptions = {}): Promise<{ stop(): Promise<void> }> {
  return startTaskWorkerFromEnv({
    env: options.source,
    participant: TAX_PARTICIPANT,
    db: deps.db,
    inbox,
    outbox,
    handlers: taxTaskHandlers({ now: options.now }),
    logger: deps.logger,
    consumer: options.consumer,
    relay: options.relay,
    audit: options.audit,
  });
}
