import { approvingOnce, startTaskWorkerFromEnv, type TaskWorkerOptions } from '@simpul/events';
import type { Database, Logger } from '@simpul/service-kit';
import { inbox, outbox, taskApprovals, type DukcapilSchema } from './db/schema';
import { birthCertificateTaskReadbacks, createBirthCertificateTaskHandlers } from './modules/birth-certificate/birth-certificate.tasks';
import { childIdCardTaskReadbacks, createChildIdCardTaskHandlers } from './modules/child-id-card/child-id-card.tasks';
import { citizenTaskReadbacks, createCitizenTaskHandlers } from './modules/citizen/citizen.tasks';
import { createFamilyCardTaskHandlers, familyCardTaskReadbacks } from './modules/family-card/family-card.tasks';
import { systemClock, type DukcapilTaskHandler, type TaskClock } from './modules/task/task-handler';

/** Dukcapil's code in the service catalogue. */
export const DUKCAPIL_PARTICIPANT = 'dukcapil';

/**
 * Every task kind Dukcapil performs (catalogue `taskKind`), each deciding against the civil registry
 * and reporting what it read and changed to the worker's audit recorder.
 */
export function createDukcapilTaskHandlers(clock: TaskClock = systemClock): Record<string, DukcapilTaskHandler> {
  return approvingOnce(
    taskApprovals,
    {
      ...createCitizenTaskHandlers(clock),
      ...createFamilyCardTaskHandlers(clock),
      ...createBirthCertificateTaskHandlers(clock),
      ...createChildIdCardTaskHandlers(clock),
    },
    { ...citizenTaskReadbacks, ...familyCardTaskReadbacks, ...birthCertificateTaskReadbacks, ...childIdCardTaskReadbacks },
  );
}

export interface DukcapilTaskWorkerOptions {
  /** Where the broker is: KAFKA_BROKERS or EVENTS_URL (default: the process environment). */
  eventsEnv?: NodeJS.ProcessEnv;
  /** `audit`: where the handlers' accesses are recorded, instead of AUDIT_URL of the environment. */
  worker?: Pick<TaskWorkerOptions<Database<DukcapilSchema>>, 'relay' | 'consumer' | 'audit'>;
}

/**
 * The service's `startWorkers`: consumes `mpp.task.assigned.dukcapil.v1` and publishes each decision
 * on `mpp.task.status.v1`. Stopping stops the worker (the task in flight finishes), then the transport.
 */
export async function startDukcapilTaskWorker(
  deps: { db: Database<DukcapilSchema>; logger: Logger },
  options: DukcapilTaskWorkerOptions = {},
): Promise<{ stop(): Promise<void> }> {
  return startTaskWorkerFromEnv({
    env: options.eventsEnv,
    participant: DUKCAPIL_PARTICIPANT,
    db: deps.db,
    inbox,
    outbox,
    handlers: createDukcapilTaskHandlers(),
    logger: deps.logger,
    ...options.worker,
  });
}
