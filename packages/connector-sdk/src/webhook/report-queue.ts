import type { Logger } from '@simpul/service-kit';
import { backoffDelay, sleep, StoppingError, type Backoff } from '../backoff';
import type { DecisionRecord } from '../store/decision-store';
import type { TaskDecider } from '../task-decider';
import type { StatusReporter } from './status-reporter';

/** Answers that no retry can change: the body is refused (400) or the eventId taken (409). */
const hopeless = (status: number | undefined) => status === 400 || status === 409;

/**
 * Sends status reports in the background until Simpul accepts them (webhook mode with
 * `acknowledge: 'decision-stored'`): a task is answered 2xx as soon as its decision is stored, and
 * its report follows. Reports not yet accepted are in the store (no `reportedAt`), so a restart
 * sends them again. Failures back off up to `maxMs`; 400 and 409 are logged and left to a restart.
 */
export class ReportQueue {
  private readonly pending = new Map<string, { record: DecisionRecord; failures: number; dueAt: number }>();
  private readonly stopping = new AbortController();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly options: { reporter: StatusReporter; decider: TaskDecider; backoff?: Backoff; logger?: Logger },
  ) {}

  /** Reports waiting to be accepted. */
  get size(): number {
    return this.pending.size;
  }

  start(unreported: DecisionRecord[]): void {
    for (const record of unreported) this.add(record);
    this.loop ??= this.run();
  }

  add(record: DecisionRecord): void {
    if (record.reportedAt) return;
    const queued = this.pending.get(record.taskId);
    if (queued?.record.reportEventId === record.reportEventId) return;
    this.pending.set(record.taskId, { record, failures: 0, dueAt: 0 });
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { reporter, decider, logger } = this.options;
    while (!this.stopping.signal.aborted) {
      const due = [...this.pending].filter(([, entry]) => entry.dueAt <= Date.now());
      for (const [taskId, entry] of due) {
        if (this.stopping.signal.aborted) return;
        let result;
        try {
          result = await reporter.send(entry.record, { signal: this.stopping.signal });
        } catch (error) {
          if (error instanceof StoppingError) return;
          throw error;
        }
        const current = this.pending.get(taskId);
        if (result.ok) {
          await decider.markReported(entry.record).catch((error: unknown) => logger?.error({ err: error, taskId }, 'could not note the report as accepted'));
          if (current === entry) this.pending.delete(taskId);
          logger?.info({ taskId, eventId: entry.record.reportEventId, status: entry.record.decision.status }, 'status report accepted');
        } else if (hopeless(result.status)) {
          logger?.error({ taskId, eventId: entry.record.reportEventId, error: result.message }, 'status report refused; not retried before a restart');
          if (current === entry) this.pending.delete(taskId);
        } else {
          entry.failures += 1;
          entry.dueAt = Date.now() + backoffDelay(entry.failures, { initialMs: 1_000, maxMs: 60_000, ...this.options.backoff });
          logger?.warn({ taskId, eventId: entry.record.reportEventId, failures: entry.failures, error: result.message }, 'status report not accepted; will retry');
        }
      }
      if (this.stopping.signal.aborted) return;
      const wakeUp = new Promise<void>((resolve) => (this.wake = resolve));
      if (this.pending.size === 0) await wakeUp;
      else {
        const next = Math.min(...[...this.pending.values()].map((entry) => entry.dueAt)) - Date.now();
        if (next > 0) await Promise.race([sleep(next, this.stopping.signal).catch(() => undefined), wakeUp]);
      }
      this.wake = undefined;
    }
  }
}
