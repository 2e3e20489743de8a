import { canonicalJson, chainedContent, chainHash, GENESIS_HASH, verifyChain, verifyLog, type ChainedRecord, type Checkpoint, type StoredRecord } from './audit-chain';

const KEY = 'a-chain-key-of-at-least-32-characters!';

function chain(count: number, key = KEY, chainId = 0): StoredRecord[] {
  const records: StoredRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= count; sequence += 1) {
    const chained: ChainedRecord = chainedContent(chainId, {
      sequence,
      recordedAt: '2025-03-01T08:00:00.000Z',
      occurredAt: '2025-03-01T07:59:59.120Z',
      service: 'dukcapil',
      actor: `officer-${sequence}`,
      actorType: 'user',
      client: 'mpp-console',
      roles: ['officer'],
      purpose: 'legal-basis:UU_ADMINDUK',
      nikHash: 'ab'.repeat(32),
      fields: ['Citizen.fullName', 'Citizen.maritalStatus'],
      kind: 'READ',
      correlationId: `c-${sequence}`,
    });
    const hash = chainHash(key, prevHash, chained);
    records.push({ ...chained, prevHash, hash });
    prevHash = hash;
  }
  return records;
}

async function* iterate(records: StoredRecord[]) {
  yield* records;
}

const checkpointOf = (record: StoredRecord): Checkpoint => ({ sequence: record.sequence, hash: record.hash, at: '2025-03-01T08:00:01.000Z' });

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: undefined } })).toBe('{"a":{"d":[3,{"y":"é","z":null}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

describe('chainHash', () => {
  it('depends on the key, the previous hash and every field', () => {
    const [first] = chain(1) as [StoredRecord];
    const { prevHash: _p, hash, ...chained } = first;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash('another-key-of-at-least-32-characters', GENESIS_HASH, chained)).not.toBe(hash);
    expect(chainHash(KEY, 'f'.repeat(64), chained)).not.toBe(hash);
    expect(chainHash(KEY, GENESIS_HASH, { ...chained, fields: ['Citizen.fullName'] })).not.toBe(hash);
    expect(chainHash(KEY, GENESIS_HASH, { ...chained, purpose: null })).not.toBe(hash);
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain ending at its newest checkpoint, and an empty log', async () => {
    const records = chain(5);
    expect(await verifyChain(KEY, iterate(records), { latest: checkpointOf(records[4]!) })).toEqual({
      chain: 0,
      intact: true,
      records: 5,
      head: { sequence: 5, hash: records[4]!.hash },
      checkpoint: checkpointOf(records[4]!),
      problem: null,
    });
    // Records appended after the newest checkpoint (a crash before it was written) are fine.
    expect((await verifyChain(KEY, iterate(records), { latest: checkpointOf(records[2]!) })).intact).toBe(true);
    expect((await verifyChain(KEY, iterate([]), { latest: null })).intact).toBe(true);
  });

  it('names an edited record', async () => {
    const records = chain(5);
    records[2] = { ...records[2]!, purpose: 'legal-basis:SOMETHING_ELSE' };
    const { problem } = await verifyChain(KEY, iterate(records), { latest: checkpointOf(records[4]!) });
    expect(problem).toMatchObject({ sequence: 3, kind: 'RECORD_ALTERED' });
  });

  it('names a record whose hash was recomputed without the key', async () => {
    const records = chain(5);
    const { prevHash, hash: _hash, ...chained } = { ...records[1]!, actor: 'someone-else' };
    records[1] = { ...chained, prevHash, hash: chainHash('a-guessed-key-that-is-not-the-real-one', prevHash, chained) };
    expect((await verifyChain(KEY, iterate(records), { latest: checkpointOf(records[4]!) })).problem).toMatchObject({ sequence: 2, kind: 'RECORD_ALTERED' });
  });

  it('names the first of deleted records in the middle', async () => {
    const records = chain(6);
    const { problem } = await verifyChain(KEY, iterate([...records.slice(0, 2), ...records.slice(4)]), { latest: checkpointOf(records[5]!) });
    expect(problem).toMatchObject({ sequence: 3, kind: 'RECORD_MISSING', message: 'record 3–4 is missing: deleted' });
  });

  it('names records swapped in place (reordered)', async () => {
    const records = chain(5);
    const swapped = [records[0]!, { ...records[2]!, sequence: 2 }, { ...records[1]!, sequence: 3 }, records[3]!, records[4]!];
    expect((await verifyChain(KEY, iterate(swapped), { latest: checkpointOf(records[4]!) })).problem).toMatchObject({ sequence: 2, kind: 'RECORD_ALTERED' });
  });

  it('catches a deleted tail through the checkpoint', async () => {
    const records = chain(5);
    const result = await verifyChain(KEY, iterate(records.slice(0, 3)), { latest: checkpointOf(records[4]!) });
    expect(result).toMatchObject({ intact: false, records: 3, problem: { sequence: 4, kind: 'TAIL_TRUNCATED' } });
  });

  it('catches a chain replaced by another one, and a log without its checkpoints', async () => {
    const records = chain(5);
    const other = chain(5, 'the-key-of-another-deployment-entirely');
    expect((await verifyChain(KEY, iterate(records), { latest: checkpointOf(other[4]!) })).problem).toMatchObject({ sequence: 5, kind: 'CHECKPOINT_MISMATCH' });
    expect((await verifyChain(KEY, iterate(records), { latest: null })).problem).toMatchObject({ sequence: 1, kind: 'CHECKPOINT_MISSING' });
  });

  it('reports a checkpoint log that does not verify', async () => {
    const records = chain(2);
    const result = await verifyChain(KEY, iterate(records), { latest: checkpointOf(records[1]!), invalid: { sequence: 7, reason: 'line 3: checkpoint 7 has a wrong signature' } });
    expect(result.problem).toMatchObject({ sequence: 7, kind: 'CHECKPOINT_INVALID' });
  });
});

