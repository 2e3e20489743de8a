import { PermanentEventError, uuidv7, type TaskDecision } from '@simpul/events';
import { z } from 'zod';
import { InMemoryDecisionStore } from './store/decision-store';
import { ConnectorError, parseTaskInputs, TaskDecider, UnprocessableTaskError, type ReceivedTask, type TaskHandler } from './task-decider';

const task = (overrides: Partial<ReceivedTask> = {}): ReceivedTask => ({
  taskId: uuidv7(),
  applicationId: uuidv7(),
  applicationType: 'BUSINESS_START',
  participant: 'bank-bpd',
  taskKind: 'OPEN_BUSINESS_ACCOUNT',
  inputs: { applicantNikHash: 'a'.repeat(64), businessName: 'Warung Sate Pak Budi' },
  dueAt: '2026-12-02T10:00:00.000Z',
  attempt: 1,
  eventId: uuidv7(),
  correlationId: uuidv7(),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  ...overrides,
});

const at = new Date('2026-11-30T10:00:00Z');

function decider(handler: TaskHandler) {
  const store = new InMemoryDecisionStore();
  return { store, decider: new TaskDecider({ participant: 'bank-bpd', handlers: { OPEN_BUSINESS_ACCOUNT: handler }, store, now: () => at }) };
}

describe('TaskDecider', () => {
  it('decides a task once and answers a redelivery with the stored decision and report id', async () => {
    let calls = 0;
    const { decider: d, store } = decider(async () => {
      calls += 1;
      return { status: 'APPROVED', documents: [{ kind: 'BUSINESS_ACCOUNT', number: `0010000000${calls}` }] };
    });
    const assigned = task();
    const first = await d.decide(assigned);
    const again = await d.decide({ ...assigned, eventId: uuidv7(), attempt: 2 });
    expect(calls).toBe(1);
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ record: first.record, replayed: true });
    expect(first.record).toMatchObject({
      taskId: assigned.taskId,
      applicationId: assigned.applicationId,
      participant: 'bank-bpd',
      decidedAt: at.toISOString(),
      correlationId: assigned.correlationId,
      traceparent: assigned.traceparent,
    });
    expect(await store.get(assigned.taskId)).toEqual(first.record);
  });

  it('runs concurrent deliveries of one task one after the other: the handler runs once', async () => {
    let calls = 0;
    const { decider: d } = decider(async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { status: 'APPROVED' };
    });
    const assigned = task();
    const results = await Promise.all([d.decide(assigned), d.decide(assigned), d.decide(assigned)]);
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.record.reportEventId)).size).toBe(1);
    expect(results.map((r) => r.replayed)).toEqual([false, true, true]);
  });

  it('stores nothing when the handler fails, so the next delivery decides again', async () => {
    let calls = 0;
    const { decider: d, store } = decider(async () => {
      calls += 1;
      if (calls === 1) throw new Error('core banking timeout');
      return { status: 'APPROVED' };
    });
    const assigned = task();
    await expect(d.decide(assigned)).rejects.toThrow('core banking timeout');
    expect(await store.get(assigned.taskId)).toBeUndefined();
    await expect(d.decide(assigned)).resolves.toMatchObject({ replayed: false });
  });

  it('refuses another participant’s task and a kind without handler, before running anything', async () => {
    const handler = jest.fn(async (): Promise<TaskDecision> => ({ status: 'APPROVED' }));
    const { decider: d } = decider(handler);
    await expect(d.decide(task({ participant: 'pln' }))).rejects.toMatchObject({ rule: 'OTHER_PARTICIPANT' });
    await expect(d.decide(task({ taskKind: 'COLLECT_ZAKAT' }))).rejects.toMatchObject({ rule: 'UNKNOWN_TASK_KIND' });
    await expect(d.decide(task({ taskKind: 'constructor' }))).rejects.toMatchObject({ rule: 'UNKNOWN_TASK_KIND' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('turns a PermanentEventError into UnprocessableTaskError and refuses an invalid decision', async () => {
    const permanent = decider(async () => {
      throw new PermanentEventError('no such branch');
    }).decider;
    await expect(permanent.decide(task())).rejects.toMatchObject({ name: 'UnprocessableTaskError', rule: 'PERMANENT_FAILURE', message: 'no such branch' });

    const invalid = decider(async () => ({ status: 'APPROVED', documents: [{ kind: 'bank account', number: '1' }] }));
    const assigned = task();
    await expect(invalid.decider.decide(assigned)).rejects.toMatchObject({ rule: 'INVALID_DECISION' });
    await expect(invalid.store.get(assigned.taskId)).resolves.toBeUndefined();
    const noReason = decider(async () => ({ status: 'REJECTED', reason: '' }));
    await expect(noReason.decider.decide(task())).rejects.toBeInstanceOf(UnprocessableTaskError);
  });

  it('revises an IN_REVIEW decision once, with a new report id; a final decision stays', async () => {
    const { decider: d } = decider(async () => ({ status: 'IN_REVIEW', note: 'checked by a branch officer' }));
    const assigned = task();
    const review = await d.decide(assigned);
    const approved: TaskDecision = { status: 'APPROVED', documents: [{ kind: 'BUSINESS_ACCOUNT', number: '0011234567890' }] };
    const revised = await d.revise(assigned.taskId, approved);
    expect(revised.replayed).toBe(false);
    expect(revised.record.reportEventId).not.toBe(review.record.reportEventId);
    await expect(d.revise(assigned.taskId, approved)).resolves.toEqual({ record: revised.record, replayed: true });
    await expect(d.revise(assigned.taskId, { status: 'REJECTED', reason: 'changed mind' })).rejects.toMatchObject({ code: 'DECISION_FINAL' });
    await expect(d.revise(uuidv7(), approved)).rejects.toBeInstanceOf(ConnectorError);
    // A redelivery of the task now gets the final decision.
    await expect(d.decide(assigned)).resolves.toEqual({ record: revised.record, replayed: true });
  });
});

describe('parseTaskInputs', () => {
  it('returns the parsed inputs or throws an INVALID_INPUTS UnprocessableTaskError naming the problems', () => {
    const schema = z.object({ applicantNikHash: z.string().regex(/^[0-9a-f]{64}$/), businessName: z.string().min(1) });
    expect(parseTaskInputs(task(), schema)).toEqual({ applicantNikHash: 'a'.repeat(64), businessName: 'Warung Sate Pak Budi' });
    expect(() => parseTaskInputs(task({ inputs: { businessName: '' } }), schema)).toThrow(/applicantNikHash: .*businessName:/);
    expect(() => parseTaskInputs(task({ inputs: {} }), schema)).toThrow(expect.objectContaining({ rule: 'INVALID_INPUTS' }));
  });
});
