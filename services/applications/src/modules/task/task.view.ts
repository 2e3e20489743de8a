import type { ApplicationTaskRow } from '../../db/schema';
import type { ServiceCatalogue } from '../catalogue/service-catalogue';
import { isTaskSlaBreached } from './sla';

/** A task as the graph and the live stream show it (timestamps as ISO strings). */
export function taskView(task: ApplicationTaskRow, catalogue: ServiceCatalogue, now: Date) {
  return {
    id: task.id,
    stepId: task.stepId,
    participant: task.participant,
    participantName: catalogue.participants.get(task.participant)?.name ?? null,
    taskKind: task.kind,
    status: task.status,
    assignedAt: task.assignedAt?.toISOString() ?? null,
    dueAt: task.dueAt?.toISOString() ?? null,
    completedAt: task.completedAt?.toISOString() ?? null,
    documents: task.documents,
    reason: task.reason,
    slaBreached: isTaskSlaBreached(task, now),
  };
}

export type TaskView = ReturnType<typeof taskView>;
