import type { ApplicationStatus, ApplicationTaskState, TaskStatus } from '@simpul/events';
import type { ApplicationTypeDefinition } from '../catalogue/service-catalogue';
import { taskDueAt } from '../task/sla';
import type { IssuedDocument } from '../task/task-inputs';
import { applyReport, planProgress, type ReportOutcome } from '../task/task-progress';
import type { TimelineDraft } from '../timeline/timeline-entry';
import { deriveApplicationStatus } from './application-status';

// The orchestration of one application as pure state transitions: what the submit mutation and the
// task status consumer persist, and what the demo seed replays to build consistent history.

export interface FlowTask {
  id: string;
  stepId: string;
  participant: string;
  taskKind: string;
  status: ApplicationTaskState;
  assignedAt: Date | null;
  dueAt: Date | null;
  completedAt: Date | null;
  documents: IssuedDocument[];
  reason: string | null;
}

export interface FlowChange {
  /** Every task of the application, after the change. */
  tasks: FlowTask[];
  /** Tasks whose state changed (reported, released or cancelled). */
  changed: FlowTask[];
  /** Tasks released to their participant by this change: each needs a task-assigned event. */
  released: FlowTask[];
  timeline: TimelineDraft[];
  status: ApplicationStatus;
  /** null when the application was just filed. */
  previousStatus: ApplicationStatus | null;
}

/** Files an application: one task per step, the steps without dependencies released at once. */
export function startApplication(type: ApplicationTypeDefinition, now: Date, newTaskId: () => string): FlowChange {
  const tasks: FlowTask[] = type.orderedSteps.map((step) => ({
    id: newTaskId(),
    stepId: step.id,
    participant: step.participant,
    taskKind: step.taskKind,
    status: 'PENDING',
    assignedAt: null,
    dueAt: null,
    completedAt: null,
    documents: [],
    reason: null,
  }));
  const timeline: TimelineDraft[] = [{ occurredAt: now, kind: 'SUBMITTED', applicationStatus: 'SUBMITTED' }];
  const progressed = progress(type, tasks, now, timeline);
  const status = deriveApplicationStatus(progressed.tasks.map((t) => t.status));
  return { ...progressed, timeline, status, previousStatus: null };
}

export interface TaskReport {
  taskId: string;
  status: TaskStatus;
  reason?: string;
  documents: readonly IssuedDocument[];
}

/**
 * Applies a participant's report to its task, then releases the steps whose dependencies are now all
 * approved, cancels those that depend on a rejected one, and derives the application status. A report
 * that does not apply (see applyReport) changes nothing.
 */
export function applyTaskReport(
  type: ApplicationTypeDefinition,
  current: { status: ApplicationStatus; tasks: readonly FlowTask[] },
  report: TaskReport,
  now: Date,
): FlowChange & { outcome: ReportOutcome } {
  const task = current.tasks.find((t) => t.id === report.taskId);
  if (!task) throw new Error(`task ${report.taskId} is not a task of this application`);
  const outcome = applyReport(task.status, report.status);
  if (!outcome.applied) {
    return { outcome, tasks: [...current.tasks], changed: [], released: [], timeline: [], status: current.status, previousStatus: current.status };
  }

  const decided = report.status === 'APPROVED' || report.status === 'REJECTED';
  const updated: FlowTask = {
    ...task,
    status: report.status,
    completedAt: decided ? now : null,
    documents: mergeDocuments(task.documents, report.documents),
    reason: report.reason ?? task.reason,
  };
  const tasks = current.tasks.map((t) => (t.id === task.id ? updated : t));
  const timeline: TimelineDraft[] = [
    {
      occurredAt: now,
      kind: 'TASK_STATUS',
      taskId: task.id,
      stepId: task.stepId,
      participant: task.participant,
      taskStatus: report.status,
      reason: report.reason,
      documents: report.documents.length > 0 ? [...report.documents] : undefined,
    },
  ];
  const progressed = progress(type, tasks, now, timeline);
  const status = deriveApplicationStatus(progressed.tasks.map((t) => t.status));
  if (status !== current.status) timeline.push({ occurredAt: now, kind: 'STATUS_CHANGED', applicationStatus: status });
  return { outcome, ...progressed, changed: [updated, ...progressed.changed], timeline, status, previousStatus: current.status };
}

/** Releases and cancels what planProgress says, appending to `timeline`. */
function progress(type: ApplicationTypeDefinition, tasks: FlowTask[], now: Date, timeline: TimelineDraft[]) {
  const byStep = new Map(tasks.map((t) => [t.stepId, t]));
  const plan = planProgress(type.orderedSteps, new Map(tasks.map((t) => [t.stepId, t.status])));
  const replaced = new Map<string, FlowTask>();

  const stateOf = (stepId: string) => (replaced.get(stepId) ?? byStep.get(stepId))?.status;

  for (const step of plan.cancel) {
    const task = byStep.get(step.id)!;
    const blocker = step.dependsOn.find((id) => stateOf(id) === 'REJECTED') ?? step.dependsOn.find((id) => stateOf(id) === 'CANCELLED')!;
    const reason = `step ${blocker} was ${stateOf(blocker) === 'REJECTED' ? 'rejected' : 'cancelled'}`;
    replaced.set(step.id, { ...task, status: 'CANCELLED', completedAt: now, reason });
    timeline.push({ occurredAt: now, kind: 'TASK_CANCELLED', taskId: task.id, stepId: step.id, participant: task.participant, taskStatus: 'CANCELLED', reason });
  }
  const released: FlowTask[] = [];
  for (const step of plan.release) {
    const task = byStep.get(step.id)!;
    const assigned: FlowTask = { ...task, status: 'ASSIGNED', assignedAt: now, dueAt: taskDueAt(now, step.slaHours) };
    replaced.set(step.id, assigned);
    released.push(assigned);
    timeline.push({ occurredAt: now, kind: 'TASK_ASSIGNED', taskId: task.id, stepId: step.id, participant: task.participant, taskStatus: 'ASSIGNED' });
  }
  return {
    tasks: tasks.map((t) => replaced.get(t.stepId) ?? t),
    changed: [...replaced.values()],
    released,
  };
}

/** Documents already on the task, then the newly reported ones it did not have. */
function mergeDocuments(existing: readonly IssuedDocument[], reported: readonly IssuedDocument[]): IssuedDocument[] {
  const merged = [...existing];
  for (const document of reported) {
    if (!merged.some((d) => d.kind === document.kind && d.number === document.number)) merged.push({ kind: document.kind, number: document.number });
  }
  return merged;
}
