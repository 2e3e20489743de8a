import { isApplicationSlaBreached, isTaskOverdue, isTaskSlaBreached, taskDueAt, type SlaTask } from './sla';

const assignedAt = new Date('2026-03-02T01:00:00Z');
const dueAt = taskDueAt(assignedAt, 24);
const before = new Date('2026-03-03T00:59:59Z');
const after = new Date('2026-03-03T01:00:01Z');
const task = (overrides: Partial<SlaTask>): SlaTask => ({ status: 'ASSIGNED', dueAt, completedAt: null, ...overrides });

describe('SLA', () => {
  it('is due SLA hours after assignment', () => {
    expect(dueAt.toISOString()).toBe('2026-03-03T01:00:00.000Z');
  });

  it('flags an undecided task once its due time has passed', () => {
    for (const status of ['ASSIGNED', 'RECEIVED', 'IN_REVIEW'] as const) {
      expect(isTaskOverdue(task({ status }), before)).toBe(false);
      expect(isTaskOverdue(task({ status }), after)).toBe(true);
      expect(isTaskSlaBreached(task({ status }), after)).toBe(true);
    }
  });

  it('does not flag a pending task (no clock yet) or a cancelled one', () => {
    expect(isTaskSlaBreached(task({ status: 'PENDING', dueAt: null }), after)).toBe(false);
    expect(isTaskSlaBreached(task({ status: 'CANCELLED', completedAt: after }), after)).toBe(false);
  });

  it('counts a task decided late as breached, one decided in time as not', () => {
    expect(isTaskOverdue(task({ status: 'APPROVED', completedAt: after }), after)).toBe(false);
    expect(isTaskSlaBreached(task({ status: 'APPROVED', completedAt: after }), after)).toBe(true);
    expect(isTaskSlaBreached(task({ status: 'REJECTED', completedAt: before }), after)).toBe(false);
  });

  it('keeps an application flagged once a breach was recorded', () => {
    const inTime = [task({ status: 'APPROVED', completedAt: before })];
    expect(isApplicationSlaBreached({ slaBreachedAt: null }, inTime, after)).toBe(false);
    expect(isApplicationSlaBreached({ slaBreachedAt: after }, inTime, after)).toBe(true);
    expect(isApplicationSlaBreached({ slaBreachedAt: null }, [...inTime, task({ status: 'IN_REVIEW' })], after)).toBe(true);
  });
});
