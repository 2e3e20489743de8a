import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, parseEvent, verifyWebhook, WEBHOOK_HEADERS } from '@simpul/events';
import type { Logger } from '@simpul/service-kit';
import { StoppingError } from '../backoff';
import { BodyTooLargeError, readBody, sendJson } from '@simpul/service-kit';
import { listenHttp, sendError, serveHealth, type HttpListener } from '../http';
import type { Backoff } from '../backoff';
import type { DecisionRecord } from '../store/decision-store';
import { ConnectorError, taskOf, UnprocessableTaskError, type TaskDecider } from '../task-decider';
import { ReportQueue } from './report-queue';
import type { StatusReporter } from './status-reporter';
import { requestUrl } from '@simpul/service-kit';

/**
 * When a delivered task is answered 2xx: `report-accepted` once Simpul accepted its status report
 * (else 503, and Simpul's redelivery is the retry); `decision-stored` as soon as the decision is
 * stored, the report following in the background (retried, and re-sent after a restart).
 */
export type WebhookAcknowledgement = 'report-accepted' | 'decision-stored';

export interface WebhookModeOptions {
  participant: string;
  decider: TaskDecider;
  reporter: StatusReporter;
  secret: string;
  host: string;
  port: number;
  /** Path Simpul posts tasks to (default /tasks): WEBHOOK_URL_<P> = http://host:port/tasks. */
  path: string;
  /** Largest task body accepted (default 256 KiB). */
  maxBodyBytes?: number;
  /** Largest clock difference accepted on a signature (default 300 s). */
  toleranceSeconds?: number;
  /**
   * Time one delivery may take before answering (default 8 s, under Simpul's 10 s timeout): status
   * report retries stop here and the task is answered 503, so Simpul delivers it again later.
   */
  responseBudgetMs?: number;
  acknowledge?: WebhookAcknowledgement;
  /** `decision-stored`: the stored decisions whose reports Simpul has not accepted yet. */
  unreported: () => Promise<DecisionRecord[]>;
  /** `decision-stored`: delay between background report retries (default 1 s ×2, at most 60 s). */
  backgroundBackoff?: Backoff;
  logger?: Logger;
  now: () => Date;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

/**
 * Webhook mode: an HTTP server taking Simpul's signed task deliveries (`POST <path>`). A delivery is
 * answered 200 only once the task is decided (once per taskId) and Simpul accepted its status report
 * (202); otherwise 503, and Simpul delivers it again. `GET /healthz`, `GET /readyz`.
 */
export class WebhookMode {
  private listener?: HttpListener;
  private stopping = new AbortController();
  private accepting = false;
  private readonly queue?: ReportQueue;

  constructor(private readonly options: WebhookModeOptions) {
    if (options.acknowledge === 'decision-stored') {
      this.queue = new ReportQueue({ reporter: options.reporter, decider: options.decider, backoff: options.backgroundBackoff, logger: options.logger });
    }
  }

  /** `decision-stored`: reports not yet accepted by Simpul. */
  get pendingReports(): number {
    return this.queue?.size ?? 0;
  }

  /** Where Simpul posts the tasks (WEBHOOK_URL_<P>). */
  get url(): string {
    if (!this.listener) throw new Error('webhook mode is not started');
    return `${this.listener.origin}${this.options.path}`;
  }

  get origin(): string {
    if (!this.listener) throw new Error('webhook mode is not started');
    return this.listener.origin;
  }

  get ready(): boolean {
    return this.accepting;
  }

  async start(): Promise<void> {
    if (this.listener) return;
    this.stopping = new AbortController();
    const unreported = this.queue ? await this.options.unreported() : [];
    this.listener = await listenHttp((req, res) => this.handle(req, res), this.options.host, this.options.port, (error) =>
      this.options.logger?.error({ err: error }, 'task delivery failed'),
    );
    this.queue?.start(unreported);
    this.accepting = true;
    this.options.logger?.info({ url: this.url }, 'receiving tasks');
  }

  /** Refuses new deliveries (503), lets the ones in flight finish, closes the server. */
  async stop(): Promise<void> {
    this.accepting = false;
    this.stopping.abort();
    await this.listener?.close();
    this.listener = undefined;
    await this.queue?.stop();
  }

  /**
   * Reports a revised decision: `report-accepted` sends it now (throws REPORT_NOT_ACCEPTED when Simpul
   * does not take it; the decision stays stored), `decision-stored` queues it.
   */
  async report(record: DecisionRecord): Promise<void> {
    if (this.queue) return this.queue.add(record);
    const result = await this.options.reporter.send(record);
    if (!result.ok) throw new ConnectorError('REPORT_NOT_ACCEPTED', `Simpul did not accept the status report of task ${record.taskId}: ${result.message}`);
    await this.options.decider.markReported(record);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (serveHealth(req, res, () => this.accepting)) return;
    const path = requestUrl(req).pathname;
    if (path !== this.options.path) return sendError(res, 404, 'NOT_FOUND', `no route ${req.method} ${path}`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return sendError(res, 405, 'METHOD_NOT_ALLOWED', `use POST ${this.options.path}`);
    }
    if (!this.accepting) return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'the connector is stopping; deliver the task again later');
    await this.deliver(req, res);
  }

