import { createTransport, startTaskWorker, type TaskWorker, type TaskWorkerOptions } from '@simpul/events';
import type { Database, Logger } from '@simpul/service-kit';
import { inbox, outbox, type ImmigrationSchema } from './db/schema';
import { immigrationTaskHandlers } from './modules/passport/passport.tasks';

export const PARTICIPANT = 'immigration';

export interface ImmigrationTaskWorkerOptions {
  /** Where KAFKA_BROKERS or EVENTS_URL are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  tuning?: Pick<TaskWorkerOptions<Database<ImmigrationSchema>>, 'relay' | 'consumer'>;
}

/**
 * Immigration's side of the MPP fan-out: decides the tasks on `mpp.task.assigned.immigration.v1` and
 * publishes their status (with the passport numbers issued) through the outbox. The service's `startWorkers`.
 */
export async function startImmigrationTaskWorker(
  deps: { db: Database<ImmigrationSchema>; logger: Logger },
  options: ImmigrationTaskWorkerOptions = {},
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
      handlers: immigrationTaskHandlers({ now: options.now }),
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
