import { and, asc, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from '@simpul/service-kit';
import { auditRecords, type AuditRecordRow, type AuditSchema } from '../../db/schema';
import type { StoredRecord } from './audit-chain';

type AuditDb = Database<AuditSchema>;

/** The advisory-lock namespace of the chains: lock (namespace, chain) is held by whoever appends to that chain. */
const CHAIN_LOCK_NAMESPACE = sql`hashtext('simpul.audit.chain')`;

/**
 * Takes one chain for this transaction, held until it ends, so the next append to that chain reads
 * the head this one committed and its sequence stays gapless. Tries every chain once, starting at
 * `preferred` (each writer prefers its own, so writers on many connections and machines rarely meet),
 * and takes the first free one; only when every chain is busy does it wait, for the preferred one.
 */
export async function lockAnyChain(tx: Transaction<AuditSchema>, chains: number, preferred: number): Promise<number> {
  const tried = await tx.execute(sql`
    select (${preferred}::int + i) % ${chains}::int as chain
    from generate_series(0, ${chains - 1}::int) as i
    where pg_try_advisory_xact_lock(${CHAIN_LOCK_NAMESPACE}, (${preferred}::int + i) % ${chains}::int)
    limit 1`);
  const free = rowsOf<{ chain: number }>(tried)[0];
  if (free) return Number(free.chain);
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_NAMESPACE}, ${preferred}::int)`);
  return preferred;
}

/** Postgres (node-postgres) and PGlite both answer `execute` with `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export async function findHead(tx: Transaction<AuditSchema>, chain: number): Promise<{ sequence: number; hash: string } | undefined> {
  const [head] = await tx
    .select({ sequence: auditRecords.sequence, hash: auditRecords.hash })
    .from(auditRecords)
    .where(eq(auditRecords.chain, chain))
    .orderBy(desc(auditRecords.sequence))
    .limit(1);
  return head;
}

/** Every chain that holds records. */
export async function findChains(db: AuditDb): Promise<number[]> {
  const rows = await db.selectDistinct({ chain: auditRecords.chain }).from(auditRecords);
  return rows.map((row) => row.chain);
}

const INSERT_CHUNK = 500;

/** A row as appended: `position` is given by the database. */
export type NewAuditRecordRow = Omit<AuditRecordRow, 'position'>;

/** The only write the audit log has: new rows at the head. There is no update or delete. */
export async function insertRecords(tx: Transaction<AuditSchema>, rows: NewAuditRecordRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.insert(auditRecords).values(rows.slice(i, i + INSERT_CHUNK));
  }
}

/** A row as the chain hashes it: times as ISO strings, `purpose` null when absent, `chain` only when not 0. */
export function storedRecordOf(row: AuditRecordRow): StoredRecord {
  return {
    ...(row.chain === 0 ? {} : { chain: row.chain }),
    sequence: row.sequence,
    recordedAt: row.recordedAt.toISOString(),
    occurredAt: row.occurredAt.toISOString(),
    service: row.service,
    actor: row.actor,
    actorType: row.actorType,
    client: row.client,
    roles: row.roles,
    purpose: row.purpose ?? null,
    nikHash: row.nikHash,
    fields: row.fields,
    kind: row.kind,
    correlationId: row.correlationId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** Every record of one chain in sequence order, read a page at a time (the log can be far bigger than memory). */
export async function* chainRecordsInOrder(db: AuditDb, chain: number, pageSize = 2000): AsyncGenerator<StoredRecord> {
  let after = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditRecords)
      .where(and(eq(auditRecords.chain, chain), gt(auditRecords.sequence, after)))
      .orderBy(asc(auditRecords.sequence))
      .limit(pageSize);
    for (const row of page) yield storedRecordOf(row);
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.sequence;
  }
}

export interface AccessLogQuery {
  nikHash: string;
  /** Only records that arrived before this position (the cursor of the page before). */
  before?: number;
  /** occurred_at ≥ from, < to. */
  from?: Date;
  to?: Date;
  limit: number;
}

/** One citizen's records, newest first. */
export async function findRecordsOfCitizen(db: AuditDb, query: AccessLogQuery): Promise<AuditRecordRow[]> {
  const conditions: SQL[] = [eq(auditRecords.nikHash, query.nikHash)];
  if (query.before !== undefined) conditions.push(lt(auditRecords.position, query.before));
  if (query.from) conditions.push(gte(auditRecords.occurredAt, query.from));
  if (query.to) conditions.push(lt(auditRecords.occurredAt, query.to));
  return db
    .select()
    .from(auditRecords)
    .where(and(...conditions))
    .orderBy(desc(auditRecords.position))
    .limit(query.limit);
}
