import type { Logger } from '@simpul/service-kit';
import {
  Kafka,
  Partitioners,
  logLevel as KafkaLogLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type KafkaConfig,
  type KafkaMessage,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { uuidv7 } from '../contracts/uuid-v7';
import type { EventTransport, IncomingMessage, OutgoingMessage, ReplayPosition, SubscribeOptions, Subscription, TopicMessages } from '../transport';

export interface KafkaTransportOptions {
  brokers: string[];
  clientId?: string;
  /** Further kafkajs client settings: ssl, sasl, connectionTimeout, retry, socketFactory… */
  client?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logLevel' | 'logCreator'>;
  /**
   * Idempotent producer (exactly-once appends per partition). Off by default because librdkafka's
   * mock cluster cannot serve it; turn it on against a real cluster.
   */
  idempotent?: boolean;
  /** Consumer session timeout (default 30 s). A consumer that dies without leaving holds its partitions this long. */
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Longest a fetch waits for new messages (default 1 s). */
  maxWaitTimeMs?: number;
  /** Wait before delivering again a message whose handler threw (default 1 s). */
  redeliveryDelayMs?: number;
  /**
   * How `replay({ timestamp })` finds offsets: `broker` asks Kafka (ListOffsets by time); `scan`
   * reads the topic and compares message timestamps, for brokers without that API (librdkafka's mock).
   */
  timestampLookup?: 'broker' | 'scan';
  /** kafkajs log level forwarded to `logger` (default warn). */
  logLevel?: 'error' | 'warn' | 'info' | 'debug' | 'nothing';
  logger?: Logger;
}

const LOG_LEVELS = {
  nothing: KafkaLogLevel.NOTHING,
  error: KafkaLogLevel.ERROR,
  warn: KafkaLogLevel.WARN,
  info: KafkaLogLevel.INFO,
  debug: KafkaLogLevel.DEBUG,
} as const;

interface Watermark {
  partition: number;
  low: bigint;
  high: bigint;
}

/**
 * Kafka via kafkajs. Topics are created on first use (broker auto-create), so a deployment needs
 * `auto.create.topics.enable` or pre-created topics. Each subscription is one kafkajs consumer with
 * manual commits: the offset after a message is committed only once `handle` resolved.
 */
export class KafkaTransport implements EventTransport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private admin?: Promise<Admin>;
  private producerConnected?: Promise<void>;
  private readonly subscriptions = new Set<KafkaSubscription>();

  constructor(private readonly options: KafkaTransportOptions) {
    const logger = options.logger;
    this.kafka = new Kafka({
      ...options.client,
      brokers: options.brokers,
      clientId: options.clientId ?? 'simpul',
      logLevel: LOG_LEVELS[options.logLevel ?? 'warn'],
      logCreator:
        () =>
        ({ level, log, namespace }: LogEntry) => {
          if (!logger) return;
          const { message, ...extra } = log;
          const entry = { kafkajs: namespace, ...extra };
          if (level <= KafkaLogLevel.ERROR) logger.error(entry, message);
          else if (level === KafkaLogLevel.WARN) logger.warn(entry, message);
          else if (level === KafkaLogLevel.INFO) logger.info(entry, message);
          else logger.debug(entry, message);
        },
    });
    const idempotent = options.idempotent ?? false;
    this.producer = this.kafka.producer({
      idempotent,
      // Without idempotence a retried request could overtake the next one: one in flight keeps key order.
      maxInFlightRequests: idempotent ? 5 : 1,
      allowAutoTopicCreation: true,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.producerConnected = undefined;
    });
  }

  private consumerConfig(groupId: string) {
    return {
      groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      rebalanceTimeout: this.options.rebalanceTimeoutMs ?? 60_000,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? 3_000,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 1_000,
      allowAutoTopicCreation: true,
    };
  }

  private adminClient(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => (this.admin = undefined));
    }
    return this.admin;
  }

  private ensureProducer(): Promise<void> {
    if (!this.producerConnected) {
      this.producerConnected = this.producer.connect();
      this.producerConnected.catch(() => (this.producerConnected = undefined));
    }
    return this.producerConnected;
  }

  async connect(): Promise<void> {
    await this.ensureProducer();
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    await this.publishTopics([{ topic, messages }]);
  }

  async publishTopics(batches: TopicMessages[]): Promise<void> {
    const topicMessages = batches
      .filter((batch) => batch.messages.length > 0)
      .map(({ topic, messages }) => ({ topic, messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) }));
    if (topicMessages.length === 0) return;
    await this.ensureProducer();
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages });
    } catch (error) {
      // kafkajs keeps its connections after a failed send. One that died without closing (a silent
      // partition) then times out every later request, even once the network is back: drop them all,
      // so the caller's next attempt (the outbox relay retries) dials the brokers again.
      this.producerConnected = undefined;
      await this.producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    const client = this.options.client?.retry;
    const subscription = new KafkaSubscription(
      // retries: 5 is kafkajs's consumer default, which any `retry` given here would otherwise replace.
      (restartOnFailure) => this.kafka.consumer({ ...this.consumerConfig(options.groupId), retry: { retries: 5, restartOnFailure } }),
      options,
      {
        redeliveryDelayMs: this.options.redeliveryDelayMs ?? 1_000,
        joinTimeoutMs: (this.options.sessionTimeoutMs ?? 30_000) + (this.options.rebalanceTimeoutMs ?? 60_000),
        restartDelayMs: client?.initialRetryTime ?? 300,
        restartOnFailure: client?.restartOnFailure,
        logger: this.options.logger,
      },
    );
    await subscription.start();
    this.subscriptions.add(subscription);
    return {
      stop: async () => {
        await subscription.stop();
        this.subscriptions.delete(subscription);
      },
    };
  }

  private async watermarks(topic: string): Promise<Watermark[]> {
    const admin = await this.adminClient();
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) })).sort((a, b) => a.partition - b.partition);
  }

  /**
   * Commits the new position as a member of the group itself (the group must be stopped). This
   * works on every broker, including ones without DescribeGroups or admin offset APIs.
   */
  async replay(groupId: string, topic: string, from: ReplayPosition): Promise<void> {
    const watermarks = await this.watermarks(topic);
    const targets = await this.positionsFor(topic, watermarks, from);
    const consumer = this.kafka.consumer(this.consumerConfig(groupId));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const assignment = waitForJoin(consumer, (this.options.sessionTimeoutMs ?? 30_000) + (this.options.rebalanceTimeoutMs ?? 60_000));
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // Nothing is processed or resolved: this member exists only to commit the new position.
        eachBatch: async ({ pause }) => void pause(),
      });
      const assigned = (await assignment)[topic] ?? [];
      if (assigned.length < watermarks.length) {
        throw new Error(`consumer group ${groupId} has running members on ${topic}; stop them before replaying`);
      }
      await consumer.commitOffsets(targets.map(({ partition, offset }) => ({ topic, partition, offset: offset.toString() })));
    } finally {
      await consumer.disconnect();
    }
  }

  private async positionsFor(topic: string, watermarks: Watermark[], from: ReplayPosition): Promise<Array<{ partition: number; offset: bigint }>> {
    if (from === 'earliest') return watermarks.map((w) => ({ partition: w.partition, offset: w.low }));
    if (from === 'latest') return watermarks.map((w) => ({ partition: w.partition, offset: w.high }));
    if ('offset' in from) {
      const offset = BigInt(from.offset);
      return watermarks.map((w) => ({ partition: w.partition, offset: offset < w.low ? w.low : offset > w.high ? w.high : offset }));
    }
    if ((this.options.timestampLookup ?? 'broker') === 'broker') {
      const admin = await this.adminClient();
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, from.timestamp);
      return offsets.map((o) => ({ partition: o.partition, offset: BigInt(o.offset) }));
    }
    const messages = await this.readUpTo(topic, watermarks);
    return watermarks.map((w) => {
      const first = messages.find((m) => m.partition === w.partition && m.timestamp >= from.timestamp);
      return { partition: w.partition, offset: first ? BigInt(first.offset) : w.high };
    });
  }

  async listTopics(): Promise<string[]> {
    const admin = await this.adminClient();
    return (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
  }

  async read(topic: string, options: { limit?: number } = {}): Promise<IncomingMessage[]> {
    const messages = await this.readUpTo(topic, await this.watermarks(topic));
    return options.limit === undefined ? messages : messages.slice(0, options.limit);
  }

  /** Everything below the given high watermarks, through a throwaway consumer group. */
  private async readUpTo(topic: string, watermarks: Watermark[]): Promise<IncomingMessage[]> {
    const remaining = new Map(watermarks.filter((w) => w.high > w.low).map((w) => [w.partition, w.high]));
    if (remaining.size === 0) return [];
    const messages: IncomingMessage[] = [];
    const consumer = this.kafka.consumer(this.consumerConfig(`simpul-read-${uuidv7()}`));
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 120_000);
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const high = remaining.get(partition);
              if (high === undefined) return;
              if (BigInt(message.offset) < high) messages.push(toIncoming(topic, partition, message));
              if (BigInt(message.offset) + 1n >= high) remaining.delete(partition);
              if (remaining.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return messages.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.subscriptions.clear();
    const admin = this.admin;
    this.admin = undefined;
    await Promise.all([this.producer.disconnect(), admin?.then((a) => a.disconnect()).catch(() => undefined)]);
  }
}

