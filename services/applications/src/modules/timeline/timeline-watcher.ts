import type { Database, Logger } from '@simpul/service-kit';
import type { ApplicationsSchema, ApplicationTimelineRow } from '../../db/schema';
import { findTimelineEntriesAfter } from './timeline.repository';

export interface TimelineWatcherOptions {
  db: Database<ApplicationsSchema>;
  logger: Logger;
  /**
   * How often watched timelines are read again when nothing nudged the watcher: the latency for
   * entries written by another replica of the service (default 1 s).
   */
  pollIntervalMs?: number;
}

interface Watch {
  applicationId: string;
  /** Position of the last entry delivered to this watcher. */
  after: number;
  deliver(entries: ApplicationTimelineRow[]): void;
}

/**
 * Follows application timelines for live streams. All watchers share one query per round, however
 * many streams are open. A round runs every `pollIntervalMs` while anything is watched, and at once
 * when this process nudges it after committing new entries.
 *
 * Per-application positions are safe to resume from because every writer locks the application row
 * before adding entries, so one application's entries are numbered in commit order.
 */
export class TimelineWatcher {
  private readonly watches = new Set<Watch>();
  private readonly pollIntervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private stopped = false;

  constructor(private readonly options: TimelineWatcherOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  /** Delivers the application's entries after position `after`, as they are committed; returns the unwatch function. */
  watch(applicationId: string, after: number, deliver: (entries: ApplicationTimelineRow[]) => void): () => void {
    const watch: Watch = { applicationId, after, deliver };
    this.watches.add(watch);
    this.schedule(0);
    return () => {
      this.watches.delete(watch);
      if (this.watches.size === 0) this.cancelTimer();
    };
  }

  /** New entries were committed: read now rather than at the next interval. */
  nudge(): void {
    if (this.watches.size > 0) this.schedule(0);
  }

  get watching(): number {
    return this.watches.size;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.watches.clear();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.cancelTimer();
    this.timer = setTimeout(() => void this.poll(), delayMs);
    this.timer.unref();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    const watches = [...this.watches];
    if (watches.length === 0) return;
    this.polling = (async () => {
      try {
        const ids = [...new Set(watches.map((w) => w.applicationId))];
        const entries = await findTimelineEntriesAfter(this.options.db, ids, Math.min(...watches.map((w) => w.after)));
        for (const watch of watches) {
          if (!this.watches.has(watch)) continue;
          const fresh = entries.filter((e) => e.applicationId === watch.applicationId && e.sequence > watch.after);
          if (fresh.length === 0) continue;
          watch.after = fresh.at(-1)!.sequence;
          watch.deliver(fresh);
        }
      } catch (error) {
        this.options.logger.warn({ err: error }, 'reading watched application timelines failed; retrying');
      }
    })();
    await this.polling;
    this.polling = undefined;
    if (this.watches.size === 0) return;
    const again = this.pollAgain;
    this.pollAgain = false;
    this.schedule(again ? 0 : this.pollIntervalMs);
  }
}
