import type { ApplicationStatus } from '@simpul/events';
import type { ApplicationTypeDefinition } from '../catalogue/service-catalogue';
import type { TimelineDraft } from '../timeline/timeline-entry';
import { applyTaskReport, startApplication, type FlowChange, type FlowTask, type TaskReport } from './application-flow';

const REPORT_INTERVAL_MS = 2 * 3_600_000;
const DEMO_REJECTION_REASON = 'Supporting documents incomplete';

export interface ApplicationHistory {
  tasks: FlowTask[];
  timeline: TimelineDraft[];
  status: ApplicationStatus;
}

/**
 * A plausible past for an application that is known to have reached `target` (demo data): the real
 * orchestration (startApplication, applyTaskReport) is replayed with participants answering two
 * hours apart, so tasks, timeline and derived status are consistent exactly as live ones are.
 *
 * - SUBMITTED: nothing reported yet;
 * - IN_PROGRESS: the first task received and in review;
 * - COMPLETED: every task approved as it is assigned;
 * - REJECTED: the first tasks rejected, everything after them cancelled;
 * - PARTIALLY_REJECTED: every task approved except the last step, which is rejected.
 */
export function replayHistory(type: ApplicationTypeDefinition, target: ApplicationStatus, submittedAt: Date, newTaskId: () => string): ApplicationHistory {
  let state: FlowChange = startApplication(type, submittedAt, newTaskId);
  const timeline = [...state.timeline];
  let clock = submittedAt.getTime();
  const report = (task: FlowTask, status: TaskReport['status']) => {
    clock += REPORT_INTERVAL_MS;
    const reason = status === 'REJECTED' ? DEMO_REJECTION_REASON : undefined;
    state = applyTaskReport(type, state, { taskId: task.id, status, reason, documents: [] }, new Date(clock));
    timeline.push(...state.timeline);
  };
  const assigned = () => state.tasks.filter((t) => t.status === 'ASSIGNED');
  const lastStep = type.orderedSteps.at(-1)!.id;

  switch (target) {
    case 'SUBMITTED':
      break;
    case 'IN_PROGRESS': {
      const [first] = assigned();
      report(first!, 'RECEIVED');
      report(first!, 'IN_REVIEW');
      break;
    }
    case 'REJECTED':
      for (const task of assigned()) report(task, 'REJECTED');
      break;
    case 'COMPLETED':
    case 'PARTIALLY_REJECTED':
      for (let open = assigned(); open.length > 0; open = assigned()) {
        for (const task of open) report(task, target === 'PARTIALLY_REJECTED' && task.stepId === lastStep ? 'REJECTED' : 'APPROVED');
      }
      break;
  }
  return { tasks: state.tasks, timeline, status: state.status };
}
