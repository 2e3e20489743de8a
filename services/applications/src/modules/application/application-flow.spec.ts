import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue } from '../catalogue/service-catalogue';
import { applyTaskReport, startApplication, type FlowChange, type FlowTask, type TaskReport } from './application-flow';

const catalogue = loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
const businessStart = catalogue.applicationTypes.get('BUSINESS_START')!;
const passport = catalogue.applicationTypes.get('PASSPORT_APPLICATION')!;
const T0 = new Date('2026-03-02T01:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

function start(type = businessStart) {
  let next = 0;
  return startApplication(type, T0, () => `task-${++next}`);
}
const taskOf = (change: FlowChange, stepId: string): FlowTask => change.tasks.find((t) => t.stepId === stepId)!;
const statesOf = (change: FlowChange) => Object.fromEntries(change.tasks.map((t) => [t.stepId, t.status]));
const report = (change: FlowChange, stepId: string, status: TaskReport['status'], extra: Partial<TaskReport> = {}): TaskReport => ({
  taskId: taskOf(change, stepId).id,
  status,
  documents: [],
  ...extra,
});

describe('startApplication', () => {
  it('creates a task per step and assigns the first with its SLA', () => {
    const change = start();
    expect(change.status).toBe('SUBMITTED');
    expect(change.previousStatus).toBeNull();
    expect(statesOf(change)).toEqual({ 'issue-nib': 'ASSIGNED', 'register-npwp': 'PENDING', 'open-business-account': 'PENDING', 'connect-electricity': 'PENDING' });
    expect(change.released.map((t) => t.stepId)).toEqual(['issue-nib']);
    expect(taskOf(change, 'issue-nib')).toMatchObject({ participant: 'licensing', taskKind: 'ISSUE_NIB', assignedAt: T0, dueAt: at(24) });
    expect(change.timeline.map((e) => [e.kind, e.stepId])).toEqual([
      ['SUBMITTED', undefined],
      ['TASK_ASSIGNED', 'issue-nib'],
    ]);
  });
});

describe('applyTaskReport', () => {
  it('moves to IN_PROGRESS on the first report, releases the parallel steps on approval', () => {
    const submitted = start();
    const received = applyTaskReport(businessStart, submitted, report(submitted, 'issue-nib', 'RECEIVED'), at(1));
    expect(received.status).toBe('IN_PROGRESS');
    expect(received.timeline.map((e) => e.kind)).toEqual(['TASK_STATUS', 'STATUS_CHANGED']);

    const approved = applyTaskReport(businessStart, received, report(received, 'issue-nib', 'APPROVED', { documents: [{ kind: 'NIB', number: '8120001234567' }] }), at(5));
    expect(approved.status).toBe('IN_PROGRESS');
    expect(approved.released.map((t) => t.stepId)).toEqual(['register-npwp', 'open-business-account', 'connect-electricity']);
    expect(taskOf(approved, 'issue-nib')).toMatchObject({ status: 'APPROVED', completedAt: at(5), documents: [{ kind: 'NIB', number: '8120001234567' }] });
    expect(taskOf(approved, 'connect-electricity')).toMatchObject({ status: 'ASSIGNED', assignedAt: at(5), dueAt: at(125) });
    expect(approved.timeline.map((e) => [e.kind, e.stepId])).toEqual([
      ['TASK_STATUS', 'issue-nib'],
      ['TASK_ASSIGNED', 'register-npwp'],
      ['TASK_ASSIGNED', 'open-business-account'],
      ['TASK_ASSIGNED', 'connect-electricity'],
    ]);
  });

  it('completes when every task is approved', () => {
    let state: FlowChange = start();
    state = applyTaskReport(businessStart, state, report(state, 'issue-nib', 'APPROVED'), at(2));
    for (const stepId of ['register-npwp', 'open-business-account', 'connect-electricity']) {
      expect(state.status).toBe('IN_PROGRESS');
      state = applyTaskReport(businessStart, state, report(state, stepId, 'APPROVED'), at(3));
    }
    expect(state.status).toBe('COMPLETED');
    expect(state.previousStatus).toBe('IN_PROGRESS');
    expect(state.timeline.at(-1)).toEqual({ occurredAt: at(3), kind: 'STATUS_CHANGED', applicationStatus: 'COMPLETED' });
  });

  it('is PARTIALLY_REJECTED when a parallel step is rejected and the others approved', () => {
    let state: FlowChange = start();
    state = applyTaskReport(businessStart, state, report(state, 'issue-nib', 'APPROVED'), at(2));
    state = applyTaskReport(businessStart, state, report(state, 'register-npwp', 'REJECTED', { reason: 'Alamat usaha tidak sesuai' }), at(3));
    expect(state.status).toBe('IN_PROGRESS');
    expect(state.released).toEqual([]);
    state = applyTaskReport(businessStart, state, report(state, 'open-business-account', 'APPROVED'), at(4));
    state = applyTaskReport(businessStart, state, report(state, 'connect-electricity', 'APPROVED'), at(5));
    expect(state.status).toBe('PARTIALLY_REJECTED');
    expect(taskOf(state, 'register-npwp')).toMatchObject({ status: 'REJECTED', reason: 'Alamat usaha tidak sesuai' });
  });

  it('cancels everything after a rejected first step: REJECTED', () => {
    const submitted = start(passport);
    const rejected = applyTaskReport(passport, submitted, report(submitted, 'verify-identity', 'REJECTED', { reason: 'NIK tidak ditemukan' }), at(1));
    expect(rejected.status).toBe('REJECTED');
    expect(statesOf(rejected)).toEqual({ 'verify-identity': 'REJECTED', 'process-passport': 'CANCELLED', 'collect-passport-fee': 'CANCELLED' });
    expect(rejected.timeline.map((e) => [e.kind, e.stepId ?? e.applicationStatus, e.reason])).toEqual([
      ['TASK_STATUS', 'verify-identity', 'NIK tidak ditemukan'],
      ['TASK_CANCELLED', 'process-passport', 'step verify-identity was rejected'],
      ['TASK_CANCELLED', 'collect-passport-fee', 'step process-passport was cancelled'],
      ['STATUS_CHANGED', 'REJECTED', undefined],
    ]);
    expect(rejected.changed.map((t) => t.stepId)).toEqual(['verify-identity', 'process-passport', 'collect-passport-fee']);
  });

  it('changes nothing for a report that does not apply', () => {
    let state: FlowChange = start();
    state = applyTaskReport(businessStart, state, report(state, 'issue-nib', 'APPROVED'), at(2));
    const late = applyTaskReport(businessStart, state, report(state, 'issue-nib', 'IN_REVIEW'), at(3));
    expect(late.outcome).toEqual({ applied: false, reason: 'FINAL' });
    expect(late).toMatchObject({ changed: [], released: [], timeline: [], status: 'IN_PROGRESS' });
    expect(late.tasks).toEqual(state.tasks);
  });

  it('refuses a task that is not the application’s', () => {
    const submitted = start();
    expect(() => applyTaskReport(businessStart, submitted, { taskId: 'other', status: 'APPROVED', documents: [] }, at(1))).toThrow(/not a task of this application/);
  });
});
