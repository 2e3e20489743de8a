import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { hashNik } from '@simpul/events';
import { ANCHOR_FILE } from '../src/modules/audit/audit-anchors';
import { GENESIS_HASH } from '../src/modules/audit/audit-chain';
import { auditRecord, PEPPER, postRecords, SITI, startAudit, verification, type RunningAudit } from './audit-harness';

const byService = (service: string, count: number, overrides = {}) => ({
  service,
  records: Array.from({ length: count }, (_, i) => auditRecord({ correlationId: `${service}-${i}`, ...overrides })),
});

describe('the audit log on Postgres', () => {
  let audit: RunningAudit;
  beforeAll(async () => {
    audit = await startAudit();
  });
  afterAll(() => audit?.stop());

  it('appends a batch over POST /records and answers with the new head once committed and checkpointed', async () => {
    const nikHash = hashNik(SITI, PEPPER);
    const response = await postRecords(audit.origin, byService('dukcapil', 3, { nikHash }));
    expect(response).toEqual({ status: 201, body: { appended: 3, head: { chain: 0, sequence: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) } } });

    const rows = await audit.sql('select sequence, service, nik_hash, fields, prev_hash, hash from audit.audit_record order by sequence');
    expect(rows.map((r) => Number(r.sequence))).toEqual([1, 2, 3]);
    expect(rows[0]).toMatchObject({ service: 'dukcapil', nik_hash: nikHash, fields: ['Citizen.fullName', 'Citizen.maritalStatus'], prev_hash: GENESIS_HASH });
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[2]?.hash).toBe(response.body.head?.hash);
    expect(await audit.sql(`select occurred_at = '2025-03-01T08:00:00.123Z'::timestamptz as exact from audit.audit_record where sequence = 1`)).toEqual([{ exact: true }]);

    const checkpoints = readFileSync(join(audit.anchorDir, ANCHOR_FILE), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(checkpoints.at(-1)).toMatchObject({ v: 2, heads: { '0': { sequence: 3, hash: response.body.head?.hash } } });
  });

  it('verifies the untouched chain', async () => {
    await postRecords(audit.origin, byService('tax', 2));
    expect(await verification(audit.url)).toEqual({
      intact: true,
      records: '5',
      chains: [{ chain: 0, records: '5', head: { sequence: '5', hash: expect.any(String) }, checkpoint: { sequence: '5', hash: expect.any(String), at: expect.any(String) } }],
      problem: null,
    });
  });

  it('refuses what is not an audit batch, storing nothing', async () => {
    const before = await audit.sql('select count(*)::int as n from audit.audit_record');
    const refusals = await Promise.all([
      postRecords(audit.origin, 'not json'),
      postRecords(audit.origin, { service: 'dukcapil', records: [] }),
      // A plaintext NIK where its hash belongs.
      postRecords(audit.origin, { service: 'dukcapil', records: [auditRecord({ nikHash: SITI })] }),
      postRecords(audit.origin, { service: 'dukcapil', records: [{ ...auditRecord(), extra: 'field' }] }),
      postRecords(audit.origin, { service: 'Dukcapil!', records: [auditRecord()] }),
    ]);
    expect(refusals.map((r) => [r.status, r.body.error?.code])).toEqual(Array(5).fill([400, 'BAD_REQUEST']));
    expect((await fetch(`${audit.origin}/records`)).status).toBe(405);
    expect(await audit.sql('select count(*)::int as n from audit.audit_record')).toEqual(before);
  });

  it('is append-only: the table refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(audit.sql(`update audit.audit_record set purpose = 'x' where sequence = 1`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(audit.sql('delete from audit.audit_record where sequence = 1')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(audit.sql('truncate audit.audit_record')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await verification(audit.url)).intact).toBe(true);
  });

  it('keeps every chain gapless under concurrent appends from two replicas, which append side by side', async () => {
    // 'replica-b' starts at chain 13, far from the chains the first replica's transactions take (0–3).
    const replica = await startAudit({ databaseUrl: audit.databaseUrl, anchorDir: audit.anchorDir, writerId: 'replica-b' });
    try {
      const before = Number((await audit.sql('select count(*) as n from audit.audit_record'))[0]?.n);
      const posts = Array.from({ length: 30 }, (_, i) => postRecords(i % 2 === 0 ? audit.origin : replica.origin, byService(`svc-${i}`, 3)));
      const responses = await Promise.all(posts);
      expect(responses.every((r) => r.status === 201)).toBe(true);
      const rows = await audit.sql('select chain, sequence, service from audit.audit_record order by chain, sequence');
      expect(rows).toHaveLength(before + 90);
      const chains = new Map<number, { sequence: number; service: string }[]>();
      for (const row of rows) chains.set(Number(row.chain), [...(chains.get(Number(row.chain)) ?? []), { sequence: Number(row.sequence), service: String(row.service) }]);
      expect(chains.size).toBeGreaterThanOrEqual(2);
      for (const chain of chains.values()) expect(chain.map((r) => r.sequence)).toEqual(chain.map((_, i) => i + 1));
      // Each batch got a consecutive block of its chain.
      for (const response of responses) {
        const { chain, sequence } = response.body.head!;
        const block = chains.get(chain)!.slice(sequence - 3, sequence).map((r) => r.service);
        expect(new Set(block).size).toBe(1);
      }
      for (const url of [audit.url, replica.url]) {
        const result = await verification(url);
        expect(result).toMatchObject({ intact: true, records: String(before + 90) });
        // Every chain's head is vouched for by a checkpoint, whichever replica wrote it.
        for (const chain of result.chains) expect(chain.checkpoint?.sequence).toBe(chain.head?.sequence);
      }
    } finally {
      await replica.stop();
    }
  });
});

