import { startTaskWorkerFromEnv, type TaskHandler, type TaskWorkerOptions } from '@simpul/events';
import { createServiceGatewayClient, type AuditOptions, type Database, type GatewayClient, type Logger, type Transaction } from '@simpul/service-kit';
import { inbox, outbox, type PoliceSchema } from './db/schema';
import { updateVehicleRegistrationAddress, validateStnk } from './modules/vehicle/vehicle.tasks';

/** The participant code of the police in the service catalogue. */
export const POLICE_PARTICIPANT = 'police';

/** What the police do with each kind of task they are given (catalogue `taskKind`). */
export function policeTaskHandlers(options: { gateway: GatewayClient; now?: () => Date }): Record<string, TaskHandler<Transaction<PoliceSchema>>> {
  const now = options.now ?? (() => new Date());
  return {
    UPDATE_VEHICLE_REGISTRATION_ADDRESS: updateVehicleRegistrationAddress,
    VALIDATE_STNK: validateStnk({ gateway: options.gateway, now }),
  };
}

export interface PoliceTaskWorkerOptions {
  /** Where KAFKA_BROKERS or EVENTS_URL are read (default process.env). */
  source?: NodeJS.ProcessEnv;
  now?: () => Date;
  consumer?: TaskWorkerOptions<Database<PoliceSchema>>['consumer'];
  relay?: TaskWorkerOptions<Database<PoliceSchema>>['relay'];
  /** Where the tasks' personal-data accesses are recorded (default: AUDIT_URL of `source`). */
  audit?: AuditOptions;
}

/**
 * The service's `startWorkers`: consumes `mpp.task.assigned.police.v1` and publishes each decision as
 * `mpp.task.status.v1` through the outbox; asks the tax office's PKB through the gateway (GATEWAY_URL).
 * Stopping stops the worker, then closes the transport.
 */
export async function startPoliceTaskWorker(
  deps: { db: Database<PoliceSchema>; env: { GATEWAY_URL: string }; logger: Logger },
  options: PoliceTaskWorkerOptions = {},
): Promise<{ stop(): Promise<void> }> {
  return startTaskWorkerFromEnv({
    env: options.source,
    participant: POLICE_PARTICIPANT,
    db: deps.db,
    inbox,
    outbox,
    handlers: policeTaskHandlers({ gateway: createServiceGatewayClient(deps.env.GATEWAY_URL), now: options.now }),
    logger: deps.logger,
    consumer: options.consumer,
    relay: options.relay,
    audit: options.audit,
  });
}
