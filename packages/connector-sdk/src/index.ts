// @simpul/connector-sdk: what an institution outside Simpul (a BUMN, a bank, an integrator) needs to
// join as a participant (docs/participants.md): task handlers in, decisions out, over events or
// signed webhooks, each task decided once.

export {
  startParticipantConnector,
  ConnectorConfigError,
  type EventsConnection,
  type ParticipantConnector,
  type ParticipantConnectorOptions,
  type WebhookConnection,
} from './connector';
export {
  ConnectorError,
  parseTaskInputs,
  UnprocessableTaskError,
  type ConnectorErrorCode,
  type ReceivedTask,
  type TaskHandler,
  type TaskHandlers,
  type UnprocessableTaskRule,
} from './task-decider';
export {
  DECISIONS_FILE,
  FileDecisionStore,
  InMemoryDecisionStore,
  openDecisionStore,
  type DecisionRecord,
  type DecisionStore,
} from './store/decision-store';
export { JsonState, JsonStateError, type JsonStateOptions } from './store/json-state';
export { statusEventOf, type TaskMessageOutcome } from './events/events-mode';
export { statusReportOf, type StatusReportBody } from './webhook/status-reporter';
export type { WebhookAcknowledgement } from './webhook/webhook-mode';
export type { Backoff } from './backoff';

// The parts of Simpul's event contracts a participant works with, so it needs this package only.
export {
  createTransport,
  EmbeddedTransport,
  KafkaTransport,
  PermanentEventError,
  startEmbeddedBroker,
  hashNik,
  nikHashSchema,
  parseEvent,
  taskAssignedTopic,
  TASK_STATUS_TOPIC,
  WEBHOOK_HEADERS,
  type AssignedTask,
  type EventTransport,
  type IssuedDocument,
  type TaskDecision,
} from '@simpul/events';
