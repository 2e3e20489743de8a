export * from './contracts';
export * from './transport';
export * from './create-transport';
export * from './events-env';
export { KafkaTransport, type KafkaTransportOptions } from './kafka/kafka-transport';
export { EmbeddedTransport, BrokerRequestError, type EmbeddedTransportOptions } from './embedded/embedded-transport';
export { startEmbeddedBroker, type EmbeddedBrokerOptions, type RunningEmbeddedBroker } from './embedded/broker-server';
export { DEFAULT_PARTITIONS, partitionForKey } from './embedded/log-store';
export type { PgExecutor, TransactionOf } from './db';
export { outboxTable, type OutboxTable, type OutboxRow } from './outbox/outbox-table';
export { enqueue, eventHeaders, EVENT_HEADERS } from './outbox/enqueue';
export { OutboxRelay, pruneOutbox, type OutboxRelayOptions } from './outbox/outbox-relay';
export { inboxTable, pruneInbox, type InboxTable } from './inbox/inbox-table';
export {
  createEventConsumer,
  PermanentEventError,
  type EventConsumer,
  type EventConsumerOptions,
  type EventHandlers,
  type EventOutcome,
} from './consumer/event-consumer';
export {
  DLQ_HEADERS,
  REPLAY_FOR_GROUP_HEADER,
  REPLAYED_FROM_HEADER,
  describeDeadLetter,
  publishDeadLetter,
  replayDlq,
  type DeadLetter,
  type DeadLetterRule,
  type ReplayDlqOptions,
} from './consumer/dead-letter';
export {
  startTaskWorker,
  startTaskWorkerFromEnv,
  taskRetryPolicy,
  type TaskWorkerServiceEnv,
  taskStatusData,
  taskWorkerGroup,
  type AssignedTask,
  type TaskDecision,
  type TaskHandler,
  type TaskWorker,
  type TaskWorkerOptions,
} from './participant/task-worker';
export { parseTaskInputs, type ParseTaskInputsOptions } from './participant/task-inputs';
export {
  loadTaskWorkerEnv,
  participantTasks,
  type ParticipantTasks,
  type ParticipantTasksDefinition,
  type TaskClock,
  type TaskWorkerOverrides,
} from './participant/participant-tasks';
export {
  approvingOnce,
  taskApprovalTable,
  type ApprovalReadback,
  type StoredApproval,
  type TaskApprovalTable,
} from './participant/approving-once';
export {
  DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
  MIN_WEBHOOK_SECRET_LENGTH,
  WEBHOOK_HEADERS,
  signWebhook,
  verifyWebhook,
  type WebhookVerification,
} from './webhook/webhook-signature';
