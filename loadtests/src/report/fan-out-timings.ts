import { parseEvent, type ApplicationStatus } from '@simpul/events';
import { percentile } from './statistics';

// Joins what the client saw (when each application was submitted, its task ids) with what the
// event topics recorded (when each task was assigned, when the application completed), per
// application. Pure: the scenario reads the topics and hands the messages in.

/** An application the gateway accepted, as the client saw it. */
export interface SubmittedApplication {
  applicationId: string;
  /** Client wall clock (ms since epoch) when the submit was sent. */
  submittedAtMs: number;
  /** Every task of the application (from the submit answer): all must be assigned. */
  taskIds: readonly string[];
  /**
   * The tasks whose dependencies were met at submit (not PENDING in the submit answer): released
   * at once, so their assignment measures the fan-out itself rather than the earlier steps.
   * Undefined: not known (every task counts as released).
   */
  releasedTaskIds?: readonly string[];
}

/** The part of a topic message the timings need (IncomingMessage from @simpul/events fits). */
export interface TopicMessage {
  value: string;
  /** Broker timestamp, ms since epoch. */
  timestamp: number;
}

export const FINAL_STATUSES: readonly ApplicationStatus[] = ['COMPLETED', 'PARTIALLY_REJECTED', 'REJECTED'];

export interface TopicObservations {
  /** applicationId → taskId → timestamp of the task's first assignment (a re-sent task keeps its first time). */
  assignedAt: Map<string, Map<string, number>>;
  /** applicationId → the first final status event (COMPLETED, PARTIALLY_REJECTED or REJECTED) and its timestamp. */
  finalStatus: Map<string, { status: ApplicationStatus; at: number }>;
  /** Messages that are not valid events of the expected kinds (counted, never silently used). */
  unreadable: number;
}

export function emptyObservations(): TopicObservations {
  return { assignedAt: new Map(), finalStatus: new Map(), unreadable: 0 };
}

/**
 * Adds the messages of `mpp.task.assigned.<participant>.v1` and `mpp.application.status.v1` topics
 * to `observations` (other event types on them count as unreadable).
 */
export function observeMessages(observations: TopicObservations, messages: Iterable<TopicMessage>): TopicObservations {
  for (const message of messages) {
    const parsed = parseEvent(message.value);
    if (!parsed.ok) {
      observations.unreadable += 1;
      continue;
    }
    const { event } = parsed;
    if (event.type === 'mpp.task.assigned') {
      const tasks = observations.assignedAt.get(event.data.applicationId) ?? new Map<string, number>();
      const earlier = tasks.get(event.data.taskId);
      tasks.set(event.data.taskId, earlier === undefined ? message.timestamp : Math.min(earlier, message.timestamp));
      observations.assignedAt.set(event.data.applicationId, tasks);
    } else if (event.type === 'mpp.application.status') {
      if (!FINAL_STATUSES.includes(event.data.status)) continue;
      const earlier = observations.finalStatus.get(event.data.applicationId);
      if (!earlier || message.timestamp < earlier.at) {
        observations.finalStatus.set(event.data.applicationId, { status: event.data.status, at: message.timestamp });
      }
    } else {
      observations.unreadable += 1;
    }
  }
  return observations;
}

/** How many of `applications` have no final status yet. */
export function countOpen(applications: readonly SubmittedApplication[], observations: TopicObservations): number {
  return applications.filter((application) => !observations.finalStatus.has(application.applicationId)).length;
}

export interface ApplicationTiming {
  applicationId: string;
  /** Client wall clock when it was submitted (ms since epoch). */
  submittedAtMs: number;
  /** Submit start → the last of its tasks' first assignments; undefined while a task has none. */
  allAssignedMs: number | undefined;
  /** Submit start → the last first assignment of the tasks released at submit; undefined while one has none. */
  releasedAssignedMs: number | undefined;
  /** The final status reached, undefined while still open. */
  finalStatus: ApplicationStatus | undefined;
  /** Submit start → the COMPLETED status event; undefined unless COMPLETED. */
  completedMs: number | undefined;
}

