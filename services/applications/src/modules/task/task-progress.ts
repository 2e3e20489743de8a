import type { ApplicationTaskState, TaskStatus } from '@simpul/events';
import type { StepDefinition } from '../catalogue/service-catalogue';

// How an application's tasks move, as pure functions of the catalogue and the tasks' states.
//
// A task is PENDING until every step it depends on is APPROVED; then it is released (ASSIGNED, with
// its SLA clock started) to its participant, who reports RECEIVED, IN_REVIEW and finally APPROVED or
// REJECTED. A PENDING task that depends, directly or through other steps, on a REJECTED one can never
// run: it is CANCELLED.

export const FINAL_TASK_STATES: ReadonlySet<ApplicationTaskState> = new Set(['APPROVED', 'REJECTED', 'CANCELLED']);

export function isFinalTaskState(state: ApplicationTaskState): boolean {
  return FINAL_TASK_STATES.has(state);
}

export interface ProgressPlan {
  /** Steps to assign now: PENDING, every dependency APPROVED. */
  release: StepDefinition[];
  /** Steps that can no longer run: PENDING, some dependency REJECTED or CANCELLED (transitively). */
  cancel: StepDefinition[];
}

/** What should happen next, given each step's task state (`orderedSteps`: dependencies first). */
export function planProgress(orderedSteps: readonly StepDefinition[], stateOf: ReadonlyMap<string, ApplicationTaskState>): ProgressPlan {
  const states = new Map(stateOf);
  const plan: ProgressPlan = { release: [], cancel: [] };
  for (const step of orderedSteps) {
    if (states.get(step.id) !== 'PENDING') continue;
    const dependencies = step.dependsOn.map((id) => states.get(id));
    if (dependencies.some((state) => state === 'REJECTED' || state === 'CANCELLED')) {
      // Recorded before later steps are looked at, so the cancellation reaches their dependents too.
      states.set(step.id, 'CANCELLED');
      plan.cancel.push(step);
    } else if (dependencies.every((state) => state === 'APPROVED')) {
      plan.release.push(step);
    }
  }
  return plan;
}

/** Order of a task's states; a report may only move a task forward. */
const PROGRESS_RANK: Record<ApplicationTaskState, number> = {
  PENDING: 0,
  ASSIGNED: 1,
  RECEIVED: 2,
  IN_REVIEW: 3,
  APPROVED: 4,
  REJECTED: 4,
  CANCELLED: 4,
};

export type ReportOutcome =
  | { applied: true }
  /** NOT_ASSIGNED: the task was never released (or was cancelled); FINAL: already decided; STALE: an older report arriving late. */
  | { applied: false; reason: 'NOT_ASSIGNED' | 'FINAL' | 'STALE' };

/**
 * Whether a participant's report applies to a task in `current` state. Reports may skip states
 * (ASSIGNED → APPROVED) but never go back, and a decided task stays decided, so a late or repeated
 * report cannot reopen it.
 */
export function applyReport(current: ApplicationTaskState, reported: TaskStatus): ReportOutcome {
  if (current === 'PENDING' || current === 'CANCELLED') return { applied: false, reason: 'NOT_ASSIGNED' };
  if (isFinalTaskState(current)) return { applied: false, reason: 'FINAL' };
  if (PROGRESS_RANK[reported] <= PROGRESS_RANK[current]) return { applied: false, reason: 'STALE' };
  return { applied: true };
}
