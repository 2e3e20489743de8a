import { join } from 'node:path';
import { createTransport, eventsEnvShape, type EventTransport } from '@simpul/events';
import { auditOptionsFromEnv, createServiceGatewayClient, defineServiceEnv, DEVELOPMENT_NIK_HASH_PEPPER, emptyAsUndefined, runService, startSubgraphService } from '@simpul/service-kit';
import { z } from 'zod';
import { SERVICE_NAME, createApplicationsSubgraph } from './app';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { startEventProcessing, type EventProcessing } from './event-processing';
import { gatewayCivilRegistry } from './modules/application/civil-registry';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue, type ServiceCatalogue } from './modules/catalogue/service-catalogue';
import { loadWebhookConfig } from './modules/webhook/webhook-config';
import { createApplicationsRuntime } from './runtime';

const envSchema = defineServiceEnv({
  // Events are not optional: submitting is fanning out (createTransport says which of the two is missing).
  ...eventsEnvShape,
  SERVICE_CATALOGUE_PATH: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_SERVICE_CATALOGUE_PATH)).describe("a deployment's own service catalogue file"),
  SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000).describe('how often overdue tasks are looked for, ms'),
  TIMELINE_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000).describe('how often live streams re-read their timelines, ms'),
  /** The gateway, to check with Dukcapil the citizens an application names (as the service's own account, OIDC_*). */
  GATEWAY_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()).describe('the gateway the citizens an application names are checked with Dukcapil through (required in production)'),
})
  .refine((env) => env.NODE_ENV !== 'production' || env.NIK_HASH_PEPPER !== undefined, {
    message: 'NIK_HASH_PEPPER is required in production',
    path: ['NIK_HASH_PEPPER'],
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.GATEWAY_URL !== undefined, {
    message: 'GATEWAY_URL is required in production: every citizen an application names is checked with Dukcapil through it',
    path: ['GATEWAY_URL'],
  });

// The environment is parsed once, by startSubgraphService; the catalogue and the webhook participants'
// variables (WEBHOOK_URL_<P>, WEBHOOK_SECRET_<P>, named after catalogue participants, so not in the
// schema) must be valid before anything starts.
runService(
  SERVICE_NAME,
  async (logger) => {
    const catalogues = new Map<string, ServiceCatalogue>();
    const catalogueAt = (path: string) => catalogues.get(path) ?? catalogues.set(path, loadServiceCatalogue(path)).get(path)!;
    let transport: EventTransport | undefined;
    let processing: EventProcessing | undefined;
    let stopWatching = () => {};
    try {
      const service = await startSubgraphService(
        {
          name: SERVICE_NAME,
          envSchema,
          schema,
          migrationsFolder: join(__dirname, '../migrations'),
          demoData: { hasData, seed: (db, { env, ...options }, progress) => seed(db, { ...options, catalogue: catalogueAt(env.SERVICE_CATALOGUE_PATH) }, progress) },
          createSubgraph: async ({ db, env, production, ready, internalContextPublicKey }) => {
            const catalogue = catalogueAt(env.SERVICE_CATALOGUE_PATH);
            const webhooks = loadWebhookConfig(process.env, catalogue);
            transport = createTransport(env, { clientId: `simpul-${SERVICE_NAME}`, logger });
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
              audit: auditOptionsFromEnv(env, production, SERVICE_NAME, { ownWork: true }),
              civilRegistry: env.GATEWAY_URL ? gatewayCivilRegistry(createServiceGatewayClient(env.GATEWAY_URL, env)) : undefined,
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
            return createApplicationsSubgraph({ runtime, production, ready, internalContextPublicKey });
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
          await transport?.close();
        },
      };
    } catch (error) {
      await processing?.stop().catch(() => undefined);
      await transport?.close().catch(() => undefined);
      throw error;
    }
  },
  { envSchema },
);