export function applicationTimings(
  applications: readonly SubmittedApplication[],
  observations: TopicObservations,
): ApplicationTiming[] {
  return applications.map((application) => {
    const assigned = observations.assignedAt.get(application.applicationId);
    const lastAssignment = (taskIds: readonly string[]) => {
      const times = taskIds.map((taskId) => assigned?.get(taskId));
      if (taskIds.length === 0 || times.some((time) => time === undefined)) return undefined;
      return Math.max(...(times as number[])) - application.submittedAtMs;
    };
    const final = observations.finalStatus.get(application.applicationId);
    return {
      applicationId: application.applicationId,
      submittedAtMs: application.submittedAtMs,
      allAssignedMs: lastAssignment(application.taskIds),
      releasedAssignedMs: lastAssignment(application.releasedTaskIds ?? application.taskIds),
      finalStatus: final?.status,
      completedMs: final?.status === 'COMPLETED' ? final.at - application.submittedAtMs : undefined,
    };
  });
}

export interface Percentiles {
  /** How many values they were taken over. */
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank p50/p99 and the maximum, or null for no values. */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1]! };
}

export interface FanOutFigures {
  /** Applications the gateway accepted. */
  applications: number;
  /** Submit → all tasks assigned, over every application whose tasks were all assigned. */
  allAssigned: Percentiles | null;
  /** Submit → every task released at submit assigned, over the applications where all of those were. */
  releasedAssigned: Percentiles | null;
  /** Submit → COMPLETED, over the completed applications. */
  completed: Percentiles | null;
  /**
   * Completed applications ÷ the time from the first submit to the last COMPLETED: what the whole
   * fan-out got through. Below the submit rate, applications queued. Null with none completed.
   */
  completedPerSecond: number | null;
  /** Accepted applications that did not reach COMPLETED: still open at the deadline, or ended otherwise. */
  notCompleted: number;
  /** Of those, still without a final status when the wait ended. */
  stillOpen: number;
  /** Of those, ended REJECTED or PARTIALLY_REJECTED (the workload should never be refused). */
  endedOtherwise: Partial<Record<ApplicationStatus, number>>;
  /** Applications with some task never seen assigned on its topic. */
  assignmentsMissing: number;
}

export function fanOutFigures(timings: readonly ApplicationTiming[]): FanOutFigures {
  const endedOtherwise: Partial<Record<ApplicationStatus, number>> = {};
  for (const timing of timings) {
    if (timing.finalStatus && timing.finalStatus !== 'COMPLETED') {
      endedOtherwise[timing.finalStatus] = (endedOtherwise[timing.finalStatus] ?? 0) + 1;
    }
  }
  const completed = timings.flatMap((timing) => (timing.completedMs === undefined ? [] : [timing.completedMs]));
  const allAssigned = timings.flatMap((timing) => (timing.allAssignedMs === undefined ? [] : [timing.allAssignedMs]));
  const firstSubmit = Math.min(...timings.map((timing) => timing.submittedAtMs));
  const lastCompleted = Math.max(
    ...timings.flatMap((timing) => (timing.completedMs === undefined ? [] : [timing.submittedAtMs + timing.completedMs])),
  );
  const span = lastCompleted - firstSubmit;
  return {
    applications: timings.length,
    allAssigned: percentiles(allAssigned),
    releasedAssigned: percentiles(timings.flatMap((timing) => (timing.releasedAssignedMs === undefined ? [] : [timing.releasedAssignedMs]))),
    completed: percentiles(completed),
    completedPerSecond: completed.length > 0 && span > 0 ? completed.length / (span / 1000) : null,
    notCompleted: timings.length - completed.length,
    stillOpen: timings.filter((timing) => timing.finalStatus === undefined).length,
    endedOtherwise,
    assignmentsMissing: timings.length - allAssigned.length,
  };
}
