import { createTransport, startTaskWorker, type TaskWorker, type TaskWorkerOptions } from '@simpul/events';
import type { Database, Logger } from '@simpul/service-kit';
import { inbox, outbox, type LicensingSchema } from './db/schema';
import { licensingTaskHandlers } from './modules/business/business.tasks';

export const PARTICIPANT = 'licensing';

export interface LicensingTaskWorkerOptions {
  /** Where KAFKA_BROKERS or EVENTS_URL are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  tuning?: Pick<TaskWorkerOptions<Database<LicensingSchema>>, 'relay' | 'consumer'>;
}

/**
 * OSS licensing's side of the MPP fan-out: decides the tasks on `mpp.task.assigned.licensing.v1` and
 * publishes their status (with the NIBs issued) through the outbox. The service's `startWorkers`.
 */
export async function startLicensingTaskWorker(
  deps: { db: Database<LicensingSchema>; logger: Logger },
  options: LicensingTaskWorkerOptions = {},
): Promise<{ worker: TaskWorker; stop(): Promise<void> }> {
  const transport = createTransport(options.env ?? process.env, { clientId: `simpul-${PARTICIPANT}`, logger: deps.logger });
  let worker: TaskWorker;
  try {
    worker = await startTaskWorker({
      participant: PARTICIPANT,
      transport,
      db: deps.db,
      inbox,
      outbox,
      handlers: licensingTaskHandlers({ now: options.now }),
      logger: deps.logger,
      ...options.tuning,
    });
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw error;
  }
  return {
    worker,
    async stop() {
      await worker.stop();
      await transport.close();
    },
  };
}
