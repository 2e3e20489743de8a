import {
  catalogueCodeSchema,
  createTransport,
  isParticipantCode,
  loadEventsEnv,
  MIN_WEBHOOK_SECRET_LENGTH,
  type EventTransport,
  type TaskDecision,
} from '@simpul/events';
import type { Logger } from '@simpul/service-kit';
import { backoffDelay, sleep, type Backoff } from './backoff';
import { EventsMode, publishStatus } from './events/events-mode';
import { listenHttp, sendError, serveHealth, type HttpListener } from './http';
import { InMemoryDecisionStore, type DecisionRecord, type DecisionStore } from './store/decision-store';
import { ConnectorError, TaskDecider, type TaskHandlers } from './task-decider';
import { StatusReporter } from './webhook/status-reporter';
import { WebhookMode, type WebhookAcknowledgement } from './webhook/webhook-mode';

export interface EventsConnection {
  kind: 'events';
  /** The transport to use; left open by `stop()`. Default: `createTransport(env)`, closed by `stop()`. */
  transport?: EventTransport;
  /** The process's environment, where KAFKA_BROKERS or EVENTS_URL say where the events are (parsed with eventsEnvSchema). */
  env?: NodeJS.ProcessEnv;
  /** Attempts (decide + publish) before a task is dead-lettered (default 8). */
  maxAttempts?: number;
  /** Delay between attempts (default 500 ms ×2, at most 30 s). */
  backoff?: Backoff;
  /** Where the consumer group starts without committed offsets (default the beginning). */
  fromBeginning?: boolean;
  /** Serve `GET /healthz` and `GET /readyz` on this address, for a supervisor. */
  health?: { host?: string; port: number };
}

export interface WebhookConnection {
  kind: 'webhook';
  /** Address the task server listens on (default 127.0.0.1; port 0 picks a free one). */
  host?: string;
  port: number;
  /** Path Simpul posts tasks to (default /tasks). */
  path?: string;
  /** The secret shared with Simpul (its WEBHOOK_SECRET_<P>), at least 24 characters. */
  secret: string;
  /** Simpul's status URL: `<gateway origin>/participants/<code>/task-status`. */
  statusUrl: string;
  maxBodyBytes?: number;
  toleranceSeconds?: number;
  /** Time a delivery may take before it is answered 503 (default 8 s, under Simpul's 10 s timeout). */
  responseBudgetMs?: number;
  /** Status report retries (default 4 attempts, 250 ms ×2 ≤ 2 s apart, 3 s timeout each). */
  report?: { attempts?: number; backoff?: Backoff; timeoutMs?: number };
  /**
   * When a delivery is answered 2xx (default `report-accepted`): once Simpul accepted the status
   * report (else 503, Simpul delivers again), or `decision-stored`: once the decision is stored, the
   * report then sent in the background until accepted (also after a restart). Use `decision-stored`
   * when Simpul cannot take a report while its delivery of the same task is in flight.
   */
  acknowledge?: WebhookAcknowledgement;
  /** `decision-stored`: delay between background report retries (default 1 s ×2, at most 60 s). */
  backgroundBackoff?: Backoff;
}

export interface ParticipantConnectorOptions {
  /** The participant's code in Simpul's service catalogue, e.g. `pln`, `bank-bpd`. */
  participant: string;
  /** One handler per task kind the participant performs. */
  handlers: TaskHandlers;
  mode: EventsConnection | WebhookConnection;
  /**
   * Where decisions are remembered per taskId (default in memory: use FileDecisionStore to survive
   * restarts). The connector owns it: `stop()` closes it.
   */
  store?: DecisionStore;
  logger?: Logger;
  now?: () => Date;
}

export interface ParticipantConnector {
  readonly participant: string;
  readonly mode: 'events' | 'webhook';
  /** Webhook mode: the task URL (Simpul's WEBHOOK_URL_<P>). Events mode: the health server's origin, if any. */
  readonly url: string | undefined;
  /** True while tasks are being received (what `/readyz` answers). */
  readonly ready: boolean;
  /** The decision stored for a task, if it was decided. */
  decisionOf(taskId: string): Promise<DecisionRecord | undefined>;
  /**
   * Reports a later decision on a task answered IN_REVIEW (a person decided). Repeating it with the
   * same decision re-sends the same report (retry after a failure). Throws ConnectorError
   * `UNKNOWN_TASK`, `DECISION_FINAL`, or `REPORT_NOT_ACCEPTED` (stored: call again to retry; with
   * `acknowledge: 'decision-stored'` the report is queued instead and retried in the background).
   */
  report(taskId: string, decision: TaskDecision): Promise<DecisionRecord>;
  /** Stops receiving tasks (those in flight finish), then closes the store and what the connector opened. */
  stop(): Promise<void>;
}

export class ConnectorConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid connector configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConnectorConfigError';
  }
}

