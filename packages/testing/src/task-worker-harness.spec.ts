import { auditNikHash, AuditUnavailableError, type AuditBatch, type AuditRecorder } from '@simpul/service-kit';
import { citizenAccesses, recordingAuditLog, taskDecider, type TestAssignedTask } from './task-worker-harness';

const PEPPER = 'harness-spec-pepper';
const [ANI, BUDI, UNKNOWN] = ['3510014101900001', '3510010101900002', '3510015005900001'];

function batch(purpose: string, records: Array<{ nik: string; kind: 'READ' | 'CHANGE'; fields: string[] }>): AuditBatch {
  return {
    service: 'dukcapil',
    records: records.map(({ nik, kind, fields }) => ({
      actor: 'service:dukcapil',
      actorType: 'client',
      client: 'simpul-dukcapil',
      roles: [],
      purpose,
      nikHash: auditNikHash(nik, PEPPER),
      fields,
      kind,
      correlationId: 'c-1',
      occurredAt: '2026-01-01T00:00:00.000Z',
    })),
  } as AuditBatch;
}

describe('recordingAuditLog', () => {
  it('keeps batches while up, refuses and counts them while down, and answers an application’s accesses in order', async () => {
    const log = recordingAuditLog();
    const request = { correlationId: 'c-1' } as Parameters<typeof log.append>[1];
    await log.append(batch('application:a', [{ nik: ANI, kind: 'READ', fields: ['Citizen.nik'] }]), request);
    log.down = true;
    await expect(log.append(batch('application:a', [{ nik: BUDI, kind: 'READ', fields: ['Citizen.nik'] }]), request)).rejects.toBeInstanceOf(AuditUnavailableError);
    log.down = false;
    // Appended through a detached reference, as a sink handed on may be called.
    const { append } = log;
    await append(batch('application:b', [{ nik: BUDI, kind: 'CHANGE', fields: ['Citizen.address'] }]), request);
    await append(batch('application:a', [{ nik: ANI, kind: 'CHANGE', fields: ['Citizen.address'] }]), request);

    expect(log.refused).toBe(1);
    expect(log.batches).toHaveLength(3);
    expect(log.accessesFor('a')).toEqual([
      { nikHash: auditNikHash(ANI, PEPPER), kind: 'READ', fields: ['Citizen.nik'] },
      { nikHash: auditNikHash(ANI, PEPPER), kind: 'CHANGE', fields: ['Citizen.address'] },
    ]);
  });
});

describe('citizenAccesses', () => {
  it('reads known hashes back as NIKs and merges per citizen and kind, fields sorted', () => {
    const { read, change, merged, of } = citizenAccesses(PEPPER, [ANI, BUDI]);
    const audited = [
      { nikHash: auditNikHash(BUDI, PEPPER), kind: 'READ' as const, fields: ['Citizen.nik'] },
      { nikHash: auditNikHash(ANI, PEPPER), kind: 'READ' as const, fields: ['Citizen.nik', 'Citizen.address'] },
      { nikHash: auditNikHash(ANI, PEPPER), kind: 'READ' as const, fields: ['Citizen.familyCard', 'Citizen.nik'] },
      { nikHash: auditNikHash(UNKNOWN, PEPPER), kind: 'CHANGE' as const, fields: ['Citizen.address'] },
    ];
    expect(of(audited)).toEqual([
      { citizen: BUDI, kind: 'READ', fields: ['Citizen.nik'] },
      { citizen: ANI, kind: 'READ', fields: ['Citizen.address', 'Citizen.familyCard', 'Citizen.nik'] },
      { citizen: `nikHash:${auditNikHash(UNKNOWN, PEPPER)}`, kind: 'CHANGE', fields: ['Citizen.address'] },
    ]);
    expect(of(audited.slice(0, 3))).toEqual(merged([read(BUDI, ['Citizen.nik']), read(ANI, ['Citizen.nik', 'Citizen.familyCard', 'Citizen.address'])]));
    expect(of(audited.slice(0, 3))).not.toEqual(merged([read(BUDI, ['Citizen.nik']), change(ANI, ['Citizen.nik', 'Citizen.familyCard', 'Citizen.address'])]));
  });
});

describe('taskDecider', () => {
  it('runs the handler of the task kind in a transaction with a task of the participant, and answers its accesses', async () => {
    const transactions: string[] = [];
    const db = {
      async transaction<R>(run: (tx: string) => Promise<R>): Promise<R> {
        transactions.push('tx');
        return run('tx');
      },
    };
    const seen: Array<{ task: TestAssignedTask; tx: string }> = [];
    const handlers = {
      VERIFY_IDENTITY: async (task: TestAssignedTask, tx: string, audit: AuditRecorder) => {
        seen.push({ task, tx });
        audit.access({ nik: ANI, kind: 'READ', typeName: 'Citizen', fieldName: 'nik' });
        return { status: 'APPROVED' as const };
      },
    };
    const decider = taskDecider({ participant: 'dukcapil', db: () => db, handlers: () => handlers, nikHashPepper: PEPPER, dueAt: () => '2026-01-03T00:00:00.000Z' });

    const { decision, task, audited } = await decider.decideAudited('VERIFY_IDENTITY', { applicantNik: ANI }, { taskId: 't-1' });
    expect(decision).toEqual({ status: 'APPROVED' });
    expect(transactions).toEqual(['tx']);
    expect(seen).toEqual([{ task, tx: 'tx' }]);
    expect(task).toMatchObject({
      taskId: 't-1',
      participant: 'dukcapil',
      taskKind: 'VERIFY_IDENTITY',
      applicationType: 'TEST_APPLICATION',
      inputs: { applicantNik: ANI },
      dueAt: '2026-01-03T00:00:00.000Z',
      attempt: 1,
      correlationId: task.applicationId,
    });
    expect(audited).toEqual([{ nikHash: auditNikHash(ANI, PEPPER), kind: 'READ', fields: ['Citizen.nik'] }]);
    await expect(decider.decide('ISSUE_FAMILY_CARD', {})).rejects.toThrow('dukcapil has no handler for ISSUE_FAMILY_CARD');
  });
});
