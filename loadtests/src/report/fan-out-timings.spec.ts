import { createEvent, uuidv7, type ApplicationStatus } from '@simpul/events';
import {
  applicationTimings,
  countOpen,
  emptyObservations,
  fanOutFigures,
  observeMessages,
  percentiles,
  type SubmittedApplication,
  type TopicMessage,
} from './fan-out-timings';

const meta = (applicationId: string) => ({ source: 'applications', subject: applicationId, correlationId: applicationId });

function assigned(applicationId: string, taskId: string, participant: string, timestamp: number, attempt = 1): TopicMessage {
  const event = createEvent(
    'mpp.task.assigned',
    {
      taskId,
      applicationId,
      applicationType: 'BUSINESS_START',
      participant,
      taskKind: 'ISSUE_NIB',
      inputs: { businessName: 'UD Uji Beban 1' },
      dueAt: new Date(timestamp + 86_400_000).toISOString(),
      attempt,
    },
    meta(applicationId),
  );
  return { value: JSON.stringify(event), timestamp };
}

function status(applicationId: string, value: ApplicationStatus, timestamp: number): TopicMessage {
  const event = createEvent(
    'mpp.application.status',
    {
      applicationId,
      applicationType: 'BUSINESS_START',
      status: value,
      previousStatus: value === 'SUBMITTED' ? null : 'IN_PROGRESS',
      slaBreached: false,
      tasks: [{ taskId: uuidv7(), participant: 'licensing', taskKind: 'ISSUE_NIB', state: 'APPROVED' }],
    },
    meta(applicationId),
  );
  return { value: JSON.stringify(event), timestamp };
}

