import { signWebhook, WEBHOOK_HEADERS } from '@simpul/events';
import type { Logger } from '@simpul/service-kit';
import { backoffDelay, sleep, type Backoff } from '../backoff';
import type { DecisionRecord } from '../store/decision-store';
import { statusDataOf } from '../task-decider';

/** The body of `POST /participants/<code>/task-status` (docs/participants.md). */
export interface StatusReportBody {
  taskId: string;
  applicationId: string;
  status: 'IN_REVIEW' | 'APPROVED' | 'REJECTED';
  reason?: string;
  documents: Array<{ kind: string; number: string }>;
  eventId: string;
}

export function statusReportOf(record: DecisionRecord): StatusReportBody {
  const { participant: _participant, ...data } = statusDataOf(record);
  return { ...data, eventId: record.reportEventId };
}

export interface StatusReporterOptions {
  /** Simpul's status URL, e.g. http://127.0.0.1:4000/participants/bank-bpd/task-status. */
  url: string;
  participant: string;
  secret: string;
  /** Attempts per report (default 4). */
  attempts?: number;
  /** Delay between attempts (default 250 ms ×2, at most 2 s). */
  backoff?: Backoff;
  /** Timeout of one attempt (default 3 s). */
  timeoutMs?: number;
  logger?: Logger;
  now?: () => Date;
}

export type StatusReportResult =
  | { ok: true; eventId: string; attempts: number }
  | { ok: false; attempts: number; status?: number; code?: string; message: string };

/** Statuses worth another attempt: Simpul unavailable or overloaded, not a refusal of the report. */
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

/**
 * Reports decisions to Simpul over HTTP: the body signed with the shared secret (`x-simpul-signature`,
 * re-signed on each attempt), the same `eventId` on every retry. 5xx, 408, 429, timeouts and network
 * errors are retried with backoff until the attempts or the deadline run out; other answers are final.
 */
export class StatusReporter {
  constructor(private readonly options: StatusReporterOptions) {}

  async send(record: DecisionRecord, limits: { deadline?: number; signal?: AbortSignal } = {}): Promise<StatusReportResult> {
    const { logger } = this.options;
    const body = JSON.stringify(statusReportOf(record));
    const attempts = this.options.attempts ?? 4;
    const timeoutMs = this.options.timeoutMs ?? 3_000;
    const now = this.options.now ?? (() => new Date());
    let last: StatusReportResult = { ok: false, attempts: 0, message: 'not sent' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const left = limits.deadline === undefined ? timeoutMs : Math.min(timeoutMs, limits.deadline - Date.now());
      if (left <= 0) break;
      last = await this.attempt(body, record.reportEventId, attempt, left, now());
      if (last.ok || (last.status !== undefined && !retryable(last.status))) return last;
      logger?.warn({ taskId: record.taskId, eventId: record.reportEventId, attempt, status: last.status, error: last.message }, 'status report not accepted; retrying');
      const delay = backoffDelay(attempt, { initialMs: 250, maxMs: 2_000, ...this.options.backoff });
      if (attempt === attempts || (limits.deadline !== undefined && Date.now() + delay >= limits.deadline)) break;
      await sleep(delay, limits.signal);
    }
    return last;
  }

  private async attempt(body: string, eventId: string, attempt: number, timeoutMs: number, at: Date): Promise<StatusReportResult> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_HEADERS.signature]: signWebhook(this.options.secret, body, at),
          [WEBHOOK_HEADERS.eventId]: eventId,
          [WEBHOOK_HEADERS.participant]: this.options.participant,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, attempts: attempt, message: `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${cause})` : ''}` };
    }
    const text = await response.text().catch(() => '');
    let json: { eventId?: unknown; error?: { code?: unknown; message?: unknown } } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // not JSON: described by the status alone
    }
    if (response.status === 202) return { ok: true, eventId: typeof json.eventId === 'string' ? json.eventId : eventId, attempts: attempt };
    const code = typeof json.error?.code === 'string' ? json.error.code : undefined;
    const message = typeof json.error?.message === 'string' ? json.error.message : text.slice(0, 200) || response.statusText;
    return { ok: false, attempts: attempt, status: response.status, code, message: `${response.status}${code ? ` ${code}` : ''}: ${message}` };
  }
}
