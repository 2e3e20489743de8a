import type { ServerResponse } from 'node:http';
import { correlationIdOf, type HttpRoute, type Logger, requestUrl } from '@simpul/service-kit';
import { decodePathSegment, upstreamService } from '../http/upstream-request';
import { CORRELATION_ID_HEADER } from '../subgraphs/subgraph-data-source';

const PATH = /^\/participants\/([^/]+)\/task-status$/;
/** A participant code as the service catalogue writes it (lower-kebab); anything else is no participant. */
const PARTICIPANT_CODE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const SERVICE_NAME = 'applications';
/** What the applications service needs to authenticate and trace the report; nothing else goes upstream. */
const FORWARDED_HEADERS = ['content-type', 'content-length', 'x-simpul-signature', 'traceparent'] as const;

export interface TaskStatusProxyOptions {
  /** The applications subgraph URL (supergraph or SUBGRAPH_APPLICATIONS_URL); its origin serves the route. */
  applicationsUrl: string;
  /** How long the applications service has to answer. */
  timeoutMs: number;
  logger: Logger;
}

/**
 * `POST /participants/<code>/task-status`: a webhook participant's status report
 * (docs/participants.md, option 2), forwarded to the applications service on the gateway's origin.
 * The body is streamed through untouched: the signature is an HMAC over its exact bytes. The
 * applications service's answer (202, or its `{ error: { code, … } }`) comes back as it is; when it
 * cannot be reached the gateway answers 502 `SUBGRAPH_UNAVAILABLE` / 504 `SUBGRAPH_TIMEOUT` in the
 * same error shape, and the participant retries.
 */
export function taskStatusProxyRoute(options: TaskStatusProxyOptions): HttpRoute {
  const applications = upstreamService(SERVICE_NAME, options.applicationsUrl);
  return (req, res) => {
    const match = PATH.exec(requestUrl(req).pathname);
    if (!match) return false;
    const correlationId = correlationIdOf(req);
    const logger = options.logger.child({ correlationId });
    if (req.method !== 'POST') {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', 'use POST', correlationId, {}, { allow: 'POST' });
      return true;
    }
    const code = decodePathSegment(match[1]!);
    if (code === undefined || !PARTICIPANT_CODE.test(code)) {
      sendError(res, 404, 'NOT_FOUND', `no participant ${JSON.stringify(code ?? match[1])}`, correlationId);
      return true;
    }

    const headers: Record<string, string | string[]> = { [CORRELATION_ID_HEADER]: correlationId };
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    const upstream = applications(res, {
      method: 'POST',
      path: `/participants/${code}/task-status`,
      headers,
      timeoutMs: options.timeoutMs,
      onResponse(answer) {
        res.writeHead(answer.statusCode ?? 502, {
          'content-type': answer.headers['content-type'] ?? 'application/json; charset=utf-8',
          ...(answer.headers.allow ? { allow: answer.headers.allow } : {}),
          [CORRELATION_ID_HEADER]: correlationId,
        });
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
      onFailure({ status, code: errorCode, message, error }) {
        logger.warn({ serviceName: SERVICE_NAME, err: error, participant: code }, 'task status report: applications service unreachable');
        sendError(res, status, errorCode, message, correlationId, { serviceName: SERVICE_NAME });
      },
      // A report cut short is no report: the participant sees the connection fail, and retries.
      onFailureAfterHeaders: () => res.destroy(),
    });
    req.pipe(upstream);
    return true;
  };
}

/** The participants' error shape (docs/participants.md): `{ "error": { "code", "message", … } }`. */
function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  correlationId: string,
  details: Record<string, string> = {},
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', [CORRELATION_ID_HEADER]: correlationId, ...headers });
  res.end(JSON.stringify({ error: { code, message, ...details } }));
}