describe('fan-out timings', () => {
  const [a, b, c] = [uuidv7(), uuidv7(), uuidv7()];
  const tasks = { a: [uuidv7(), uuidv7()], b: [uuidv7(), uuidv7()], c: [uuidv7()] };
  const submitted: SubmittedApplication[] = [
    { applicationId: a, submittedAtMs: 1_000, taskIds: tasks.a },
    { applicationId: b, submittedAtMs: 2_000, taskIds: tasks.b },
    { applicationId: c, submittedAtMs: 3_000, taskIds: tasks.c },
  ];

  it('times each application to its last first-assignment and to COMPLETED', () => {
    const observations = emptyObservations();
    observeMessages(observations, [
      assigned(a, tasks.a[0]!, 'licensing', 1_050),
      assigned(a, tasks.a[1]!, 'tax', 1_400),
      // the same task re-sent later: its first assignment counts
      assigned(a, tasks.a[1]!, 'tax', 9_000, 2),
    ]);
    observeMessages(observations, [
      status(a, 'SUBMITTED', 1_020),
      status(a, 'IN_PROGRESS', 1_100),
      status(a, 'COMPLETED', 1_900),
      // a redelivered copy later on does not move the time
      status(a, 'COMPLETED', 5_000),
    ]);

    const [timing] = applicationTimings(submitted.slice(0, 1), observations);
    expect(timing).toEqual({ applicationId: a, submittedAtMs: 1_000, allAssignedMs: 400, releasedAssignedMs: 400, finalStatus: 'COMPLETED', completedMs: 900 });
  });

  it('takes the earliest copy whatever order the partitions come in', () => {
    const observations = observeMessages(emptyObservations(), [
      status(a, 'COMPLETED', 5_000),
      status(a, 'COMPLETED', 1_900),
      assigned(a, tasks.a[1]!, 'tax', 9_000, 2),
      assigned(a, tasks.a[1]!, 'tax', 1_400),
      assigned(a, tasks.a[0]!, 'licensing', 1_050),
    ]);
    expect(applicationTimings(submitted.slice(0, 1), observations)[0]).toMatchObject({ allAssignedMs: 400, completedMs: 900 });
  });

  it('leaves all-assigned open while a task was never assigned, and completed open unless COMPLETED', () => {
    const observations = observeMessages(emptyObservations(), [
      assigned(b, tasks.b[0]!, 'licensing', 2_100),
      status(b, 'IN_PROGRESS', 2_200),
      assigned(c, tasks.c[0]!, 'licensing', 3_100),
      status(c, 'REJECTED', 3_500),
    ]);
    expect(applicationTimings(submitted.slice(1), observations)).toEqual([
      { applicationId: b, submittedAtMs: 2_000, allAssignedMs: undefined, releasedAssignedMs: undefined, finalStatus: undefined, completedMs: undefined },
      { applicationId: c, submittedAtMs: 3_000, allAssignedMs: 100, releasedAssignedMs: 100, finalStatus: 'REJECTED', completedMs: undefined },
    ]);
    expect(countOpen(submitted, observations)).toBe(2);
  });

  it('times the tasks released at submit apart from those that waited on earlier steps', () => {
    // Task 0 released at submit; task 1 waited for it and was assigned much later.
    const released: SubmittedApplication = { ...submitted[0]!, releasedTaskIds: [tasks.a[0]!] };
    const observations = observeMessages(emptyObservations(), [
      assigned(a, tasks.a[0]!, 'licensing', 1_030),
      assigned(a, tasks.a[1]!, 'tax', 1_600),
    ]);
    expect(applicationTimings([released], observations)[0]).toMatchObject({ releasedAssignedMs: 30, allAssignedMs: 600 });
  });

  it('counts messages that are not the expected events instead of using them', () => {
    const other = createEvent(
      'mpp.task.status',
      { taskId: tasks.a[0]!, applicationId: a, participant: 'licensing', status: 'APPROVED' },
      meta(a),
    );
    const observations = observeMessages(emptyObservations(), [
      { value: '{"not": "an event"', timestamp: 1 },
      { value: JSON.stringify(other), timestamp: 2 },
    ]);
    expect(observations.unreadable).toBe(2);
    expect(observations.assignedAt.size + observations.finalStatus.size).toBe(0);
  });

  it('sums up: percentiles over those that got there, the rest counted by why', () => {
    const figures = fanOutFigures([
      { applicationId: '1', submittedAtMs: 10_000, allAssignedMs: 100, releasedAssignedMs: 20, finalStatus: 'COMPLETED', completedMs: 500 },
      { applicationId: '2', submittedAtMs: 10_800, allAssignedMs: 300, releasedAssignedMs: 40, finalStatus: 'COMPLETED', completedMs: 700 },
      { applicationId: '3', submittedAtMs: 9_000, allAssignedMs: 200, releasedAssignedMs: 30, finalStatus: undefined, completedMs: undefined },
      { applicationId: '4', submittedAtMs: 12_000, allAssignedMs: undefined, releasedAssignedMs: undefined, finalStatus: undefined, completedMs: undefined },
      { applicationId: '5', submittedAtMs: 12_500, allAssignedMs: 150, releasedAssignedMs: 150, finalStatus: 'PARTIALLY_REJECTED', completedMs: undefined },
    ]);
    expect(figures).toEqual({
      applications: 5,
      allAssigned: { count: 4, p50: 150, p99: 300, max: 300 },
      releasedAssigned: { count: 4, p50: 30, p99: 150, max: 150 },
      completed: { count: 2, p50: 500, p99: 700, max: 700 },
      // 2 completed between the first submit (9.0 s) and the last COMPLETED (11.5 s)
      completedPerSecond: 0.8,
      notCompleted: 3,
      stillOpen: 2,
      endedOtherwise: { PARTIALLY_REJECTED: 1 },
      assignmentsMissing: 1,
    });
  });

  it('has no percentiles for nothing', () => {
    expect(percentiles([])).toBeNull();
    expect(fanOutFigures([])).toMatchObject({ applications: 0, allAssigned: null, completed: null, completedPerSecond: null, notCompleted: 0 });
    expect(percentiles([3, 1, 2])).toEqual({ count: 3, p50: 2, p99: 3, max: 3 });
  });
});
