import { outboxPublished, outboxPublishFailures, registerOutboxProbe, type Logger } from '@simpul/service-kit';
import { and, asc, eq, inArray, isNull, lt, notExists, sql } from 'drizzle-orm';
import { alias, getTableConfig } from 'drizzle-orm/pg-core';
import { uuidv7 } from '../contracts/uuid-v7';
import type { PgExecutor } from '../db';
import type { EventTransport, OutgoingMessage } from '../transport';
import type { OutboxRow, OutboxTable } from './outbox-table';

export interface OutboxRelayOptions {
  db: PgExecutor;
  outbox: OutboxTable;
  transport: EventTransport;
  /** Rows claimed and published per round (default 100). */
  batchSize?: number;
  /** How often to look for new rows when not notified (default 500 ms). */
  pollIntervalMs?: number;
  /** How long a claim keeps other relay instances away (default 30 s); renewed on every retry. */
  leaseMs?: number;
  /** Backoff while the broker is unreachable: from `initialMs`, doubling, capped at `maxMs`. */
  backoff?: { initialMs?: number; maxMs?: number };
  logger?: Logger;
}

/**
 * Publishes outbox rows to the broker, in outbox order, and marks them published. A row is only
 * marked after the broker acknowledged it, so a crash or an outage can cause a re-publish (consumers
 * deduplicate by event id) but never a loss; a row that fails stays first in line, so nothing
 * behind it overtakes it.
 *
 * Several relay instances (service replicas) may run: claims are taken under an advisory lock and
 * only while no other instance holds a live claim, so one instance publishes at a time.
 */
