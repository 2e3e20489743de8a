import { sql } from 'drizzle-orm';
import type { PgSequence } from 'drizzle-orm/pg-core';
import type { Database } from '@simpul/service-kit';
import type { PoliceSchema } from './schema';

/** The next value of a sequence of this schema. Sequences never hand out a value twice, even to concurrent transactions (a rolled-back one leaves a gap). */
export async function nextSerial(db: Database<PoliceSchema>, sequence: PgSequence): Promise<number> {
  const name = `"${sequence.schema}"."${sequence.seqName}"`;
  const result = await db.execute(sql`select nextval(${name}::regclass)::int as value`);
  return (result as unknown as { rows: { value: number }[] }).rows[0]!.value;
}
