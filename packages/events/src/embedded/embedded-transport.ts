import type { Logger } from '@simpul/service-kit';
import type { EventTransport, IncomingMessage, OutgoingMessage, ReplayPosition, SubscribeOptions, Subscription, TopicMessages } from '../transport';
import type { FetchPosition, FetchedRecord } from './log-store';

export interface EmbeddedTransportOptions {
  /** The embedded broker, e.g. http://127.0.0.1:4011 (EVENTS_URL). */
  url: string;
  /** How long one fetch waits for new messages (long poll, default 10 s: an idle consumer costs a request per wait, a new message ends it at once). */
  pollWaitMs?: number;
  /** Messages per fetch (default 200). */
  maxRecords?: number;
  /** Wait before delivering again a message whose handler threw (default 500 ms). */
  redeliveryDelayMs?: number;
  /** Timeout of a request (default 10 s; a fetch gets its long-poll wait on top). */
  requestTimeoutMs?: number;
  logger?: Logger;
}

export class BrokerRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BrokerRequestError';
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });

/**
 * Client of the embedded broker (src/embedded/main.ts) over HTTP. Same semantics as the Kafka
 * transport: per-key order within a partition, at-least-once delivery, offsets committed only after
 * the handler resolved. Unlike Kafka, a group has ONE active consumer: a new subscription of the
 * same group takes over all partitions and fences the previous one (it stops with an error log).
 */
export class EmbeddedTransport implements EventTransport {
  readonly kind = 'embedded' as const;
  private readonly base: string;
  private readonly subscriptions = new Set<EmbeddedSubscription>();

  constructor(private readonly options: EmbeddedTransportOptions) {
    this.base = options.url.replace(/\/+$/, '');
  }

  /** @internal One JSON call to the broker (also used by this transport's subscriptions). */
  async request<T>(method: 'GET' | 'POST', path: string, payload?: unknown, signal?: AbortSignal, waitMs = 0): Promise<T> {
    const timeout = AbortSignal.timeout((this.options.requestTimeoutMs ?? 10_000) + waitMs);
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: payload === undefined ? undefined : { 'content-type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const json = (await response.json().catch(() => ({}))) as { code?: string; error?: string };
    if (!response.ok) throw new BrokerRequestError(response.status, json.code ?? 'HTTP_ERROR', json.error ?? `broker answered ${response.status}`);
    return json as T;
  }

  async connect(): Promise<void> {
    await this.request('GET', '/healthz');
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.request('POST', `/v1/topics/${encodeURIComponent(topic)}/messages`, { messages: messages.map(wireMessage) });
  }

  async publishTopics(batches: TopicMessages[]): Promise<void> {
    const topics = batches.filter((batch) => batch.messages.length > 0);
    if (topics.length === 0) return;
    await this.request('POST', '/v1/messages', { topics: topics.map(({ topic, messages }) => ({ topic, messages: messages.map(wireMessage) })) });
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const subscription = new EmbeddedSubscription(this, options, {
      pollWaitMs: this.options.pollWaitMs ?? 10_000,
      maxRecords: this.options.maxRecords ?? 200,
      redeliveryDelayMs: this.options.redeliveryDelayMs ?? 500,
      logger: this.options.logger,
    });
    await subscription.start();
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        await subscription.stop();
        this.subscriptions.delete(subscription);
      },
    };
  }

  async replay(groupId: string, topic: string, from: ReplayPosition): Promise<void> {
    await this.request('POST', `/v1/groups/${encodeURIComponent(groupId)}/seek`, { topic, from });
  }

  async read(topic: string, options: { limit?: number } = {}): Promise<IncomingMessage[]> {
    const { partitions } = await this.describe(topic);
    const positions = partitions.filter((p) => p.endOffset > 0).map((p) => ({ topic, partition: p.partition, offset: 0, end: p.endOffset }));
    const messages: IncomingMessage[] = [];
    while (positions.length > 0) {
      const { records } = await this.request<{ records: FetchedRecord[] }>('POST', '/v1/fetch', {
        positions: positions.map(({ topic: t, partition, offset }) => ({ topic: t, partition, offset })),
        maxWaitMs: 0,
        maxRecords: 1_000,
      });
      for (const record of records) {
        const position = positions.find((p) => p.partition === record.partition)!;
        if (record.offset < position.end) messages.push(toIncoming(record));
        position.offset = Math.max(position.offset, record.offset + 1);
      }
      for (let i = positions.length - 1; i >= 0; i--) if (positions[i]!.offset >= positions[i]!.end) positions.splice(i, 1);
    }
    messages.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
    return options.limit === undefined ? messages : messages.slice(0, options.limit);
  }

  async listTopics(): Promise<string[]> {
    return (await this.request<{ topics: string[] }>('GET', '/v1/topics')).topics;
  }

  describe(topic: string): Promise<{ partitions: Array<{ partition: number; endOffset: number }> }> {
    return this.request('GET', `/v1/topics/${encodeURIComponent(topic)}`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
  }
}

function wireMessage(message: OutgoingMessage) {
  return { key: message.key, value: message.value, headers: message.headers ?? {} };
}

function toIncoming(record: FetchedRecord): IncomingMessage {
  return {
    topic: record.topic,
    partition: record.partition,
    offset: String(record.offset),
    key: record.key,
    value: record.value,
    headers: record.headers,
    timestamp: record.timestamp,
  };
}

interface PartitionPosition extends FetchPosition {
  /** While a handler failure is being backed off, the partition is not fetched. */
  retryAt: number;
  /** The offset the broker has as committed for this partition (`offset` runs ahead until the next commit). */
  committed: number;
}

