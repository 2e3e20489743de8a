import type { IncomingMessage } from 'node:http';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, verifyWebhook, WEBHOOK_HEADERS, type WebhookVerification } from '@simpul/events';
import { correlationIdOf, type HttpRoute, HttpRefusal, readBody, route, sendJson } from '@simpul/service-kit';
import type { z } from 'zod';
import type { ApplicationsRuntime } from '../../context';
import { acceptTaskStatusReport, taskStatusReportSchema } from './task-status-report.service';

/** A status report is a few hundred bytes; anything near this is not one. */
export const MAX_TASK_STATUS_BYTES = 64 * 1024;

type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

const STATUS_OF: Record<ErrorCode, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

const refuse = (code: ErrorCode, message: string, details: Record<string, unknown> = {}) => new HttpRefusal(STATUS_OF[code], code, message, details);

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
  return route({
    path: '/participants/:code/task-status',
    methods: ['POST'],
    logger: runtime.logger,
    async handle({ req, params }, res) {
      const logger = runtime.logger.child({ correlationId: correlationIdOf(req) });
      const participant = runtime.webhooks.get(params.code!);
      if (!participant) throw refuse('NOT_FOUND', `no participant ${JSON.stringify(params.code)} is connected over webhooks`);

      const body = await readBody(req, { limit: MAX_TASK_STATUS_BYTES });
      const verification = verifyWebhook(participant.secret, body, headerOf(req, WEBHOOK_HEADERS.signature), { now: runtime.now() });
      if (!verification.ok) {
        logger.warn({ participant: participant.code, reason: verification.reason }, 'task status report refused: signature');
        throw refuse('UNAUTHENTICATED', SIGNATURE_PROBLEMS[verification.reason], { reason: verification.reason });
      }

      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw refuse('BAD_USER_INPUT', 'the body is not JSON', { issues: [{ path: '', message: 'not valid JSON' }] });
      }
      const report = taskStatusReportSchema.safeParse(json);
      if (!report.success) throw refuse('BAD_USER_INPUT', 'the body is not a task status report', { issues: issuesOf(report.error) });

      const outcome = await acceptTaskStatusReport(runtime, participant.code, report.data, { traceparent: headerOf(req, 'traceparent') });
      if (!outcome.accepted) {
        logger.info({ participant: participant.code, taskId: report.data.taskId, code: outcome.code }, `task status report refused: ${outcome.message}`);
        throw refuse(outcome.code, outcome.message);
      }
      logger.info(
        { participant: participant.code, taskId: report.data.taskId, status: report.data.status, eventId: outcome.eventId, duplicate: outcome.duplicate },
        outcome.duplicate ? 'task status report repeated; already accepted' : 'task status report accepted',
      );
      sendJson(res, 202, { eventId: outcome.eventId });
    },
  });
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
