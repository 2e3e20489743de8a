import type { ApplicationTaskState } from '@simpul/events';
import { isFinalTaskState } from './task-progress';

// Every step has an SLA in hours, counted from the moment its task is assigned to the participant.

const HOUR_MS = 3_600_000;

export function taskDueAt(assignedAt: Date, slaHours: number): Date {
  return new Date(assignedAt.getTime() + slaHours * HOUR_MS);
}

export interface SlaTask {
  status: ApplicationTaskState;
  dueAt: Date | null;
  completedAt: Date | null;
}

/** Past its due time and still waiting on the participant: what the SLA sweep looks for. */
export function isTaskOverdue(task: SlaTask, now: Date): boolean {
  return task.dueAt !== null && !isFinalTaskState(task.status) && task.dueAt.getTime() < now.getTime();
}

/**
 * The task missed its SLA: it is overdue now, or it was decided after its due time. A cancelled task
 * never ran, and a pending one has no due time yet, so neither can breach.
 */
export function isTaskSlaBreached(task: SlaTask, now: Date): boolean {
  if (task.dueAt === null || task.status === 'CANCELLED') return false;
  if (!isFinalTaskState(task.status)) return isTaskOverdue(task, now);
  return task.completedAt !== null && task.completedAt.getTime() > task.dueAt.getTime();
}

/**
 * The application's SLA flag: raised once a breach was recorded by the sweep (it stays raised), or
 * computed from the tasks, so it is right between sweeps too.
 */
export function isApplicationSlaBreached(application: { slaBreachedAt: Date | null }, tasks: readonly SlaTask[], now: Date): boolean {
  return application.slaBreachedAt !== null || tasks.some((task) => isTaskSlaBreached(task, now));
}
