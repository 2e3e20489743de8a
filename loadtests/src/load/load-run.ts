import autocannon from 'autocannon';
import { percentile } from '../report/statistics';
import { classifyGraphQLResponse, type ResponseVerdict } from './graphql-response-check';

/** One closed-loop load run against one GraphQL endpoint. Plain data: it crosses a process boundary. */
export interface LoadSpec {
  /** Shown in progress lines and kept in the result, e.g. `simpul`. */
  label: string;
  url: string;
  /**
   * More endpoints of the same service (replicas): the connections are split evenly over `url` and
   * these, as a load balancer would, and every figure covers all of them.
   */
  extraUrls?: string[];
  /** Request bodies sent in rotation across all connections: request n carries bodies[n % length]. */
  bodies: string[];
  headers?: Record<string, string>;
  /** Fields under `data` that must be non-null for a response to count as a success. */
  requiredDataFields: string[];
  /**
   * Not GraphQL: a response succeeds exactly when it has this HTTP status (e.g. 201 for an audit
   * append); `requiredDataFields` is then ignored.
   */
  expectedStatus?: number;
  connections: number;
  durationSeconds: number;
  /** Per-request timeout; a timed-out request is a failure. */
  timeoutSeconds: number;
}

export interface FailureCounts {
  httpStatus: number;
  invalidBody: number;
  graphqlErrors: number;
  missingData: number;
  /** Connection errors and timeouts reported by autocannon (timeouts are included here too). */
  connectionErrors: number;
  timeouts: number;
}

export interface LoadRunResult {
  label: string;
  url: string;
  connections: number;
  /** Measured wall time of the run. */
  elapsedSeconds: number;
  /** Completed HTTP responses, successful or not. */
  responses: number;
  /** Completed responses per second of elapsed time. */
  requestsPerSecond: number;
  /** Over every completed response; null when none completed. */
  latencyMs: { p50: number; p99: number; mean: number; max: number } | null;
  failures: FailureCounts;
  /** Responses that were not successes plus connection errors. */
  failedRequests: number;
  /** Up to three distinct failing bodies (truncated), so a report can say what went wrong. */
  failureSamples: string[];
}

const FAILURE_SAMPLE_LIMIT = 3;
const FAILURE_SAMPLE_LENGTH = 300;

export function emptyFailureCounts(): FailureCounts {
  return { httpStatus: 0, invalidBody: 0, graphqlErrors: 0, missingData: 0, connectionErrors: 0, timeouts: 0 };
}

const FAILURE_FIELD: Record<Exclude<ResponseVerdict, 'ok'>, keyof FailureCounts> = {
  'http-status': 'httpStatus',
  'invalid-body': 'invalidBody',
  'graphql-errors': 'graphqlErrors',
  'missing-data': 'missingData',
};

/** Runs autocannon in this process. Use `runLoadInChildProcess` so the client does not share an event loop with a server. */
export async function runLoad(spec: LoadSpec): Promise<LoadRunResult> {
  if (spec.bodies.length === 0) throw new Error(`load run "${spec.label}" has no request bodies`);
  const failures = emptyFailureCounts();
  const failureSamples: string[] = [];
  const latencies: number[] = [];
  let nextBody = 0;

  const urls = [spec.url, ...(spec.extraUrls ?? [])];
  if (spec.connections < urls.length) throw new Error(`load run "${spec.label}" needs at least one connection per endpoint`);
  const judge = (status: number, body: string): ResponseVerdict => {
    if (spec.expectedStatus === undefined) return classifyGraphQLResponse(status, body, spec.requiredDataFields);
    return status === spec.expectedStatus ? 'ok' : 'http-status';
  };

  const startedAt = process.hrtime.bigint();
  const results = await Promise.all(
    urls.map(
      (url, index) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon(
            {
              url,
              // The remainder goes to the first endpoints, one each.
              connections: Math.floor(spec.connections / urls.length) + (index < spec.connections % urls.length ? 1 : 0),
              duration: spec.durationSeconds,
              timeout: spec.timeoutSeconds,
              method: 'POST',
              headers: { 'content-type': 'application/json', ...spec.headers },
              requests: [
                {
                  setupRequest: (request) => {
                    request.body = spec.bodies[nextBody++ % spec.bodies.length];
                    return request;
                  },
                  onResponse: (status, body) => {
                    const verdict = judge(status, body);
                    if (verdict === 'ok') return;
                    failures[FAILURE_FIELD[verdict]] += 1;
                    const sample = `${status} ${body.slice(0, FAILURE_SAMPLE_LENGTH)}`;
                    if (failureSamples.length < FAILURE_SAMPLE_LIMIT && !failureSamples.includes(sample)) {
                      failureSamples.push(sample);
                    }
                  },
                },
              ],
            },
            (error: unknown, finished) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(finished)),
          );
          instance.on('response', (_client, _status, _bytes, responseTime) => {
            latencies.push(responseTime);
          });
        }),
    ),
  );
  const elapsedSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;

  failures.connectionErrors = results.reduce((sum, result) => sum + result.errors, 0);
  failures.timeouts = results.reduce((sum, result) => sum + result.timeouts, 0);
  const sorted = Float64Array.from(latencies).sort();
  const responseFailures = failures.httpStatus + failures.invalidBody + failures.graphqlErrors + failures.missingData;
  return {
    label: spec.label,
    url: spec.url,
    connections: spec.connections,
    elapsedSeconds,
    responses: sorted.length,
    requestsPerSecond: sorted.length / elapsedSeconds,
    latencyMs:
      sorted.length === 0
        ? null
        : {
            p50: percentile(sorted, 50),
            p99: percentile(sorted, 99),
            mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
            max: sorted[sorted.length - 1]!,
          },
    failures,
    failedRequests: responseFailures + failures.connectionErrors,
    failureSamples,
  };
}
