import { createInternalHttpClient, type InternalHttpResponse } from '../internal-http';
import { httpCheck, registerReadinessCheck } from '../observability/health';
import { auditAppendDuration, auditAppendFailures, secondsSince } from '../observability/metrics';
import { MAX_AUDIT_BATCH_RECORDS, type AuditBatch, type AuditBatches } from './audit-record';

/** The gateway-signed internal context (security contract); forwarded so the audit service can check who the records name. */
export const AUDIT_FORWARDED_CONTEXT_HEADER = 'x-simpul-context';

export interface AuditAppendRequest {
  /** The request's `x-simpul-context`, as received from the gateway. */
  internalContext?: string;
  correlationId: string;
}

/** Appends records to the audit log; resolves only once they are committed. */
export interface AuditSink {
  append(batch: AuditBatch, request: AuditAppendRequest): Promise<void>;
}

/** The gateway's side: one append for a whole client request. */
export interface AuditRequestSink {
  /**
   * Every subgraph's read records of one client request, with the context the gateway signed for
   * the audit log (`internalContext`); resolves only once they are committed.
   */
  appendRequest(batches: AuditBatches['batches'], request: AuditAppendRequest): Promise<void>;
}

/** The audit log did not confirm the records: the data they describe must not leave. */
export class AuditUnavailableError extends Error {
  /** Why, as the audit_append_failures metric counts it: no_token, unreachable or refused. */
  readonly reason: string;
  constructor(message: string, options?: { cause?: unknown; reason?: string }) {
    super(message, options);
    this.name = 'AuditUnavailableError';
    this.reason = options?.reason ?? 'unreachable';
  }
}

export const DEFAULT_AUDIT_TIMEOUT_MS = 3000;

/**
 * The audit service over HTTP (`POST <url>/records`). Bigger batches go as several posts, in order;
 * any failure (refused, timed out, unreachable, not 2xx) is an AuditUnavailableError.
 */
export function createAuditClient(options: {
  url: string;
  timeoutMs?: number;
  /**
   * The service's own access token (client credentials), sent when a batch has no gateway context:
   * the records of work a service does on its own, such as a task worker's (the audit service then
   * checks the records name that client).
   */
  accessToken?: () => Promise<string>;
}): AuditSink & AuditRequestSink {
  const endpoint = new URL('records', options.url.endsWith('/') ? options.url : `${options.url}/`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_AUDIT_TIMEOUT_MS;
  // The audit service answers a few hundred bytes; anything bigger is not its answer.
  const call = createInternalHttpClient({ timeoutMs, maxBytes: 64 * 1024 });
  // Reported on /readyz, not required: reads fail closed while the log is unreachable anyway (observability/health.ts).
  registerReadinessCheck('audit-log', { check: httpCheck(new URL('/healthz', endpoint).href), required: false });
  const post = async (body: unknown, request: AuditAppendRequest) => {
    const started = process.hrtime.bigint();
    try {
      await postOnce(body, request);
      auditAppendDuration.observe({ outcome: 'ok' }, secondsSince(started));
    } catch (error) {
      auditAppendDuration.observe({ outcome: 'failed' }, secondsSince(started));
      auditAppendFailures.inc({ reason: error instanceof AuditUnavailableError ? error.reason : 'unreachable' });
      throw error;
    }
  };
  const postOnce = async (body: unknown, request: AuditAppendRequest) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-correlation-id': request.correlationId };
    if (request.internalContext) headers[AUDIT_FORWARDED_CONTEXT_HEADER] = request.internalContext;
    else if (options.accessToken) {
      try {
        headers.authorization = `Bearer ${await options.accessToken()}`;
      } catch (error) {
        throw new AuditUnavailableError(`no access token for the audit service: ${(error as Error).message}`, { cause: error, reason: 'no_token' });
      }
    }
    let response: InternalHttpResponse;
    try {
      response = await call(endpoint.href, { method: 'POST', headers, body: JSON.stringify(body) });
    } catch (error) {
      throw new AuditUnavailableError(`audit service at ${endpoint.origin} did not answer: ${(error as Error).message}`, { cause: error, reason: 'unreachable' });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) {
      throw new AuditUnavailableError(`audit service refused the records (HTTP ${response.status}): ${text.slice(0, 300)}`, { reason: 'refused' });
    }
  };
  return {
    async append(batch, request) {
      for (let i = 0; i < batch.records.length; i += MAX_AUDIT_BATCH_RECORDS) {
        await post({ service: batch.service, records: batch.records.slice(i, i + MAX_AUDIT_BATCH_RECORDS) }, request);
      }
    },
    async appendRequest(batches, request) {
      if (batches.length > 0) await post({ batches }, request);
    },
  };
}
