import { approvingOnce, startTaskWorkerFromEnv, type TaskWorkerOptions } from '@simpul/events';
import { createServiceGatewayClient, type Database, type Logger } from '@simpul/service-kit';
import { inbox, outbox, taskApprovals, type ReligiousAffairsSchema } from './db/schema';
import type { ReligiousAffairsEnv } from './env';
import { createCivilRegistry, type CivilRegistry } from './modules/marriage/civil-registry';
import { createMarriageTaskHandlers, marriageTaskReadbacks } from './modules/marriage/marriage.tasks';
import type { ReligiousAffairsTaskHandler } from './modules/task/task-handler';

/** The KUA's code in the service catalogue. */
export const KUA_PARTICIPANT = 'religious-affairs';

/** Every task kind the KUA performs (catalogue `taskKind`), each reporting what it read and changed of the KUA's register to the worker's audit recorder. */
export function createReligiousAffairsTaskHandlers(deps: { civilRegistry: CivilRegistry }): Record<string, ReligiousAffairsTaskHandler> {
  return approvingOnce(taskApprovals, { ...createMarriageTaskHandlers(deps) }, { ...marriageTaskReadbacks });
}

export interface ReligiousAffairsTaskWorkerOptions {
  /** Where the broker is: KAFKA_BROKERS or EVENTS_URL (default: the process environment). */
  eventsEnv?: NodeJS.ProcessEnv;
  /** `audit`: where the handlers' accesses are recorded, instead of AUDIT_URL of the environment. */
  worker?: Pick<TaskWorkerOptions<Database<ReligiousAffairsSchema>>, 'relay' | 'consumer' | 'audit'>;
}

/**
 * The service's `startWorkers`: consumes `mpp.task.assigned.religious-affairs.v1`, asks Dukcapil
 * through the gateway (GATEWAY_URL), and publishes each decision on `mpp.task.status.v1`.
 * Stopping stops the worker (the task in flight finishes), then the transport.
 */
export async function startReligiousAffairsTaskWorker(
  deps: { db: Database<ReligiousAffairsSchema>; env: Pick<ReligiousAffairsEnv, 'GATEWAY_URL'>; logger: Logger },
  options: ReligiousAffairsTaskWorkerOptions = {},
): Promise<{ stop(): Promise<void> }> {
  const civilRegistry = createCivilRegistry(createServiceGatewayClient(deps.env.GATEWAY_URL));
  return startTaskWorkerFromEnv({
    env: options.eventsEnv,
    participant: KUA_PARTICIPANT,
    db: deps.db,
    inbox,
    outbox,
    handlers: createReligiousAffairsTaskHandlers({ civilRegistry }),
    logger: deps.logger,
    ...options.worker,
  });
}