  private async deliver(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger, decider } = this.options;
    const started = Date.now();
    let raw: string;
    try {
      raw = await readBody(req, { limit: this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        return sendError(res, 413, 'PAYLOAD_TOO_LARGE', error.message);
      }
      throw error;
    }
    const header = req.headers[WEBHOOK_HEADERS.signature];
    const verified = verifyWebhook(this.options.secret, raw, Array.isArray(header) ? header[0] : header, {
      now: this.options.now(),
      toleranceSeconds: this.options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
    });
    if (!verified.ok) {
      logger?.warn({ reason: verified.reason }, 'task delivery refused: signature');
      return sendError(res, 401, 'UNAUTHENTICATED', `${WEBHOOK_HEADERS.signature} refused: ${verified.reason}`, { reason: verified.reason });
    }
    const parsed = parseEvent(raw);
    if (!parsed.ok) {
      return sendError(res, 400, 'BAD_USER_INPUT', parsed.error.message, { rule: parsed.error.rule, issues: parsed.error.issues.slice(0, 20) });
    }
    const event = parsed.event;
    if (event.type !== 'mpp.task.assigned') {
      return sendError(res, 400, 'BAD_USER_INPUT', `expected an mpp.task.assigned event, got ${event.type}`, { rule: 'UNHANDLED_EVENT_TYPE' });
    }
    const headerEventId = req.headers[WEBHOOK_HEADERS.eventId];
    if (typeof headerEventId === 'string' && headerEventId !== event.id) {
      return sendError(res, 400, 'BAD_USER_INPUT', `${WEBHOOK_HEADERS.eventId} ${headerEventId} is not the envelope's id ${event.id}`, { rule: 'EVENT_ID_MISMATCH' });
    }
    const task = taskOf(event);
    const refusal = decider.refusal(task);
    if (refusal) return this.unprocessable(res, refusal);

    let decided;
    try {
      decided = await decider.decide(task);
    } catch (error) {
      if (error instanceof UnprocessableTaskError) return this.unprocessable(res, error);
      logger?.warn({ err: error, taskId: task.taskId }, 'task could not be decided now; Simpul will deliver it again');
      return sendError(res, 503, 'SERVICE_UNAVAILABLE', `task ${task.taskId} could not be decided now: ${(error as Error).message}`);
    }
    const { record, replayed } = decided;
    if (this.queue) {
      this.queue.add(record);
      logger?.info(
        { taskId: task.taskId, applicationId: task.applicationId, taskKind: task.taskKind, status: record.decision.status, eventId: record.reportEventId, replayed },
        replayed ? 'task delivered again; decision already stored' : 'task decided; report queued',
      );
      return sendJson(res, 200, { taskId: task.taskId, status: record.decision.status, eventId: record.reportEventId, replayed });
    }
    const deadline = started + (this.options.responseBudgetMs ?? 8_000);
    let report;
    try {
      report = await this.options.reporter.send(record, { deadline, signal: this.stopping.signal });
    } catch (error) {
      if (!(error instanceof StoppingError)) throw error;
      report = { ok: false as const, attempts: 0, message: 'the connector is stopping' };
    }
    if (!report.ok) {
      logger?.error({ taskId: task.taskId, eventId: record.reportEventId, status: report.status, error: report.message }, 'status report not accepted by Simpul');
      return sendError(res, 503, 'SERVICE_UNAVAILABLE', `task ${task.taskId} is decided (${record.decision.status}) but Simpul did not accept its status report: ${report.message}`, {
        taskId: task.taskId,
        eventId: record.reportEventId,
      });
    }
    await decider.markReported(record).catch((error: unknown) => logger?.warn({ err: error, taskId: task.taskId }, 'could not note the report as accepted'));
    logger?.info(
      { taskId: task.taskId, applicationId: task.applicationId, taskKind: task.taskKind, status: record.decision.status, eventId: record.reportEventId, replayed },
      replayed ? 'task delivered again; decision re-sent' : 'task decided',
    );
    sendJson(res, 200, { taskId: task.taskId, status: record.decision.status, eventId: record.reportEventId, replayed });
  }

  private unprocessable(res: ServerResponse, error: UnprocessableTaskError): void {
    this.options.logger?.error({ rule: error.rule, error: error.message }, 'task cannot be processed');
    // Not 2xx: Simpul retries, then parks the task in its DLQ for a replay once this is fixed.
    const status = error.rule === 'INVALID_DECISION' ? 500 : 422;
    sendError(res, status, status === 500 ? 'INTERNAL_SERVER_ERROR' : 'UNPROCESSABLE_TASK', error.message, { rule: error.rule });
  }
}