function headerValue(value: IHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

function toIncoming(topic: string, partition: number, message: KafkaMessage): IncomingMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerValue(value);
    if (text !== undefined) headers[name] = text;
  }
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString() : null,
    value: message.value ? message.value.toString() : '',
    headers,
    timestamp: Number(message.timestamp),
  };
}

/** Resolves with the member's assignment on its first successful join of the group. */
function waitForJoin(consumer: Consumer, timeoutMs: number): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      removeListener();
      reject(new Error(`consumer did not join its group within ${timeoutMs} ms`));
    }, timeoutMs);
    const removeListener = consumer.on(consumer.events.GROUP_JOIN, (event) => {
      clearTimeout(timer);
      removeListener();
      resolve(event.payload.memberAssignment);
    });
  });
}

interface SubscriptionSettings {
  redeliveryDelayMs: number;
  joinTimeoutMs: number;
  /** Wait before restarting a crashed consumer when the error names none (kafkajs's rule). */
  restartDelayMs: number;
  /** The client's own `retry.restartOnFailure`, still asked before each restart. */
  restartOnFailure?: (error: Error) => Promise<boolean>;
  logger?: Logger;
}

/**
 * One kafkajs consumer. kafkajs restarts a crashed consumer on a timer of its own, which `disconnect`
 * cannot reliably cancel: called while a crash is being handled, the timer is set after it; called
 * while the restart is joining, the join fails and is restarted again, or (if it gets through) runs on
 * with kafkajs holding no handle left to stop it. So kafkajs is told never to restart
 * (`restartOnFailure` answers false) and the subscription restarts the consumer itself, after the
 * delay kafkajs would have used; `stop` cancels a pending restart and waits out one in progress.
 */