class EmbeddedSubscription {
  private readonly positions: PartitionPosition[] = [];
  private generation = 0;
  /** A newer consumer of the group took over: this one commits nothing more. */
  private fencedOut = false;
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly transport: EmbeddedTransport,
    private readonly options: SubscribeOptions,
    private readonly settings: { pollWaitMs: number; maxRecords: number; redeliveryDelayMs: number; logger?: Logger },
  ) {}

  private get groupPath(): string {
    return `/v1/groups/${encodeURIComponent(this.options.groupId)}`;
  }

  async start(): Promise<void> {
    const { generation } = await this.transport.request<{ generation: number }>('POST', `${this.groupPath}/join`, {});
    this.generation = generation;
    const query = this.options.topics.map((t) => `topic=${encodeURIComponent(t)}`).join('&');
    const committed = await this.transport.request<{ offsets: FetchPosition[] }>('GET', `${this.groupPath}/offsets?${query}`);
    for (const topic of this.options.topics) {
      const { partitions } = await this.transport.describe(topic);
      for (const { partition, endOffset } of partitions) {
        const offset = committed.offsets.find((c) => c.topic === topic && c.partition === partition)?.offset;
        const start = offset ?? (this.options.fromBeginning === false ? endOffset : 0);
        this.positions.push({ topic, partition, offset: start, retryAt: 0, committed: start });
      }
    }
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    let failures = 0;
    while (!signal.aborted) {
      const now = Date.now();
      const ready = this.positions.filter((p) => p.retryAt <= now);
      const nextRetry = Math.min(...this.positions.filter((p) => p.retryAt > now).map((p) => p.retryAt));
      if (ready.length === 0) {
        await sleep(nextRetry - now, signal);
        continue;
      }
      let records: FetchedRecord[];
      const commit = this.uncommitted();
      try {
        const maxWaitMs = Math.max(0, Math.min(this.settings.pollWaitMs, nextRetry - now));
        ({ records } = await this.transport.request<{ records: FetchedRecord[] }>(
          'POST',
          '/v1/fetch',
          {
            positions: ready.map(({ topic, partition, offset }) => ({ topic, partition, offset })),
            maxWaitMs,
            maxRecords: this.settings.maxRecords,
            ...(commit ? { commit: { group: this.options.groupId, ...commit } } : {}),
          },
          signal,
          maxWaitMs,
        ));
        if (commit) this.committed(commit.offsets);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        if (isFenced(error)) {
          this.fenced(error);
          break;
        }
        // The broker is restarting or unreachable: keep the positions (and what is left to commit) and try again.
        failures += 1;
        this.settings.logger?.warn({ err: error, groupId: this.options.groupId }, 'event fetch failed; retrying');
        await sleep(Math.min(100 * 2 ** failures, 5_000), signal);
        continue;
      }
      if (!(await this.process(records))) break;
    }
  }

  private fenced(error: unknown): void {
    this.fencedOut = true;
    this.settings.logger?.error({ groupId: this.options.groupId }, `${(error as Error).message}; stopping this subscription`);
  }

  /** What was handled and not yet committed, as a commit request. */
  private uncommitted(): { generation: number; offsets: FetchPosition[] } | undefined {
    const offsets = this.positions.filter((p) => p.offset > p.committed).map(({ topic, partition, offset }) => ({ topic, partition, offset }));
    return offsets.length === 0 ? undefined : { generation: this.generation, offsets };
  }

  private committed(offsets: FetchPosition[]): void {
    for (const { topic, partition, offset } of offsets) {
      const position = this.positions.find((p) => p.topic === topic && p.partition === partition);
      if (position) position.committed = Math.max(position.committed, offset);
    }
  }

  /**
   * Commits what was handled; false when this consumer was fenced. A commit that fails otherwise is
   * kept for the next fetch (the messages were handled: they need not be delivered again here).
   */
  private async commitHandled(): Promise<boolean> {
    if (this.fencedOut) return false;
    const commit = this.uncommitted();
    if (!commit) return true;
    try {
      await this.transport.request('POST', `${this.groupPath}/commit`, commit);
      this.committed(commit.offsets);
    } catch (error) {
      if (isFenced(error)) {
        this.fenced(error);
        return false;
      }
      this.settings.logger?.warn({ err: error, groupId: this.options.groupId }, 'offset commit failed; will commit with the next fetch');
    }
    return true;
  }

  /**
   * Handles fetched records in order per partition; false when this consumer was fenced. The offset
   * of a handled record is committed before the next record is handled, or, after the batch's last
   * one, with the next fetch (one request instead of two per message while events trickle in).
   */
  private async process(records: FetchedRecord[]): Promise<boolean> {
    for (const record of records) {
      if (this.stopping.signal.aborted) return false;
      const position = this.positions.find((p) => p.topic === record.topic && p.partition === record.partition);
      // Skip what an earlier failure in this partition put back for redelivery.
      if (!position || position.offset !== record.offset || position.retryAt > Date.now()) continue;
      if (!(await this.commitHandled())) return false;
      try {
        await this.options.handle(toIncoming(record));
      } catch (error) {
        this.settings.logger?.warn({ err: error, topic: record.topic, partition: record.partition, offset: record.offset }, 'event handler failed; will redeliver');
        position.retryAt = Date.now() + this.settings.redeliveryDelayMs;
        continue;
      }
      position.offset = record.offset + 1;
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    // What the last batch handled (its commit may have gone with a fetch the stop interrupted: committing again is harmless).
    await this.commitHandled();
  }
}

function isFenced(error: unknown): boolean {
  return error instanceof BrokerRequestError && error.code === 'FENCED';
}
