import { auditBatchSchema, auditNikHash } from '@simpul/service-kit';
import { AUDIT_BENCH_PURPOSE, AUDIT_BENCH_SERVICE, auditAppendBodies } from './audit-records';

const actor = { actor: 'c0ffee00-0000-4000-8000-000000000001', actorType: 'client', client: 'agency-dukcapil', roles: ['agency:dukcapil'] } as const;
const pepper = 'a-test-pepper-of-enough-length';

describe('auditAppendBodies', () => {
  const bodies = auditAppendBodies({
    count: 5,
    actor: { ...actor, roles: [...actor.roles] },
    niks: ['3510000000000001', '3510000000000002'],
    nikHashPepper: pepper,
    occurredAt: new Date('2026-12-07T10:00:00Z'),
    correlationPrefix: 'bench-audit',
  });

  it('gives valid audit batches of one record each, as the service account, with a purpose', () => {
    for (const body of bodies) {
      const batch = auditBatchSchema.parse(JSON.parse(body));
      expect(batch.service).toBe(AUDIT_BENCH_SERVICE);
      expect(batch.records).toHaveLength(1);
      expect(batch.records[0]).toMatchObject({ ...actor, purpose: AUDIT_BENCH_PURPOSE, kind: 'READ' });
    }
  });

  it('gives every record its own correlation id and takes the citizens in turn, hashed', () => {
    const records = bodies.map((body) => auditBatchSchema.parse(JSON.parse(body)).records[0]!);
    expect(new Set(records.map((record) => record.correlationId)).size).toBe(5);
    expect(records.map((record) => record.nikHash)).toEqual(
      ['3510000000000001', '3510000000000002', '3510000000000001', '3510000000000002', '3510000000000001'].map((nik) => auditNikHash(nik, pepper)),
    );
  });
});
