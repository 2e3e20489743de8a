import { parseUuid } from '@simpul/identifiers';
import { request as httpRequest, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { correlationIdOf, type HttpRoute, type Logger } from '@simpul/service-kit';
import { CORRELATION_ID_HEADER } from '../subgraphs/subgraph-data-source';

const PATH = /^\/live\/applications\/([^/]+)$/;
/** The 8-4-4-4-12 form the applications service accepts (parseUuid of @simpul/identifiers). */
const SERVICE_NAME = 'applications';

export interface ApplicationEventsProxyOptions {
  /** The applications subgraph URL (supergraph or SUBGRAPH_APPLICATIONS_URL); its origin serves the stream. */
  applicationsUrl: string;
  /** How long to wait for the stream's response headers; the stream itself may stay open indefinitely. */
  connectTimeoutMs: number;
  logger: Logger;
}

/**
 * `GET /live/applications/<id>`: the applications service's server-sent events stream
 * (`/applications/<id>/events`) on the gateway's origin, so a browser's EventSource needs no CORS.
 *
 * Each chunk is written on as it arrives (no buffering here or, with `x-accel-buffering: no`, in an
 * nginx in front); `Last-Event-ID` goes upstream so a reconnecting client resumes where it left off;
 * a client that goes away closes the upstream stream with it.
 */
export function applicationEventsProxyRoute(options: ApplicationEventsProxyOptions): HttpRoute {
  const origin = new URL(options.applicationsUrl).origin;
  const request = origin.startsWith('https:') ? httpsRequest : httpRequest;
  return (req, res) => {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match) return false;
    const correlationId = correlationIdOf(req);
    const logger = options.logger.child({ correlationId });
    if (req.method !== 'GET') {
      sendErrors(res, 405, 'Use GET', 'METHOD_NOT_ALLOWED', correlationId, { allow: 'GET' });
      return true;
    }
    const parsed = parseUuid(safeDecode(match[1]!) ?? '', 'Application id');
    if (!parsed.ok) {
      sendErrors(res, 400, parsed.message, 'BAD_USER_INPUT', correlationId, {}, { rule: parsed.rule });
      return true;
    }
    const id = parsed.value;

    const headers: OutgoingHttpHeaders = { accept: 'text/event-stream', [CORRELATION_ID_HEADER]: correlationId };
    const lastEventId = req.headers['last-event-id'];
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;

    const upstream = request(new URL(`/applications/${id}/events`, origin), { method: 'GET', headers });
    const connectTimer = setTimeout(() => upstream.destroy(new UpstreamTimeoutError()), options.connectTimeoutMs);
    let clientGone = false;
    // The response closes on a client disconnect and after a completed response alike: upstream is done either way.
    res.once('close', () => {
      clientGone = true;
      clearTimeout(connectTimer);
      upstream.destroy();
    });

    upstream.once('response', (stream) => {
      clearTimeout(connectTimer);
      res.writeHead(stream.statusCode ?? 502, {
        'content-type': stream.headers['content-type'] ?? 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-accel-buffering': 'no',
        [CORRELATION_ID_HEADER]: correlationId,
      });
      res.flushHeaders();
      req.socket.setNoDelay(true);
      stream.on('data', (chunk: Buffer) => {
        // Back-pressure: a slow client pauses the upstream read instead of piling events up in memory.
        if (!res.write(chunk)) {
          stream.pause();
          res.once('drain', () => stream.resume());
        }
      });
      // Also when the applications service goes away mid-stream: end ours too, EventSource reconnects itself.
      stream.once('close', () => {
        if (!res.writableEnded) res.end();
      });
      // A reset mid-stream also closes the stream (handled above); unhandled, the error would crash the gateway.
      stream.on('error', () => undefined);
    });

    upstream.on('error', (error) => {
      clearTimeout(connectTimer);
      if (clientGone || res.writableEnded) return;
      if (res.headersSent) {
        res.end();
        return;
      }
      const timedOut = error instanceof UpstreamTimeoutError;
      logger.warn({ serviceName: SERVICE_NAME, err: error, applicationId: id }, 'live status stream: applications service unreachable');
      if (timedOut) {
        sendErrors(res, 504, `The ${SERVICE_NAME} service did not answer within ${options.connectTimeoutMs} ms`, 'SUBGRAPH_TIMEOUT', correlationId, {}, { serviceName: SERVICE_NAME });
      } else {
        sendErrors(res, 502, `The ${SERVICE_NAME} service is unavailable`, 'SUBGRAPH_UNAVAILABLE', correlationId, {}, { serviceName: SERVICE_NAME });
      }
    });
    upstream.end();
    return true;
  };
}

class UpstreamTimeoutError extends Error {
  override name = 'TimeoutError';
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function sendErrors(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  correlationId: string,
  headers: Record<string, string> = {},
  extensions: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', [CORRELATION_ID_HEADER]: correlationId, ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] }));
}
