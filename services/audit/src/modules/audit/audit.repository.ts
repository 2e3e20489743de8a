import { and, asc, desc, eq, gt, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { auditRecords, type AuditRecordRow, type AuditSchema } from '../../db/schema';
import type { StoredRecord } from './audit-chain';

type AuditDb = Database<AuditSchema>;
/** A transaction of the audit database (what `db.transaction` hands its callback). */
export type AuditTx = Parameters<Parameters<AuditDb['transaction']>[0]>[0];

/**
 * Serialises appends across every connection and replica: held until the transaction ends, so
 * the next batch reads the head this one committed and the sequence stays gapless.
 */
export async function lockChain(tx: AuditTx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('simpul.audit.chain'))`);
}

export async function findHead(tx: AuditTx): Promise<{ sequence: number; hash: string } | undefined> {
  const [head] = await tx
    .select({ sequence: auditRecords.sequence, hash: auditRecords.hash })
    .from(auditRecords)
    .orderBy(desc(auditRecords.sequence))
    .limit(1);
  return head;
}

const INSERT_CHUNK = 500;

/** The only write the audit log has: new rows at the head. There is no update or delete. */
export async function insertRecords(tx: AuditTx, rows: AuditRecordRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await tx.insert(auditRecords).values(rows.slice(i, i + INSERT_CHUNK));
  }
}

/** A row as the chain hashes it: times as ISO strings, `purpose` null when absent. */
export function storedRecordOf(row: AuditRecordRow): StoredRecord {
  return {
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

/** Every record in sequence order, read a page at a time (the log can be far bigger than memory). */
export async function* allRecordsInOrder(db: AuditDb, pageSize = 2000): AsyncGenerator<StoredRecord> {
  let after = 0;
  for (;;) {
    const page = await db.select().from(auditRecords).where(gt(auditRecords.sequence, after)).orderBy(asc(auditRecords.sequence)).limit(pageSize);
    for (const row of page) yield storedRecordOf(row);
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.sequence;
  }
}

export interface AccessLogQuery {
  nikHash: string;
  /** Only records older than this sequence (the cursor of the page before). */
  before?: number;
  /** occurred_at ≥ from, < to. */
  from?: Date;
  to?: Date;
  limit: number;
}

/** One citizen's records, newest first. */
export async function findRecordsOfCitizen(db: AuditDb, query: AccessLogQuery): Promise<AuditRecordRow[]> {
  const conditions: SQL[] = [eq(auditRecords.nikHash, query.nikHash)];
  if (query.before !== undefined) conditions.push(lt(auditRecords.sequence, query.before));
  if (query.from) conditions.push(gte(auditRecords.occurredAt, query.from));
  if (query.to) conditions.push(lt(auditRecords.occurredAt, query.to));
  return db
    .select()
    .from(auditRecords)
    .where(and(...conditions))
    .orderBy(desc(auditRecords.sequence))
    .limit(query.limit);
}