function checkOptions(options: ParticipantConnectorOptions): void {
  const problems: string[] = [];
  if (!isParticipantCode(options.participant)) problems.push(`participant: ${JSON.stringify(options.participant)} is not a participant code (lower-kebab-case, e.g. "bank-bpd")`);
  const kinds = Object.keys(options.handlers);
  if (kinds.length === 0) problems.push('handlers: give a handler for at least one task kind');
  for (const kind of kinds) {
    if (!catalogueCodeSchema.safeParse(kind).success) problems.push(`handlers.${kind}: task kinds are UPPER_SNAKE_CASE catalogue codes, e.g. "OPEN_BUSINESS_ACCOUNT"`);
    if (typeof options.handlers[kind] !== 'function') problems.push(`handlers.${kind}: not a function`);
  }
  const { mode } = options;
  if (mode.kind === 'webhook') {
    if (typeof mode.secret !== 'string' || mode.secret.length < MIN_WEBHOOK_SECRET_LENGTH) problems.push(`mode.secret: at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`);
    if (!URL.canParse(mode.statusUrl) || !/^https?:$/.test(new URL(mode.statusUrl).protocol)) problems.push(`mode.statusUrl: expected an http(s) URL, got ${JSON.stringify(mode.statusUrl)}`);
    if (mode.path !== undefined && !mode.path.startsWith('/')) problems.push('mode.path: must start with /');
    if (mode.path === '/healthz' || mode.path === '/readyz') problems.push(`mode.path: ${mode.path} is the health endpoint`);
    if (mode.acknowledge !== undefined && mode.acknowledge !== 'report-accepted' && mode.acknowledge !== 'decision-stored') {
      problems.push(`mode.acknowledge: expected report-accepted or decision-stored, got ${JSON.stringify(mode.acknowledge)}`);
    }
  }
  if (problems.length > 0) throw new ConnectorConfigError(problems);
}

/**
 * Connects a participant to Simpul (docs/participants.md): receives its tasks over events or signed
 * webhooks, decides each with the handler of its kind (once per taskId, remembered in `store`) and
 * reports the decision. Resolves once tasks are being received.
 */
export async function startParticipantConnector(options: ParticipantConnectorOptions): Promise<ParticipantConnector> {
  checkOptions(options);
  const { participant, logger, mode } = options;
  const now = options.now ?? (() => new Date());
  const store = options.store ?? new InMemoryDecisionStore();
  const decider = new TaskDecider({ participant, handlers: options.handlers, store, now });
  const cleanups: Array<() => Promise<void>> = [() => store.close()];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error: unknown) => logger?.error({ err: error }, 'connector cleanup failed'));
    }
  };

  try {
    if (mode.kind === 'webhook') {
      const reporter = new StatusReporter({ url: mode.statusUrl, participant, secret: mode.secret, logger, now, ...mode.report });
      const webhook = new WebhookMode({
        participant,
        decider,
        reporter,
        secret: mode.secret,
        host: mode.host ?? '127.0.0.1',
        port: mode.port,
        path: mode.path ?? '/tasks',
        maxBodyBytes: mode.maxBodyBytes,
        toleranceSeconds: mode.toleranceSeconds,
        responseBudgetMs: mode.responseBudgetMs,
        acknowledge: mode.acknowledge,
        unreported: () => store.unreported(),
        backgroundBackoff: mode.backgroundBackoff,
        logger,
        now,
      });
      await webhook.start();
      cleanups.push(() => webhook.stop());
      const url = webhook.url;
      return connector(participant, 'webhook', url, () => webhook.ready, decider, store, cleanUp, (record) => webhook.report(record));
    }

    const transport = mode.transport ?? createTransport(loadEventsEnv(mode.env ?? {}), { clientId: participant, logger });
    if (!mode.transport) cleanups.push(() => transport.close());
    const events = new EventsMode({ participant, decider, transport, logger, maxAttempts: mode.maxAttempts, backoff: mode.backoff, fromBeginning: mode.fromBeginning });
    let stopped = false;
    let health: HttpListener | undefined;
    if (mode.health) {
      health = await listenHttp(
        async (req, res) => {
          if (!serveHealth(req, res, () => events.subscribed && !stopped)) sendError(res, 404, 'NOT_FOUND', `no route ${req.method} ${req.url}`);
        },
        mode.health.host ?? '127.0.0.1',
        mode.health.port,
      );
      const listener = health;
      cleanups.push(() => listener.close(1_000));
    }
    await events.start();
    cleanups.push(async () => {
      stopped = true;
      await events.stop();
    });
    return connector(participant, 'events', health?.origin, () => events.subscribed && !stopped, decider, store, cleanUp, async (record) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await publishStatus(transport, record);
        } catch (error) {
          if (attempt >= 5) throw new ConnectorError('REPORT_NOT_ACCEPTED', `the status of task ${record.taskId} could not be published: ${(error as Error).message}`);
          await sleep(backoffDelay(attempt, { initialMs: 200, maxMs: 2_000, ...mode.backoff }));
        }
      }
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

function connector(
  participant: string,
  mode: 'events' | 'webhook',
  url: string | undefined,
  ready: () => boolean,
  decider: TaskDecider,
  store: DecisionStore,
  cleanUp: () => Promise<void>,
  send: (record: DecisionRecord) => Promise<void>,
): ParticipantConnector {
  let stopping: Promise<void> | undefined;
  return {
    participant,
    mode,
    url,
    get ready() {
      return stopping === undefined && ready();
    },
    decisionOf: (taskId) => store.get(taskId),
    async report(taskId, decision) {
      const { record } = await decider.revise(taskId, decision);
      await send(record);
      return record;
    },
    stop() {
      stopping ??= cleanUp();
      return stopping;
    },
  };
}