describe('verifyLog', () => {
  const chains = new Map([
    [0, chain(4)],
    [3, chain(6, KEY, 3)],
  ]);
  const recordsOf = (records: Map<number, StoredRecord[]>) => (chainId: number) => iterate(records.get(chainId) ?? []);
  const checkpointsOf = (records: Map<number, StoredRecord[]>) => ({
    latest: new Map([...records].map(([chainId, list]) => [chainId, checkpointOf(list[list.length - 1]!)])),
  });

  it('verifies every chain against its own checkpoint', async () => {
    const result = await verifyLog(KEY, [0, 3], recordsOf(chains), checkpointsOf(chains));
    expect(result).toMatchObject({ intact: true, records: 10, problem: null });
    expect(result.chains.map((c) => [c.chain, c.records, c.head?.sequence])).toEqual([
      [0, 4, 4],
      [3, 6, 6],
    ]);
  });

  it('binds a record to its chain: a record moved to another chain does not verify', async () => {
    const moved = new Map(chains);
    // Chain 3's first record, relabelled as chain 5's first: its hash covers chain 3.
    const { chain: _chain, ...rest } = chains.get(3)![0]!;
    moved.set(5, [{ ...rest, chain: 5 }]);
    const result = await verifyLog(KEY, [0, 3, 5], recordsOf(moved), { latest: new Map([...checkpointsOf(chains).latest, [5, checkpointOf(chains.get(3)![0]!)]]) });
    expect(result.problem).toMatchObject({ chain: 5, sequence: 1, kind: 'RECORD_ALTERED' });
  });

  it('catches a chain whose records were all deleted, through its checkpoint', async () => {
    const deleted = new Map([[0, chains.get(0)!]]);
    const result = await verifyLog(KEY, [0], recordsOf(deleted), checkpointsOf(chains));
    expect(result).toMatchObject({ intact: false, records: 4, problem: { chain: 3, sequence: 1, kind: 'TAIL_TRUNCATED' } });
  });

  it('reports a checkpoint line that does not verify before reading any record', async () => {
    const result = await verifyLog(KEY, [0, 3], recordsOf(chains), { latest: new Map(), invalid: { chain: 3, sequence: 6, reason: 'line 2: bad' } });
    expect(result.problem).toMatchObject({ chain: 3, sequence: 6, kind: 'CHECKPOINT_INVALID' });
  });
});
