import { openDecisionStore, startParticipantConnector, type ParticipantConnector } from '@simpul/connector-sdk';
import type { Logger, RunningService } from '@simpul/service-kit';
import { openBusinessAccount } from './business-account';
import type { BankEnv } from './env';
import { openBankLedger } from './ledger';
import { collectPassportFee, collectVehicleTax } from './payments';

export const PARTICIPANT = 'bank-bpd';

/**
 * Bank BPD as a Simpul participant over signed webhooks: Simpul posts tasks to http://HOST:PORT/tasks,
 * the bank decides them by its own records and reports each decision to SIMPUL_STATUS_URL.
 */
export async function startBankBpd(env: BankEnv, logger: Logger): Promise<RunningService & { connector: ParticipantConnector }> {
  const ledger = await openBankLedger(env.DATA_DIR);
  try {
    const store = await openDecisionStore(env.DATA_DIR);
    const connector = await startParticipantConnector({
      participant: PARTICIPANT,
      handlers: {
        OPEN_BUSINESS_ACCOUNT: openBusinessAccount(ledger),
        COLLECT_VEHICLE_TAX: collectVehicleTax(ledger),
        COLLECT_PASSPORT_FEE: collectPassportFee(ledger),
      },
      mode: {
        kind: 'webhook',
        host: env.HOST,
        port: env.PORT,
        secret: env.WEBHOOK_SECRET,
        statusUrl: env.SIMPUL_STATUS_URL,
        acknowledge: env.WEBHOOK_ACKNOWLEDGE,
      },
      store,
      logger,
    }).catch(async (error: unknown) => {
      await store.close();
      throw error;
    });
    logger.info(
      { taskUrl: connector.url, statusUrl: env.SIMPUL_STATUS_URL, acknowledge: env.WEBHOOK_ACKNOWLEDGE, dataDir: env.DATA_DIR ?? '(in memory)' },
      'Bank BPD connector started',
    );
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