export class OutboxRelay {
  readonly id = uuidv7();
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly lockKey: string;
  /** `<schema>.<table>`: the metrics' outbox label. */
  private readonly tableName: string;
  private unregisterProbe?: () => void;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private notified = false;
  private stopSignal = new AbortController();

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.initialBackoffMs = options.backoff?.initialMs ?? 200;
    this.maxBackoffMs = options.backoff?.maxMs ?? 30_000;
    const config = getTableConfig(options.outbox);
    this.tableName = `${config.schema ?? 'public'}.${config.name}`;
    this.lockKey = `simpul.outbox:${this.tableName}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopSignal = new AbortController();
    this.unregisterProbe = registerOutboxProbe(this.tableName, () => this.backlog());
    this.loop = this.run();
  }

  /** Publish soon: call after committing a transaction that enqueued events. */
  notify(): void {
    this.notified = true;
    this.wake?.();
  }

  /** Finishes the batch in flight, releases this instance's claims and stops. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unregisterProbe?.();
    this.stopSignal.abort();
    this.wake?.();
    await this.loop;
    await this.releaseClaims().catch((error: unknown) => this.options.logger?.warn({ err: error }, 'outbox relay could not release its claims'));
  }

  private async run(): Promise<void> {
    let failures = 0;
    // The first round, and one after a notify or a full batch, expects rows; one woken by the timer seldom finds any.
    let expectRows = true;
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishBatch(expectRows);
        failures = 0;
      } catch (error) {
        failures += 1;
        outboxPublishFailures.inc({ outbox: this.tableName });
        // Jitter spreads the retries of many services hitting the same broker outage.
        const delay = Math.round(Math.min(this.initialBackoffMs * 2 ** (failures - 1), this.maxBackoffMs) * (0.8 + Math.random() * 0.4));
        this.options.logger?.warn({ err: error, failures, retryInMs: delay }, 'outbox relay could not publish; retrying');
        await this.sleep(delay, false);
        continue;
      }
      expectRows = published >= this.batchSize || (await this.sleep(this.pollIntervalMs, true));
    }
  }

  /** Resolves true when woken by notify(), false when the time ran out (or on stop). */
  private sleep(ms: number, wakeOnNotify: boolean): Promise<boolean> {
    if (wakeOnNotify && this.notified) {
      this.notified = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const done = (notified: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        this.stopSignal.signal.removeEventListener('abort', stopped);
        resolve(notified);
      };
      const stopped = () => done(false);
      const timer = setTimeout(stopped, ms);
      this.stopSignal.signal.addEventListener('abort', stopped);
      if (wakeOnNotify) {
        this.wake = () => {
          this.notified = false;
          done(true);
        };
      }
    });
  }

  /**
   * One round: claim the oldest unpublished rows, publish them topic by topic in outbox order, mark
   * what the broker acknowledged. Returns how many rows were published; throws if publishing failed.
   * `expectRows: false` (a round of the poll timer): first one plain read for an unpublished row, so
   * an idle service's poll costs no transaction and no lock.
   */
  async publishBatch(expectRows = true): Promise<number> {
    if (!expectRows && !(await this.anyUnpublished())) return 0;
    const rows = await this.claim();
    if (rows.length === 0) return 0;
    const { outbox, db, transport } = this.options;
    const byTopic = new Map<string, OutboxRow[]>();
    for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);

    const messagesOf = (topicRows: OutboxRow[]): OutgoingMessage[] => topicRows.map((row) => ({ key: row.partitionKey, value: row.payload, headers: row.headers }));
    const published: number[] = [];
    try {
      if (transport.publishTopics && byTopic.size > 1) {
        // One request for every topic of the batch (a submission's status and first task, a step's released tasks).
        await transport.publishTopics([...byTopic].map(([topic, topicRows]) => ({ topic, messages: messagesOf(topicRows) })));
        published.push(...rows.map((row) => row.id));
      } else {
        for (const [topic, topicRows] of byTopic) {
          await transport.publish(topic, messagesOf(topicRows));
          published.push(...topicRows.map((row) => row.id));
        }
      }
    } catch (error) {
      const failed = rows.filter((row) => !published.includes(row.id)).map((row) => row.id);
      await db
        .update(outbox)
        .set({ publishAttempts: sql`${outbox.publishAttempts} + 1`, lastError: String((error as Error)?.message ?? error).slice(0, 1_000) })
        .where(inArray(outbox.id, failed))
        .catch(() => undefined);
      await this.markPublished(published);
      throw error;
    }
    await this.markPublished(published);
    outboxPublished.inc({ outbox: this.tableName }, published.length);
    return published.length;
  }

  /** Unpublished rows and the age of the oldest, read at each metrics scrape (the partial index covers it). */
  private async backlog(): Promise<{ unpublished: number; oldestAgeSeconds: number }> {
    const { outbox, db } = this.options;
    const [row] = await db
      .select({
        unpublished: sql<number>`count(*)::int`,
        oldestAgeSeconds: sql<number>`coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float8`,
      })
      .from(outbox)
      .where(isNull(outbox.publishedAt));
    return { unpublished: Number(row?.unpublished ?? 0), oldestAgeSeconds: Number(row?.oldestAgeSeconds ?? 0) };
  }

  private async markPublished(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const { outbox, db } = this.options;
    await db
      .update(outbox)
      .set({ publishedAt: sql`now()`, claimedBy: null, claimedUntil: null })
      .where(and(inArray(outbox.id, ids), eq(outbox.claimedBy, this.id)));
  }

  private async anyUnpublished(): Promise<boolean> {
    const { outbox, db } = this.options;
    const [row] = await db.select({ id: outbox.id }).from(outbox).where(isNull(outbox.publishedAt)).limit(1);
    return row !== undefined;
  }

  private async claim(): Promise<OutboxRow[]> {
    const { outbox, db } = this.options;
    const held = alias(outbox, 'held');
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${this.lockKey}))`);
      // Under the lock (so this statement sees every claim committed before it): nothing while another instance holds a live claim.
      const heldByAnother = tx
        .select({ id: held.id })
        .from(held)
        .where(and(isNull(held.publishedAt), sql`${held.claimedBy} <> ${this.id}`, sql`${held.claimedUntil} > now()`));
      const next = tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(isNull(outbox.publishedAt))
        .orderBy(asc(outbox.id))
        .limit(this.batchSize);
      const claimed = await tx
        .update(outbox)
        .set({ claimedBy: this.id, claimedUntil: sql`now() + ${`${this.leaseMs} milliseconds`}::interval` })
        .where(and(inArray(outbox.id, next), notExists(heldByAnother)))
        .returning();
      return claimed.sort((a, b) => a.id - b.id);
    });
  }

  private async releaseClaims(): Promise<void> {
    const { outbox, db } = this.options;
    await db
      .update(outbox)
      .set({ claimedBy: null, claimedUntil: null })
      .where(and(eq(outbox.claimedBy, this.id), isNull(outbox.publishedAt)));
  }
}

/** Deletes published outbox rows older than `olderThan` (the outbox is not an archive). */
export async function pruneOutbox(db: PgExecutor, outbox: OutboxTable, olderThan: Date): Promise<number> {
  const deleted = await db.delete(outbox).where(lt(outbox.publishedAt, olderThan)).returning({ id: outbox.id });
  return deleted.length;
}
