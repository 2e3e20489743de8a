import type { ApplicationStatus, ApplicationTaskState } from '@simpul/events';
import { isFinalTaskState } from '../task/task-progress';

/**
 * An application's status, derived from its tasks' states alone:
 *
 * 1. While some task is not final (PENDING, ASSIGNED, RECEIVED, IN_REVIEW):
 *    - SUBMITTED   when no participant has reported anything yet: every task is PENDING or ASSIGNED;
 *    - IN_PROGRESS otherwise (some task was received, is in review, or is already decided).
 * 2. Once every task is final (APPROVED, REJECTED, CANCELLED):
 *    - COMPLETED          every task APPROVED;
 *    - REJECTED           no task APPROVED (typically the first step was rejected and the rest cancelled);
 *    - PARTIALLY_REJECTED some APPROVED, some REJECTED or CANCELLED.
 *
 * Because a task's state only moves forward (see applyReport), so does the derived status:
 * SUBMITTED → IN_PROGRESS → COMPLETED | PARTIALLY_REJECTED | REJECTED. An application without tasks
 * (a catalogue type always has at least one step) counts as SUBMITTED.
 */
export function deriveApplicationStatus(states: readonly ApplicationTaskState[]): ApplicationStatus {
  if (states.length === 0 || states.some((state) => !isFinalTaskState(state))) {
    return states.every((state) => state === 'PENDING' || state === 'ASSIGNED') ? 'SUBMITTED' : 'IN_PROGRESS';
  }
  const approved = states.filter((state) => state === 'APPROVED').length;
  if (approved === states.length) return 'COMPLETED';
  if (approved === 0) return 'REJECTED';
  return 'PARTIALLY_REJECTED';
}
