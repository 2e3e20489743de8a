import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, verifyWebhook, WEBHOOK_HEADERS, type WebhookVerification } from '@simpul/events';
import { correlationIdOf, type HttpRoute } from '@simpul/service-kit';
import type { z } from 'zod';
import type { ApplicationsRuntime } from '../../context';
import { acceptTaskStatusReport, taskStatusReportSchema } from './task-status-report.service';

const PATH = /^\/participants\/([^/]+)\/task-status$/;
/** A status report is a few hundred bytes; anything near this is not one. */
export const MAX_TASK_STATUS_BYTES = 64 * 1024;

type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL_SERVER_ERROR';

const STATUS_OF: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
};

const SIGNATURE_PROBLEMS: Record<Exclude<WebhookVerification, { ok: true }>['reason'], string> = {
  MISSING_SIGNATURE: `no ${WEBHOOK_HEADERS.signature} header`,
  MALFORMED_SIGNATURE: `${WEBHOOK_HEADERS.signature} must be t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
  STALE_TIMESTAMP: `the signature's timestamp is more than ${DEFAULT_WEBHOOK_TOLERANCE_SECONDS} s away from Simpul's clock`,
  BAD_SIGNATURE: 'the signature does not match the body (another secret, or the body changed after signing)',
};

/**
 * `POST /participants/<code>/task-status`: a webhook participant reports on its task
 * (docs/participants.md, option 2; the gateway forwards it from its own origin).
 *
 * Unknown or non-webhook participant: 404 before the body is read. Then: body over 64 KB 413,
 * signature (HMAC of the raw body with the participant's secret) 401, body shape 400 with
 * `error.issues`, task 404 / 403, eventId reused for another report 409; accepted: 202 `{ eventId }`
 * once the `mpp.task.status.v1` event is committed to the outbox. Errors are
 * `{ "error": { "code", "message", … } }`.
 */
export function taskStatusRoute(runtime: ApplicationsRuntime): HttpRoute {
  return async (req, res) => {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match) return false;
    const correlationId = correlationIdOf(req);
    const logger = runtime.logger.child({ correlationId });
    const fail = (code: ErrorCode, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
      sendJson(res, STATUS_OF[code], { error: { code, message, ...details } }, headers);

    try {
      if (req.method !== 'POST') {
        fail('METHOD_NOT_ALLOWED', 'use POST', {}, { allow: 'POST' });
        return true;
      }
      const code = safeDecode(match[1]!);
      const participant = code === undefined ? undefined : runtime.webhooks.get(code);
      if (!participant) {
        fail('NOT_FOUND', `no participant ${JSON.stringify(code ?? match[1])} is connected over webhooks`);
        return true;
      }

      const body = await readBody(req, MAX_TASK_STATUS_BYTES);
      if (body === undefined) {
        fail('PAYLOAD_TOO_LARGE', `the body exceeds ${MAX_TASK_STATUS_BYTES} bytes`, {}, { connection: 'close' });
        return true;
      }
      const verification = verifyWebhook(participant.secret, body, headerOf(req, WEBHOOK_HEADERS.signature), { now: runtime.now() });
      if (!verification.ok) {
        logger.warn({ participant: participant.code, reason: verification.reason }, 'task status report refused: signature');
        fail('UNAUTHENTICATED', SIGNATURE_PROBLEMS[verification.reason], { reason: verification.reason });
        return true;
      }

      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        fail('BAD_USER_INPUT', 'the body is not JSON', { issues: [{ path: '', message: 'not valid JSON' }] });
        return true;
      }
      const report = taskStatusReportSchema.safeParse(json);
      if (!report.success) {
        fail('BAD_USER_INPUT', 'the body is not a task status report', { issues: issuesOf(report.error) });
        return true;
      }

      const outcome = await acceptTaskStatusReport(runtime, participant.code, report.data, { traceparent: headerOf(req, 'traceparent') });
      if (!outcome.accepted) {
        logger.info({ participant: participant.code, taskId: report.data.taskId, code: outcome.code }, `task status report refused: ${outcome.message}`);
        fail(outcome.code, outcome.message);
        return true;
      }
      logger.info(
        { participant: participant.code, taskId: report.data.taskId, status: report.data.status, eventId: outcome.eventId, duplicate: outcome.duplicate },
        outcome.duplicate ? 'task status report repeated; already accepted' : 'task status report accepted',
      );
      sendJson(res, 202, { eventId: outcome.eventId });
    } catch (error) {
      logger.error({ err: error }, 'task status report failed');
      if (!res.headersSent) fail('INTERNAL_SERVER_ERROR', 'Internal server error; retry later', { correlationId });
      else res.end();
    }
    return true;
  };
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * The raw body as text, or undefined past `limit` bytes. Reading goes on (discarding) after the
 * limit, so the 413 can still be written on the connection.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  if (Number(req.headers['content-length']) > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.once('error', reject);
  });
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
