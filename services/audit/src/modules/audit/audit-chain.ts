import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `prev_hash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Exactly what a record's hash covers: every column but `prev_hash` (hashed before it), `hash` and
 * `position` (arrival order, not evidence). `chain` is left out for chain 0, so the records written
 * before the log had partitions hash as they always did; in any other chain it binds the record to it.
 */
export interface ChainedRecord {
  chain?: number;
  sequence: number;
  recordedAt: string;
  occurredAt: string;
  service: string;
  actor: string;
  actorType: string;
  client: string;
  roles: string[];
  purpose: string | null;
  nikHash: string;
  fields: string[];
  kind: string;
  correlationId: string;
}

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: numbers must be finite');
    if (value === undefined) throw new Error('canonicalJson: undefined has no JSON form');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** HMAC-SHA256(key, prevHash || canonicalJson(record)), hex. Without the key nobody can forge or re-link a record. */
export function chainHash(key: string, prevHash: string, record: ChainedRecord): string {
  return createHmac('sha256', key).update(prevHash).update(canonicalJson(record)).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A record as stored: its chained content and its two hashes. */
export interface StoredRecord extends ChainedRecord {
  prevHash: string;
  hash: string;
}

/** The chain a record belongs to. */
export const chainOf = (record: { chain?: number }): number => record.chain ?? 0;

/** What a record hashes: `chain` only when it is not chain 0 (see ChainedRecord). */
export function chainedContent(chain: number, record: Omit<ChainedRecord, 'chain'>): ChainedRecord {
  return chain === 0 ? record : { chain, ...record };
}

/** A signed checkpoint of one chain's head, kept outside the database (audit-anchors.ts). */
export interface Checkpoint {
  sequence: number;
  hash: string;
  at: string;
}

export type ChainProblemKind =
  /** Its contents, its position or its hashes do not match its hash: edited, or moved (reordered). */
  | 'RECORD_ALTERED'
  /** The sequence jumps: this record (and maybe those after it) was deleted. */
  | 'RECORD_MISSING'
  /** A checkpoint names a record beyond the last one: the tail was deleted. */
  | 'TAIL_TRUNCATED'
  /** The record at a checkpoint's sequence has another hash: the chain was replaced. */
  | 'CHECKPOINT_MISMATCH'
  /** A checkpoint line is unreadable or its signature wrong: the checkpoint log was tampered with. */
  | 'CHECKPOINT_INVALID'
  /** Records exist but no checkpoint does: the checkpoint log is gone, so the tail cannot be vouched for. */
  | 'CHECKPOINT_MISSING';

export interface ChainProblem {
  /** The chain it is in. */
  chain: number;
  /** The first sequence number that does not hold up. */
  sequence: number;
  kind: ChainProblemKind;
  message: string;
}

/** One chain's verification. */
export interface ChainVerification {
  chain: number;
  intact: boolean;
  /** Records read. */
  records: number;
  head: { sequence: number; hash: string } | null;
  checkpoint: Checkpoint | null;
  problem: ChainProblem | null;
}

/** What the checkpoint logs hold for one chain: its newest valid checkpoint, or the first line that does not verify. */
export type CheckpointReading = { latest: Checkpoint | null; invalid?: { sequence: number; reason: string } };

/** What the checkpoint logs hold for the whole log: the newest checkpoint of every chain, or the first line that does not verify. */
export interface LogCheckpoints {
  latest: ReadonlyMap<number, Checkpoint>;
  invalid?: { chain: number; sequence: number; reason: string };
}

/**
 * Walks the chain from sequence 1 (records in ascending order) and stops at the first record that
 * does not hold up; then compares the end of the chain with the newest signed checkpoint, which
 * catches a deleted tail (the one deletion that leaves a consistent chain behind).
 */
export async function verifyChain(key: string, records: AsyncIterable<StoredRecord>, checkpoints: CheckpointReading, chain = 0): Promise<ChainVerification> {
  const checkpoint = checkpoints.latest;
  let expectedSequence = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let hashAtCheckpoint: string | undefined;
  const result = (found: Omit<ChainProblem, 'chain'> | null): ChainVerification => ({
    chain,
    intact: found === null,
    records: count,
    head: count > 0 ? { sequence: expectedSequence - 1, hash: prevHash } : null,
    checkpoint,
    problem: found && { chain, ...found },
  });

  if (checkpoints.invalid) {
    return result({
      sequence: checkpoints.invalid.sequence,
      kind: 'CHECKPOINT_INVALID',
      message: `the checkpoint log does not verify (${checkpoints.invalid.reason}): it was edited or forged`,
    });
  }

  for await (const record of records) {
    if (record.sequence !== expectedSequence) {
      const missing = record.sequence - expectedSequence;
      return result({
        sequence: expectedSequence,
        kind: 'RECORD_MISSING',
        message:
          missing > 0
            ? `record ${expectedSequence}${missing > 1 ? `–${record.sequence - 1}` : ''} is missing: deleted`
            : `record ${record.sequence} appears out of order`,
      });
    }
    const { prevHash: storedPrevHash, hash, ...chained } = record;
    if (chainOf(record) !== chain || !sameHash(storedPrevHash, prevHash) || !sameHash(chainHash(key, prevHash, chained), hash)) {
      return result({
        sequence: record.sequence,
        kind: 'RECORD_ALTERED',
        message: `record ${record.sequence} does not match its hash: edited, or moved from another position`,
      });
    }
    if (checkpoint && record.sequence === checkpoint.sequence) hashAtCheckpoint = hash;
    prevHash = hash;
    expectedSequence += 1;
    count += 1;
  }

  const lastSequence = expectedSequence - 1;
  if (!checkpoint) {
    return result(
      count === 0
        ? null
        : { sequence: 1, kind: 'CHECKPOINT_MISSING', message: `${count} records but no checkpoint: the checkpoint log was removed or is not this log's` },
    );
  }
  if (checkpoint.sequence > lastSequence) {
    return result({
      sequence: lastSequence + 1,
      kind: 'TAIL_TRUNCATED',
      message: `the chain ends at record ${lastSequence}, but checkpoint ${checkpoint.sequence} of ${checkpoint.at} vouches for records up to ${checkpoint.sequence}: the tail was deleted`,
    });
  }
  if (hashAtCheckpoint === undefined || !sameHash(hashAtCheckpoint, checkpoint.hash)) {
    return result({
      sequence: checkpoint.sequence,
      kind: 'CHECKPOINT_MISMATCH',
      message: `record ${checkpoint.sequence} is not the one checkpointed at ${checkpoint.at}: the chain was replaced`,
    });
  }
  return result(null);
}

