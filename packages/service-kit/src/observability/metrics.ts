import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Simpul metric, defined once (prom-client: the Prometheus text format and the process
 * metrics, without an OpenTelemetry metrics pipeline to run). Names follow the Prometheus
 * conventions: `simpul_` prefix, base units (seconds), `_total` for counters. Labels carry
 * operation names, subgraph and participant codes, topics and reasons — never a NIK, KK number or
 * name (see operationLabel), which infra/k8s and compose scrape as they are.
 */
export const metricsRegistry = new Registry();

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const gatewayRequests = new Counter({
  name: 'simpul_gateway_requests_total',
  help: 'GraphQL operations the gateway answered, by operation name and outcome (ok or the first error code).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});
export const gatewayRequestDuration = new Histogram({
  name: 'simpul_gateway_request_duration_seconds',
  help: 'Time from the gateway receiving a GraphQL operation to its response, by operation name.',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});
export const subgraphFetchDuration = new Histogram({
  name: 'simpul_gateway_subgraph_fetch_duration_seconds',
  help: "The gateway's fetches of each subgraph, by subgraph and outcome (ok, or the error code).",
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});
export const rateLimitRefusals = new Counter({
  name: 'simpul_gateway_rate_limit_refusals_total',
  help: 'Requests the gateway refused by rate limit (429) or because the rate-limit store could not decide (503).',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});
export const tokenVerificationFailures = new Counter({
  name: 'simpul_token_verification_failures_total',
  help: 'Bearer tokens refused, by reason (MISSING, EXPIRED, BAD_SIGNATURE, WRONG_AUDIENCE…).',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});
export const auditAppendDuration = new Histogram({
  name: 'simpul_audit_append_duration_seconds',
  help: 'Appends to the audit log, by outcome (ok or failed).',
  labelNames: ['outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});
export const auditAppendFailures = new Counter({
  name: 'simpul_audit_append_failures_total',
  help: 'Appends to the audit log that failed (the access they record was refused: fail closed), by reason.',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});
export const outboxPublished = new Counter({
  name: 'simpul_outbox_published_events_total',
  help: 'Outbox rows the relay published to the broker, by outbox table.',
  labelNames: ['outbox'] as const,
  registers: [metricsRegistry],
});
export const outboxPublishFailures = new Counter({
  name: 'simpul_outbox_publish_failures_total',
  help: 'Relay rounds that could not publish (the rows stay first in line and are retried with backoff).',
  labelNames: ['outbox'] as const,
  registers: [metricsRegistry],
});
export const eventsConsumed = new Counter({
  name: 'simpul_events_consumed_total',
  help: 'Events a consumer group handled, by group, event type and outcome (applied, duplicate, skipped, dead-lettered).',
  labelNames: ['group', 'type', 'outcome'] as const,
  registers: [metricsRegistry],
});
export const consumerLag = new Histogram({
  name: 'simpul_events_consumer_lag_seconds',
  help: "Time from an event's creation (its `time`) to a consumer group handling it.",
  labelNames: ['group'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
  registers: [metricsRegistry],
});
export const handlerRetries = new Counter({
  name: 'simpul_events_handler_retries_total',
  help: 'Event handler attempts that failed and were retried, by group and event type.',
  labelNames: ['group', 'type'] as const,
  registers: [metricsRegistry],
});
export const deadLettered = new Counter({
  name: 'simpul_events_dead_lettered_total',
  help: 'Events sent to a dead-letter topic (<topic>.dlq), by origin topic and rule: the DLQ grows by this.',
  labelNames: ['topic', 'rule'] as const,
  registers: [metricsRegistry],
});
export const slaBreaches = new Counter({
  name: 'simpul_sla_breaches_total',
  help: 'Applications with a task past its due time undecided (counted once per application, when the SLA sweep records it).',
  registers: [metricsRegistry],
});

/** What an outbox reports at each scrape: unpublished rows and the age of the oldest. */
export type OutboxProbe = () => Promise<{ unpublished: number; oldestAgeSeconds: number }>;
const outboxProbes = new Map<string, OutboxProbe>();

/** Adds an outbox table to the backlog gauges (read at each scrape); returns its removal. */
export function registerOutboxProbe(outbox: string, probe: OutboxProbe): () => void {
  outboxProbes.set(outbox, probe);
  return () => {
    if (outboxProbes.get(outbox) === probe) outboxProbes.delete(outbox);
  };
}

type Backlog = Awaited<ReturnType<OutboxProbe>>;
let reading: Promise<Array<[string, Backlog]>> | undefined;

/** Every outbox's backlog, read once per scrape however many gauges ask (the registry collects them concurrently). */
function readBacklogs(): Promise<Array<[string, Backlog]>> {
  reading ??= Promise.all(
    // A database that cannot answer leaves its series out of this scrape rather than failing it.
    [...outboxProbes].map(async ([outbox, probe]) => [outbox, await probe().catch(() => undefined)] as const),
  )
    .then((backlogs) => backlogs.filter((entry): entry is [string, Backlog] => entry[1] !== undefined))
    .finally(() => (reading = undefined));
  return reading;
}

new Gauge({
  name: 'simpul_outbox_unpublished_events',
  help: 'Outbox rows not yet published to the broker, by outbox table.',
  labelNames: ['outbox'] as const,
  registers: [metricsRegistry],
  async collect() {
    const backlogs = await readBacklogs();
    this.reset();
    for (const [outbox, backlog] of backlogs) this.set({ outbox }, backlog.unpublished);
  },
});
new Gauge({
  name: 'simpul_outbox_oldest_unpublished_age_seconds',
  help: 'Age of the oldest outbox row not yet published (0 when none): grows while the broker is unreachable.',
  labelNames: ['outbox'] as const,
  registers: [metricsRegistry],
  async collect() {
    const backlogs = await readBacklogs();
    this.reset();
    for (const [outbox, backlog] of backlogs) this.set({ outbox }, backlog.oldestAgeSeconds);
  },
});

let processMetrics = false;

/** The Prometheus text of this process: its Simpul metrics and Node's process metrics. */
export async function metricsText(): Promise<string> {
  if (!processMetrics) {
    processMetrics = true;
    collectDefaultMetrics({ register: metricsRegistry });
  }
  return metricsRegistry.metrics();
}

/** Answers GET /metrics. */
export async function sendMetrics(res: ServerResponse): Promise<void> {
  const body = await metricsText();
  res.writeHead(200, { 'content-type': metricsRegistry.contentType });
  res.end(body);
}

const MAX_OPERATIONS = 200;
const operations = new Set<string>();

/**
 * A client-chosen operation name as a label: a plain GraphQL name without a long run of digits (a
 * NIK or KK is 16), at most MAX_OPERATIONS distinct ones per process (a label's values must stay
 * few); anything else is `other`, no name `anonymous`.
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || /\d{5,}/.test(name)) return 'other';
  if (operations.has(name)) return name;
  if (operations.size >= MAX_OPERATIONS) return 'other';
  operations.add(name);
  return name;
}

/** Seconds since `startNs` (process.hrtime.bigint()). */
export function secondsSince(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e9;
}
