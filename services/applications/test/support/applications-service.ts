import type { CivilRegistry } from '../../src/modules/application/civil-registry';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createEvent,
  EmbeddedTransport,
  parseEvent,
  serializeEvent,
  startEmbeddedBroker,
  TASK_STATUS_TOPIC,
  type EventDataInput,
  type RunningEmbeddedBroker,
  type SimpulEvent,
} from '@simpul/events';
import { createLogger, createQueryCounter, openDatabase, serveSubgraph, type AuditOptions, type OpenedDatabase } from '@simpul/service-kit';
import { createTestDatabase, freePort, type TestDatabase } from '@simpul/testing';
import { createApplicationsSubgraph } from '../../src/app';
import type { ApplicationsRuntime } from '../../src/context';
import { schema, type ApplicationsSchema } from '../../src/db/schema';
import { startEventProcessing, type EventProcessing, type EventProcessingOptions } from '../../src/event-processing';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../../src/modules/catalogue/service-catalogue';
import type { TaskWebhookOptions } from '../../src/modules/webhook/task-webhook.consumer';
import type { WebhookParticipant } from '../../src/modules/webhook/webhook-config';
import { createApplicationsRuntime } from '../../src/runtime';

export const TEST_PEPPER = 'applications-test-pepper-0123456789';
export const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);

export interface ApplicationsHarness {
  database: OpenedDatabase<ApplicationsSchema>;
  counter: ReturnType<typeof createQueryCounter>;
  runtime: ApplicationsRuntime;
  graphqlUrl: string;
  baseUrl: string;
  /** Moves the service's clock (SLA tests); 0 = real time. */
  advanceClock(ms: number): void;
  stop(): Promise<void>;
}

export interface EventsHarness {
  broker: { url: string; stop(): Promise<void>; start(): Promise<void> };
  transport: EmbeddedTransport;
  processing: EventProcessing;
  /** Publishes a participant's task status report, as its connector would. */
  reportTaskStatus(data: EventDataInput<'mpp.task.status'>, options?: { repeat?: number; event?: SimpulEvent }): Promise<SimpulEvent>;
  /** The events on a topic, parsed (for this test file's broker only). */
  eventsOn(topic: string): Promise<SimpulEvent[]>;
}

/** The applications service on a fresh Postgres database, without event processing (read side). */
export async function startApplicationsService(
  prefix: string,
  options: {
    webhooks?: ReadonlyMap<string, WebhookParticipant>;
    /** The gateway's public JWK: the service then refuses callers without a valid signed context. */
    internalContextPublicKey?: string;
    /** The audit log (test/support/audit-service.ts); default none, nothing is recorded. */
    audit?: AuditOptions;
    /** Dukcapil's register (a stand-in); default none: citizens are not checked. */
    civilRegistry?: CivilRegistry;
  } = {},
): Promise<ApplicationsHarness> {
  const testDb: TestDatabase = await createTestDatabase(prefix);
  const counter = createQueryCounter();
  const database = await openDatabase({
    url: testDb.url,
    schema,
    serviceSchema: 'applications',
    migrationsFolder: join(__dirname, '../../migrations'),
    logger: counter,
  });
  let offsetMs = 0;
  const runtime = createApplicationsRuntime({
    db: database.db,
    logger: createLogger('applications', 'silent'),
    catalogue,
    webhooks: options.webhooks,
    nikHashPepper: TEST_PEPPER,
    timelinePollIntervalMs: 100,
    now: () => new Date(Date.now() + offsetMs),
    audit: options.audit,
    civilRegistry: options.civilRegistry,
  });
  const http = await serveSubgraph(await createApplicationsSubgraph({ runtime, internalContextPublicKey: options.internalContextPublicKey }), {});
  return {
    database,
    counter,
    runtime,
    graphqlUrl: http.url,
    baseUrl: new URL('/', http.url).toString().replace(/\/$/, ''),
    advanceClock: (ms) => void (offsetMs = ms),
    async stop() {
      await http.stop();
      runtime.watcher.stop();
      await database.close();
      await testDb.drop();
    },
  };
}

/**
 * The event side on an in-process embedded broker (temp data dir, fixed port so it can be stopped
 * and started again): relay, status consumer and SLA sweep, tuned for tests.
 */
export async function startEventSide(
  service: ApplicationsHarness,
  options: { webhooks?: TaskWebhookOptions; consumer?: EventProcessingOptions['consumer'] } = {},
): Promise<EventsHarness & { stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'simpul-applications-events-'));
  const port = await freePort();
  let running: RunningEmbeddedBroker | undefined = await startEmbeddedBroker({ dataDir, port, sync: false });
  const url = `http://127.0.0.1:${port}`;
  const broker = {
    url,
    async stop() {
      await running?.stop();
      running = undefined;
    },
    async start() {
      running = await startEmbeddedBroker({ dataDir, port, sync: false });
    },
  };
  const transport = new EmbeddedTransport({ url, pollWaitMs: 200, redeliveryDelayMs: 100, requestTimeoutMs: 2000 });
  const processing = await startEventProcessing(service.runtime, transport, {
    slaSweepIntervalMs: 3_600_000, // tests sweep by hand
    relay: { pollIntervalMs: 50, backoff: { initialMs: 50, maxMs: 300 } },
    consumer: options.consumer ?? { maxAttempts: 2, backoff: { initialMs: 20, maxMs: 50 } },
    webhooks: options.webhooks,
  });

  return {
    broker,
    transport,
    processing,
    async reportTaskStatus(data, options = {}) {
      const event = options.event ?? createEvent('mpp.task.status', data, { source: data.participant, subject: data.applicationId, correlationId: data.applicationId });
      const message = { key: data.applicationId, value: serializeEvent(event) };
      await transport.publish(TASK_STATUS_TOPIC, Array.from({ length: options.repeat ?? 1 }, () => message));
      return event;
    },
    async eventsOn(topic) {
      const messages = await transport.read(topic);
      return messages.map((m) => {
        const parsed = parseEvent(m.value);
        if (!parsed.ok) throw new Error(`unparseable event on ${topic}: ${parsed.error.message}`);
        return parsed.event;
      });
    },
    async stop() {
      await processing.stop();
      await transport.close();
      await broker.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Retries `check` until it stops throwing (or `timeoutMs` passes, then throws its last error). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