/** The whole log's verification: every chain, stopping at the first that does not hold up. */
export interface LogVerification {
  intact: boolean;
  /** Records read, over all chains. */
  records: number;
  /** Each chain verified, in chain order (up to and including the one with the problem). */
  chains: ChainVerification[];
  problem: ChainProblem | null;
}

/**
 * Verifies every chain that has records or a checkpoint: a chain whose records were all deleted
 * still has its checkpoint, and shows as a truncated tail.
 */
export async function verifyLog(
  key: string,
  chains: Iterable<number>,
  recordsOf: (chain: number) => AsyncIterable<StoredRecord>,
  checkpoints: LogCheckpoints,
): Promise<LogVerification> {
  const verified: ChainVerification[] = [];
  const total = () => verified.reduce((sum, chain) => sum + chain.records, 0);
  if (checkpoints.invalid) {
    const { chain, sequence, reason } = checkpoints.invalid;
    return {
      intact: false,
      records: 0,
      chains: [],
      problem: { chain, sequence, kind: 'CHECKPOINT_INVALID', message: `the checkpoint log does not verify (${reason}): it was edited or forged` },
    };
  }
  const all = [...new Set([...chains, ...checkpoints.latest.keys()])].sort((a, b) => a - b);
  for (const chain of all) {
    const verification = await verifyChain(key, recordsOf(chain), { latest: checkpoints.latest.get(chain) ?? null }, chain);
    verified.push(verification);
    if (verification.problem) return { intact: false, records: total(), chains: verified, problem: verification.problem };
  }
  return { intact: true, records: total(), chains: verified, problem: null };
}
