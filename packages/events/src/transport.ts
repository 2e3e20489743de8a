// The small interface every event transport implements: Kafka (production, kafkajs) and the embedded
// log behind `npm start`. Semantics are Kafka's: topics split into partitions, ordering per key
// (partition key = application id), consumer groups, offsets committed only after processing.

export interface OutgoingMessage {
  /** Partition key: the application id, so one application's events stay ordered. */
  key: string;
  /** Serialised event envelope (JSON). */
  value: string;
  headers?: Record<string, string>;
}

export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  /** Broker append time, ms since epoch. */
  timestamp: number;
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** Where a group with no committed offset starts. Default: earliest (never miss an event). */
  fromBeginning?: boolean;
  /**
   * Called once per message, in order per partition. Resolving commits the offset; throwing does not
   * commit, and the message is delivered again (the consumer runtime adds retries, backoff and the DLQ).
   */
  handle(message: IncomingMessage): Promise<void>;
}

export interface Subscription {
  /** Stops fetching, lets the in-flight message finish, leaves the group. */
  stop(): Promise<void>;
}

export type ReplayPosition = { offset: string } | { timestamp: number } | 'earliest' | 'latest';

export interface EventTransport {
  readonly kind: 'kafka' | 'embedded';
  connect(): Promise<void>;
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  /**
   * Several topics' messages in one request to the broker, each topic's in order. Resolves once all
   * are acknowledged; on an error any of them may have been placed (publish them again: consumers
   * deduplicate by event id). Optional: without it, publish topic by topic.
   */
  publishTopics?(batches: TopicMessages[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Moves a (stopped) consumer group's committed position on a topic, for every partition. */
  replay(groupId: string, topic: string, from: ReplayPosition): Promise<void>;
  /** Every topic on the broker (tooling and audits, e.g. scanning topics for plaintext NIKs); Kafka's internal topics left out. */
  listTopics(): Promise<string[]>;
  /** Reads a topic from the beginning without a group (tooling, DLQ inspection, tests). */
  read(topic: string, options?: { limit?: number }): Promise<IncomingMessage[]>;
  close(): Promise<void>;
}
