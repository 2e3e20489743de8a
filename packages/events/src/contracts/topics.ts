import { isParticipantCode } from './common';

// Topic names carry the contract version: a breaking change is a new topic (…v2) that producers
// publish next to the old one until every consumer has moved.

export const APPLICATION_SUBMITTED_TOPIC = 'mpp.application.submitted.v1';
export const TASK_STATUS_TOPIC = 'mpp.task.status.v1';
export const APPLICATION_STATUS_TOPIC = 'mpp.application.status.v1';

/** Each participant consumes only its own tasks: `mpp.task.assigned.bank-bpd.v1`. */
export function taskAssignedTopic(participant: string): string {
  if (!isParticipantCode(participant)) throw new Error(`invalid participant code: ${JSON.stringify(participant)}`);
  return `mpp.task.assigned.${participant}.v1`;
}

export const DLQ_SUFFIX = '.dlq';

/** Where a consumer parks the messages of `topic` it cannot process: `<topic>.dlq`. */
export function dlqTopic(topic: string): string {
  if (isDlqTopic(topic)) throw new Error(`${topic} is already a dead-letter topic`);
  return `${topic}${DLQ_SUFFIX}`;
}

export function isDlqTopic(topic: string): boolean {
  return topic.endsWith(DLQ_SUFFIX);
}
