import { join } from 'node:path';
import { createTransport } from '@simpul/events';
import { auditOptionsFromEnv, createServiceGatewayClient, defineServiceEnv, runService, startSubgraphService } from '@simpul/service-kit';
import { z } from 'zod';
import { SERVICE_NAME, createApplicationsSubgraph } from './app';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { startEventProcessing, type EventProcessing } from './event-processing';
import { gatewayCivilRegistry } from './modules/application/civil-registry';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from './modules/catalogue/service-catalogue';
import { loadWebhookConfig } from './modules/webhook/webhook-config';
import { createApplicationsRuntime } from './runtime';

/** Only for development and tests: hashes made with it are not pseudonymous to anyone who reads this file. */
const DEVELOPMENT_NIK_HASH_PEPPER = 'simpul-development-pepper-not-secret';

const envSchema = defineServiceEnv({
  /** Secret for hashNik: the NIK hashes participants not entitled to the NIK receive. */
  NIK_HASH_PEPPER: z.string().min(16, 'NIK_HASH_PEPPER must be at least 16 characters').optional(),
  SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  TIMELINE_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  /** The gateway, to check with Dukcapil the citizens an application names (as the service's own account, OIDC_*). */
  GATEWAY_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/ }).optional()),
})
  .refine((env) => env.NODE_ENV !== 'production' || env.NIK_HASH_PEPPER !== undefined, {
    message: 'NIK_HASH_PEPPER is required in production',
    path: ['NIK_HASH_PEPPER'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.GATEWAY_URL !== undefined, {
    message: 'GATEWAY_URL is required in production: every citizen an application names is checked with Dukcapil through it',
    path: ['GATEWAY_URL'],
  });

// Events are not optional: submitting is fanning out. KAFKA_BROKERS or EVENTS_URL must be set
// (createTransport says which is missing), and the catalogue and the webhook participants'
// variables (WEBHOOK_URL_<P>, WEBHOOK_SECRET_<P>, which name catalogue participants) must be valid,
// before anything starts.
runService(SERVICE_NAME, async (logger) => {
  // SERVICE_CATALOGUE_PATH: a deployment's own catalogue file; default, the one in catalogue/.
  const catalogue = loadServiceCatalogue(process.env.SERVICE_CATALOGUE_PATH || DEFAULT_SERVICE_CATALOGUE_PATH);
  const webhooks = loadWebhookConfig(process.env, catalogue);
  const transport = createTransport(process.env, { clientId: `simpul-${SERVICE_NAME}`, logger });
  let processing: EventProcessing | undefined;
  let stopWatching = () => {};
  try {
    const service = await startSubgraphService(
      {
        name: SERVICE_NAME,
        envSchema,
        schema,
        migrationsFolder: join(__dirname, '../migrations'),
        demoData: { hasData, seed: (db, options, progress) => seed(db, { ...options, catalogue }, progress) },
        createSubgraph: async ({ db, env, production, ready }) => {
          if (!env.NIK_HASH_PEPPER) logger.warn('NIK_HASH_PEPPER is not set: using the development pepper');
          if (!env.GATEWAY_URL) logger.warn('GATEWAY_URL is not set: applications are filed without checking their citizens with Dukcapil');
          const runtime = createApplicationsRuntime({
            db,
            logger,
            catalogue,
            webhooks: webhooks.participants,
            nikHashPepper: env.NIK_HASH_PEPPER ?? DEVELOPMENT_NIK_HASH_PEPPER,
            timelinePollIntervalMs: env.TIMELINE_POLL_INTERVAL_MS,
            // AUDIT_URL (required in production), and OIDC_* for the service account that records the service's own changes.
            audit: auditOptionsFromEnv(process.env, production, SERVICE_NAME, { ownWork: true }),
            civilRegistry: env.GATEWAY_URL ? gatewayCivilRegistry(createServiceGatewayClient(env.GATEWAY_URL)) : undefined,
          });
          processing = await startEventProcessing(runtime, transport, { slaSweepIntervalMs: env.SLA_SWEEP_INTERVAL_MS, webhooks: webhooks.delivery });
          logger.info(
            {
              transport: transport.kind,
              applicationTypes: catalogue.applicationTypes.size,
              // Where tasks go, never the secrets.
              webhookParticipants: [...webhooks.participants.values()].map((p) => ({ code: p.code, origin: new URL(p.url).origin })),
            },
            'event processing started',
          );
          stopWatching = () => runtime.watcher.stop();
          return createApplicationsSubgraph({ runtime, production, ready });
        },
      },
      logger,
    );
    return {
      url: service.url,
      async stop() {
        // Events first, while the database is still open: the consumer finishes its event, the relay its batch.
        await processing?.stop();
        await service.stop();
        stopWatching();
        await transport.close();
      },
    };
  } catch (error) {
    await processing?.stop().catch(() => undefined);
    await transport.close().catch(() => undefined);
    throw error;
  }
});
