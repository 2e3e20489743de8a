import type { ApplicationTimelineRow } from '../../db/schema';

/** A timeline entry as the graph and the live stream show it. */
export function timelineEntryView(entry: ApplicationTimelineRow) {
  return {
    sequence: String(entry.sequence),
    occurredAt: entry.occurredAt.toISOString(),
    kind: entry.kind,
    taskId: entry.taskId,
    stepId: entry.stepId,
    participant: entry.participant,
    taskStatus: entry.taskStatus,
    applicationStatus: entry.applicationStatus,
    reason: entry.reason,
    documents: entry.documents,
  };
}
