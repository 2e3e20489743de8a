import { createEventConsumer, OutboxRelay, TASK_STATUS_TOPIC, type EventConsumer, type EventTransport, type OutboxRelayOptions } from '@simpul/events';
import type { ApplicationsRuntime } from './context';
import { inbox, outbox } from './db/schema';
import { SlaSweep } from './modules/task/sla-sweep';
import { handleTaskStatus, TASK_STATUS_CONSUMER_GROUP } from './modules/task/task-status.consumer';
import { startTaskWebhookConsumers, type TaskWebhookConsumers, type TaskWebhookOptions } from './modules/webhook/task-webhook.consumer';

/**
 * Retries of a failing status handler before the report is dead-lettered: 8 attempts from 500 ms
 * doubling up to 30 s (about a minute in all), enough to ride out a restart of the database or of
 * the audit log, which must record every report's change before it is applied.
 */
export const DEFAULT_STATUS_CONSUMER_RETRY = { maxAttempts: 8, backoff: { initialMs: 500, maxMs: 30_000 } } as const;

export interface EventProcessingOptions {
  /** How often overdue tasks are looked for (default 60 s). */
  slaSweepIntervalMs?: number;
  relay?: Pick<OutboxRelayOptions, 'pollIntervalMs' | 'backoff' | 'batchSize'>;
  /** Retries of a failing status handler before the event is dead-lettered (default DEFAULT_STATUS_CONSUMER_RETRY). */
  consumer?: { maxAttempts?: number; backoff?: { initialMs?: number; maxMs?: number } };
  /** Delivery of the webhook participants' tasks (attempts, backoff, timeout); defaults in DEFAULT_WEBHOOK_DELIVERY. */
  webhooks?: TaskWebhookOptions;
}

export interface EventProcessing {
  relay: OutboxRelay;
  consumer: EventConsumer;
  sweep: SlaSweep;
  /** The task deliveries to webhook participants (runtime.webhooks), one consumer each. */
  webhooks: TaskWebhookConsumers;
  /**
   * Stops the sweep, then the status consumer (the event in flight finishes) and the webhook
   * deliveries (those in flight are interrupted and redelivered later), then the relay.
   */
  stop(): Promise<void>;
}

/**
 * The event side of the service: the outbox relay publishing what submissions and status changes
 * enqueued, the consumer of `mpp.task.status.v1`, the consumers POSTing the webhook participants'
 * tasks to them, and the SLA sweep. The transport is connected here
 * and stays open; its owner closes it after stop().
 */
export async function startEventProcessing(runtime: ApplicationsRuntime, transport: EventTransport, options: EventProcessingOptions = {}): Promise<EventProcessing> {
  await transport.connect();
  const relay = new OutboxRelay({ db: runtime.db, outbox, transport, logger: runtime.logger, ...options.relay });
  relay.start();
  runtime.onCommit(() => relay.notify());

  const consumer = createEventConsumer({
    transport,
    db: afterEveryCommit(runtime.db, runtime.afterCommit),
    inbox,
    groupId: TASK_STATUS_CONSUMER_GROUP,
    topics: [TASK_STATUS_TOPIC],
    handlers: { 'mpp.task.status': handleTaskStatus(runtime) },
    // A status from an institution the catalogue does not list is dead-lettered, not applied.
    isKnownParticipant: (code) => runtime.catalogue.participants.has(code),
    logger: runtime.logger,
    maxAttempts: options.consumer?.maxAttempts ?? DEFAULT_STATUS_CONSUMER_RETRY.maxAttempts,
    backoff: { ...DEFAULT_STATUS_CONSUMER_RETRY.backoff, ...options.consumer?.backoff },
  });
  const sweep = new SlaSweep(runtime, options.slaSweepIntervalMs ?? 60_000);
  let webhooks: TaskWebhookConsumers;
  try {
    await consumer.start();
    webhooks = await startTaskWebhookConsumers(runtime, transport, options.webhooks);
    sweep.start();
  } catch (error) {
    await consumer.stop();
    await relay.stop();
    throw error;
  }

  return {
    relay,
    consumer,
    sweep,
    webhooks,
    async stop() {
      await sweep.stop();
      await Promise.all([consumer.stop(), webhooks.stop()]);
      await relay.stop();
    },
  };
}

/**
 * The database as the consumer sees it: `transaction()` runs `afterCommit` once it committed, so live
 * streams and the relay pick up what a status event changed without waiting for their next poll.
 */
function afterEveryCommit<TDb extends { transaction: (...args: never[]) => Promise<unknown> }>(db: TDb, afterCommit: () => void): TDb {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== 'transaction') return Reflect.get(target, property, receiver);
      return async (...args: Parameters<TDb['transaction']>) => {
        const result = await target.transaction(...args);
        afterCommit();
        return result;
      };
    },
  });
}
