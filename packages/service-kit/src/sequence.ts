import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgSequence } from 'drizzle-orm/pg-core';

/**
 * The next value of a Postgres sequence of the service's schema (`schema.sequence(...)`). Sequences
 * never hand out a value twice, even to concurrent transactions (a rolled-back one leaves a gap):
 * for numbers that may have gaps, unlike nextSerial's counters.
 */
export async function nextSequenceValue(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: PgDatabase<PgQueryResultHKT, any, any>,
  sequence: PgSequence,
): Promise<number> {
  const name = `"${sequence.schema}"."${sequence.seqName}"`;
  const result = await db.execute(sql`select nextval(${name}::regclass)::int as value`);
  return (result as unknown as { rows: { value: number }[] }).rows[0]!.value;
}
