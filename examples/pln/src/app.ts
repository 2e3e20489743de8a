import { openDecisionStore, startParticipantConnector, type ParticipantConnector } from '@simpul/connector-sdk';
import type { Logger, RunningService } from '@simpul/service-kit';
import { connectElectricity, openPlnLedger } from './electricity';
import type { PlnEnv } from './env';

export const PARTICIPANT = 'pln';

/**
 * PLN as a Simpul participant over events: consumes `mpp.task.assigned.pln.v1`, connects electricity
 * by its own records, publishes `mpp.task.status.v1`. `source` is where the transport variables
 * (KAFKA_BROKERS, KAFKA_CLIENT_ID, EVENTS_URL) are read.
 */
export async function startPln(env: PlnEnv, logger: Logger, source: NodeJS.ProcessEnv = process.env): Promise<RunningService & { connector: ParticipantConnector }> {
  const ledger = await openPlnLedger(env.DATA_DIR);
  try {
    const store = await openDecisionStore(env.DATA_DIR);
    const connector = await startParticipantConnector({
      participant: PARTICIPANT,
      handlers: { CONNECT_ELECTRICITY: connectElectricity(ledger) },
      mode: {
        kind: 'events',
        env: { ...source, EVENTS_URL: env.EVENTS_URL, KAFKA_BROKERS: env.KAFKA_BROKERS },
        health: { host: env.HOST, port: env.PORT },
      },
      store,
      logger,
    }).catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
    logger.info({ dataDir: env.DATA_DIR ?? '(in memory)', transport: env.KAFKA_BROKERS ? 'kafka' : 'embedded' }, 'PLN connector started');
    return {
      url: connector.url,
      connector,
      async stop() {
        await connector.stop();
        await ledger.close();
      },
    };
  } catch (error) {
    await ledger.close();
    throw error;
  }
}