class KafkaSubscription {
  private readonly consumer: Consumer;
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private stopping?: Promise<void>;
  private restartTimer?: NodeJS.Timeout;
  /** The latest `consumer.run`: it settles once that attempt joined the group or crashed. */
  private running: Promise<void> = Promise.resolve();

  constructor(
    createConsumer: (restartOnFailure: (error: Error) => Promise<boolean>) => Consumer,
    private readonly options: SubscribeOptions,
    private readonly settings: SubscriptionSettings,
  ) {
    this.consumer = createConsumer((error) => this.onCrash(error));
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (this.stopped || this.restartTimer) return;
      settings.logger?.error(
        { err: payload.error, groupId: payload.groupId, topics: options.topics },
        'kafka consumer crashed and will not restart; the subscription receives nothing more',
      );
    });
  }

  async start(): Promise<void> {
    const { consumer, options, settings } = this;
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning ?? true });
      const joined = waitForJoin(consumer, settings.joinTimeoutMs);
      joined.catch(() => undefined); // awaited below, unless run() throws first
      await this.run();
      // Resolve once the consumer owns its partitions, so "subscribed" means "receiving".
      await joined;
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  private run(): Promise<void> {
    const { consumer, options, settings } = this;
    this.running = consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachMessage: async ({ topic, partition, message, pause }) => {
        if (this.stopped) return; // not committed: the group's next member gets it
        try {
          await options.handle(toIncoming(topic, partition, message));
        } catch (error) {
          settings.logger?.warn({ err: error, topic, partition, offset: message.offset }, 'event handler failed; will redeliver');
          // Not committed: rewind this partition to the message and hold it for a moment.
          consumer.seek({ topic, partition, offset: message.offset });
          const resume = pause();
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resume();
          }, settings.redeliveryDelayMs);
          this.timers.add(timer);
          return;
        }
        await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      },
    });
    return this.running;
  }

  /**
   * kafkajs's `restartOnFailure`, asked (after it disconnected the consumer) about crashes it would
   * restart from. Always false to kafkajs; the restart, if any, is scheduled here.
   */
  private async onCrash(error: Error): Promise<false> {
    if (this.stopped) return false;
    const restart = this.settings.restartOnFailure ? await this.settings.restartOnFailure(error).catch(() => true) : true;
    if (!restart || this.stopped) return false;
    const retryTime = (error as { retryTime?: number }).retryTime;
    const delayMs = retryTime && retryTime > 0 ? retryTime : this.settings.restartDelayMs;
    this.settings.logger?.warn({ err: error, groupId: this.options.groupId, topics: this.options.topics, delayMs }, 'kafka consumer crashed; restarting it');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopped) void this.run().catch(() => undefined);
    }, delayMs);
    return false;
  }

  /** Idempotent; safe while a crash is being handled or a restart is pending or joining. */
  stop(): Promise<void> {
    if (!this.stopping) {
      this.stopped = true;
      this.stopping = this.shutdown();
      this.stopping.catch(() => (this.stopping = undefined)); // a failed disconnect may be tried again
    }
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    // Disconnecting while a run is still joining would orphan it (see the class comment): let it
    // finish joining, or crash (which no longer restarts), first.
    await this.running.catch(() => undefined);
    await this.consumer.disconnect();
  }
}
