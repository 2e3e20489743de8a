import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { serialCounters, type DukcapilSchema } from './schema';

/**
 * The next serial of a numbering scope (`kind` + `scope`, e.g. NIK + the district and birth date),
 * taken under the counter's row lock so concurrent issuers never draw the same one. The first time a
 * scope is used, counting resumes after `highestExisting()`: the numbers already registered (seeded
 * or migrated) under it. A serial beyond `width` digits is an error: the scope is full.
 */
export async function nextSerial(
  db: Database<DukcapilSchema>,
  counter: { kind: string; scope: string; width: number; highestExisting: () => Promise<number> },
): Promise<string> {
  const { kind, scope, width } = counter;
  const increment = { lastSerial: sql`${serialCounters.lastSerial} + 1` };
  const [bumped] = await db
    .update(serialCounters)
    .set(increment)
    .where(and(eq(serialCounters.kind, kind), eq(serialCounters.scope, scope)))
    .returning({ lastSerial: serialCounters.lastSerial });
  let serial = bumped?.lastSerial;
  if (serial === undefined) {
    const first = (await counter.highestExisting()) + 1;
    // Another issuer may create the counter at the same time: then this one waits and increments it.
    const [created] = await db
      .insert(serialCounters)
      .values({ kind, scope, lastSerial: first })
      .onConflictDoUpdate({ target: [serialCounters.kind, serialCounters.scope], set: increment })
      .returning({ lastSerial: serialCounters.lastSerial });
    serial = created!.lastSerial;
  }
  if (serial >= 10 ** width) throw new Error(`${kind} serials of ${scope} are exhausted (${width} digits)`);
  return String(serial).padStart(width, '0');
}