describe('tampering with the audit log', () => {
  let audit: RunningAudit;
  beforeEach(async () => {
    audit = await startAudit();
    for (const service of ['dukcapil', 'tax', 'police', 'immigration', 'licensing']) {
      expect((await postRecords(audit.origin, byService(service, 1))).status).toBe(201);
    }
    // What a DBA can do: switch the append-only guard off.
    await audit.sql('alter table audit.audit_record disable trigger audit_record_append_only');
  });
  afterEach(() => audit?.stop());

  it('names an edited record', async () => {
    await audit.sql(`update audit.audit_record set purpose = 'legal-basis:INVENTED' where sequence = 3`);
    expect(await verification(audit.url)).toMatchObject({
      intact: false,
      records: '2',
      problem: { sequence: '3', kind: 'RECORD_ALTERED', message: 'record 3 does not match its hash: edited, or moved from another position' },
    });
  });

  it('names an edited record whose hash was recomputed without the chain key', async () => {
    const [row] = await audit.sql('select * from audit.audit_record where sequence = 2');
    const forged = createHmac('sha256', 'a-guess-at-the-chain-key').update(String(row?.prev_hash)).update('{}').digest('hex');
    await audit.sql(`update audit.audit_record set actor = 'nobody', hash = '${forged}' where sequence = 2`);
    expect((await verification(audit.url)).problem).toMatchObject({ sequence: '2', kind: 'RECORD_ALTERED' });
  });

  it('names a record deleted from the middle', async () => {
    await audit.sql('delete from audit.audit_record where sequence = 2');
    expect((await verification(audit.url)).problem).toMatchObject({ sequence: '2', kind: 'RECORD_MISSING', message: 'record 2 is missing: deleted' });
  });

  it('catches a deleted tail through the signed checkpoint', async () => {
    await audit.sql('delete from audit.audit_record where sequence >= 4');
    expect(await verification(audit.url)).toMatchObject({
      intact: false,
      records: '3',
      chains: [{ checkpoint: { sequence: '5' } }],
      problem: { chain: 0, sequence: '4', kind: 'TAIL_TRUNCATED' },
    });
  });

  it('names records swapped into each other\'s place', async () => {
    await audit.sql('update audit.audit_record set sequence = -2 where sequence = 2');
    await audit.sql('update audit.audit_record set sequence = 2 where sequence = 3');
    await audit.sql('update audit.audit_record set sequence = 3 where sequence = -2');
    expect((await verification(audit.url)).problem).toMatchObject({ sequence: '2', kind: 'RECORD_ALTERED' });
  });

  it('notices a forged, edited or removed checkpoint log', async () => {
    const file = join(audit.anchorDir, ANCHOR_FILE);
    const original = readFileSync(file, 'utf8');
    // Rolling the checkpoint back to hide a deleted tail: the line's signature no longer holds.
    writeFileSync(file, original.replace(/"sequence":5,/, '"sequence":3,'));
    expect((await verification(audit.url)).problem).toMatchObject({ sequence: '3', kind: 'CHECKPOINT_INVALID' });
    rmSync(file);
    expect((await verification(audit.url)).problem).toMatchObject({ sequence: '1', kind: 'CHECKPOINT_MISSING' });
    writeFileSync(file, original);
    expect((await verification(audit.url)).intact).toBe(true);
  });

  it('is keyed: a service holding another chain key does not vouch for these records', async () => {
    const impostor = await startAudit({ databaseUrl: audit.databaseUrl, chainKey: 'another-chain-key-of-at-least-32-chars' });
    try {
      expect((await verification(impostor.url)).problem).toMatchObject({ sequence: '1', kind: 'RECORD_ALTERED' });
    } finally {
      await impostor.stop();
    }
    expect((await verification(audit.url)).intact).toBe(true);
  });
});
