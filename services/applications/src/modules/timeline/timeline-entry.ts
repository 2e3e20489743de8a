import type { ApplicationStatus, ApplicationTaskState } from '@simpul/events';
import type { IssuedDocument } from '../task/task-inputs';

/** What a timeline entry records. Every change to an application or one of its tasks adds one. */
export const TIMELINE_ENTRY_KINDS = [
  /** Filed at the counter (status SUBMITTED). */
  'SUBMITTED',
  /** A task was released to its participant; its SLA clock starts. */
  'TASK_ASSIGNED',
  /** A participant reported RECEIVED, IN_REVIEW, APPROVED or REJECTED. */
  'TASK_STATUS',
  /** A task can no longer run because a step it depends on was rejected. */
  'TASK_CANCELLED',
  /** The derived application status changed. */
  'STATUS_CHANGED',
  /** A task passed its due time undecided; recorded once per application. */
  'SLA_BREACHED',
] as const;
export type TimelineEntryKind = (typeof TIMELINE_ENTRY_KINDS)[number];

/** A timeline entry before it is stored (the database numbers it). */
export interface TimelineDraft {
  occurredAt: Date;
  kind: TimelineEntryKind;
  taskId?: string;
  stepId?: string;
  participant?: string;
  taskStatus?: ApplicationTaskState;
  applicationStatus?: ApplicationStatus;
  reason?: string;
  documents?: IssuedDocument[];
}
