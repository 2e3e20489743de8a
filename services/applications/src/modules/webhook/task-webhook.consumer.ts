import { AsyncLocalStorage } from 'node:async_hooks';
import {
  createEventConsumer,
  PermanentEventError,
  taskAssignedTopic,
  type EventConsumer,
  type EventOf,
  type EventTransport,
  type IncomingMessage,
} from '@simpul/events';
import type { ApplicationsRuntime } from '../../context';
import { inbox } from '../../db/schema';
import { postTask } from './task-webhook';
import { DEFAULT_WEBHOOK_DELIVERY, type WebhookDelivery, type WebhookParticipant } from './webhook-config';

/** The consumer group delivering a webhook participant's tasks: `webhooks.bank-bpd`. */
export function taskWebhookGroup(participant: string): string {
  return `webhooks.${participant}`;
}

export interface TaskWebhookOptions {
  maxAttempts?: number;
  backoff?: { initialMs?: number; maxMs?: number };
  timeoutMs?: number;
}

export interface TaskWebhookConsumers {
  consumers: ReadonlyMap<string, EventConsumer>;
  /** Interrupts the deliveries in flight (they are redelivered later, not dead-lettered) and stops consuming. */
  stop(): Promise<void>;
}

/**
 * Delivers the tasks of every webhook participant (runtime.webhooks): one consumer per participant
 * on `mpp.task.assigned.<participant>.v1`, group `webhooks.<participant>`, POSTing each task
 * (signed) to the participant. A non-2xx answer, a timeout or a connection failure throws, so the
 * consumer retries with backoff and finally dead-letters the task to `<topic>.dlq`, from where
 * `simpul events replay --dlq` delivers it again. The inbox records delivered tasks: a redelivered
 * message is not POSTed twice, but a task the participant took whose commit failed is (the
 * participant decides per taskId, docs/participants.md). The POST runs with no transaction open and
 * the inbox row is written after a 2xx: a participant that reports its decision (to this service)
 * before answering must not wait on a connection its own delivery holds — on PGlite there is one.
 */
export async function startTaskWebhookConsumers(
  runtime: ApplicationsRuntime,
  transport: EventTransport,
  options: TaskWebhookOptions = {},
): Promise<TaskWebhookConsumers> {
  const delivery: WebhookDelivery = {
    maxAttempts: options.maxAttempts ?? DEFAULT_WEBHOOK_DELIVERY.maxAttempts,
    backoff: { ...DEFAULT_WEBHOOK_DELIVERY.backoff, ...options.backoff },
    timeoutMs: options.timeoutMs ?? DEFAULT_WEBHOOK_DELIVERY.timeoutMs,
  };
  const stopping = new AbortController();
  const view = deliveryTransport(transport, stopping.signal);
  const consumers = new Map<string, EventConsumer>();
  for (const participant of runtime.webhooks.values()) {
    consumers.set(
      participant.code,
      createEventConsumer({
        transport: view,
        db: runtime.db,
        inbox,
        groupId: taskWebhookGroup(participant.code),
        topics: [taskAssignedTopic(participant.code)],
        handlers: { 'mpp.task.assigned': deliverTask(runtime, participant, delivery, stopping.signal) },
        effect: 'before-inbox',
        logger: runtime.logger,
        maxAttempts: delivery.maxAttempts,
        backoff: delivery.backoff,
      }),
    );
  }

  const stop = async () => {
    stopping.abort();
    await Promise.all([...consumers.values()].map((consumer) => consumer.stop()));
  };
  try {
    for (const consumer of consumers.values()) await consumer.start();
  } catch (error) {
    await stop();
    throw error;
  }
  return { consumers, stop };
}

function deliverTask(runtime: ApplicationsRuntime, participant: WebhookParticipant, delivery: WebhookDelivery, stopping: AbortSignal) {
  return async (event: EventOf<'mpp.task.assigned'>): Promise<void> => {
    // The topic is the participant's own; a task for anyone else must never leave (it may carry a NIK).
    if (event.data.participant !== participant.code) {
      throw new PermanentEventError(`task ${event.data.taskId} is for ${event.data.participant}, not ${participant.code}`);
    }
    const message = inFlight.getStore();
    if (!message) throw new Error('no message in flight: deliverTask runs only inside the webhook consumer');
    const started = Date.now();
    await postTask(participant, message.value, {
      eventId: event.id,
      traceparent: event.traceparent,
      timeoutMs: delivery.timeoutMs,
      signal: stopping,
    });
    runtime.logger.info(
      { participant: participant.code, eventId: event.id, taskId: event.data.taskId, applicationId: event.data.applicationId, ms: Date.now() - started },
      'task delivered over webhook',
    );
  };
}

/** The message being processed: its value is what is POSTed, byte for byte as on the topic. */
const inFlight = new AsyncLocalStorage<IncomingMessage>();

/**
 * The transport as the webhook consumers see it: each message is processed inside `inFlight`, and
 * once stopping, dead letters are refused. A delivery interrupted by the shutdown is not the
 * participant's failure: refusing its dead letter leaves the message uncommitted, so it is
 * delivered again after the restart instead of landing in the DLQ on a last attempt.
 */
function deliveryTransport(transport: EventTransport, stopping: AbortSignal): EventTransport {
  return {
    kind: transport.kind,
    connect: () => transport.connect(),
    publish: async (topic, messages) => {
      if (stopping.aborted) throw new Error(`stopping: not dead-lettering to ${topic}; the task is left for redelivery`);
      await transport.publish(topic, messages);
    },
    subscribe: (options) => transport.subscribe({ ...options, handle: (message) => inFlight.run(message, () => options.handle(message)) }),
    replay: (groupId, topic, from) => transport.replay(groupId, topic, from),
    listTopics: () => transport.listTopics(),
    read: (topic, options) => transport.read(topic, options),
    close: () => transport.close(),
  };
}
