import { parseUuid } from '@simpul/identifiers';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  INTERNAL_CONTEXT_HEADER,
  correlationIdOf,
  httpRequestHash,
  type HttpRoute,
  type InternalContextSigner,
  type Logger,
  requestUrl,
} from '@simpul/service-kit';
import { principalOf } from '../auth/gateway-auth';
import { decodePathSegment, upstreamService } from '../http/upstream-request';
import { withPurposeParties, type ApplicationPurposeResolver } from '../subgraphs/application-purpose';
import { internalContextClaims, purposeOf } from '../subgraphs/internal-context';
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
  /**
   * Signs the stream request's `x-simpul-context` (INTERNAL_CONTEXT_PRIVATE_KEY) as the GraphQL data
   * sources sign theirs: the request's principal, its `x-simpul-purpose` and the correlation id.
   * Without it no context is sent (an applications service without INTERNAL_CONTEXT_PUBLIC_KEY).
   */
  signer?: InternalContextSigner;
  /** Binds an `application:<id>` purpose to its citizens for this caller, as for a GraphQL fetch. */
  purposes?: ApplicationPurposeResolver;
}

/**
 * `GET /live/applications/<id>`: the applications service's server-sent events stream
 * (`/applications/<id>/events`) on the gateway's origin, so a browser's EventSource needs no CORS.
 *
 * Each chunk is written on as it arrives (no buffering here or, with `x-accel-buffering: no`, in an
 * nginx in front); `Last-Event-ID` goes upstream so a reconnecting client resumes where it left off;
 * a client that goes away closes the upstream stream with it.
 *
 * With a signer, the upstream request carries a freshly signed `x-simpul-context` (the applications
 * service checks it when the stream opens: who may follow the application, with which purpose — the
 * one purposeRoute read, which already answered a malformed one with 400 BAD_USER_INPUT, as on
 * `/graphql`). A client's own `x-simpul-context` is never passed on.
 */
export function applicationEventsProxyRoute(options: ApplicationEventsProxyOptions): HttpRoute {
  const applications = upstreamService(SERVICE_NAME, options.applicationsUrl);
  return async (req, res) => {
    const match = PATH.exec(requestUrl(req).pathname);
    if (!match) return false;
    const correlationId = correlationIdOf(req);
    const logger = options.logger.child({ correlationId });
    if (req.method !== 'GET') {
      sendErrors(res, 405, 'Use GET', 'METHOD_NOT_ALLOWED', correlationId, { allow: 'GET' });
      return true;
    }
    const parsed = parseUuid(decodePathSegment(match[1]!) ?? '', 'Application id');
    if (!parsed.ok) {
      sendErrors(res, 400, parsed.message, 'BAD_USER_INPUT', correlationId, {}, { rule: parsed.rule });
      return true;
    }
    const id = parsed.value;

    const upstreamPath = `/applications/${id}/events`;
    const headers: OutgoingHttpHeaders = { accept: 'text/event-stream', [CORRELATION_ID_HEADER]: correlationId };
    const lastEventId = req.headers['last-event-id'];
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    if (options.signer) {
      try {
        const request = { principal: principalOf(req), correlationId, purpose: purposeOf(req) };
        const binding = { audience: 'applications', requestHash: httpRequestHash('GET', upstreamPath) };
        headers[INTERNAL_CONTEXT_HEADER] = await options.signer.sign(await withPurposeParties(internalContextClaims(request, binding), options.purposes, request));
      } catch (error) {
        logger.error({ err: error, applicationId: id }, 'live status stream: could not sign the internal context');
        sendErrors(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR', correlationId);
        return true;
      }
      // The client may have gone while the context was being signed.
      if (res.destroyed) return true;
    }

    const upstream = applications(res, {
      method: 'GET',
      path: upstreamPath,
      headers,
      timeoutMs: options.connectTimeoutMs,
      onResponse(stream) {
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
      },
      onFailure({ status, code, message, error }) {
        logger.warn({ serviceName: SERVICE_NAME, err: error, applicationId: id }, 'live status stream: applications service unreachable');
        sendErrors(res, status, message, code, correlationId, {}, { serviceName: SERVICE_NAME });
      },
      // A stream that breaks off ends: EventSource reconnects itself.
      onFailureAfterHeaders: () => {
        if (!res.writableEnded) res.end();
      },
    });
    upstream.end();
    return true;
  };
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
