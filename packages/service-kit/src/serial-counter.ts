import { and, eq, sql } from 'drizzle-orm';
import { integer, primaryKey, text, type PgDatabase, type PgQueryResultHKT, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * Counters for numbers an office issues in sequence (a NIK serial per district and birth date, an
 * Akta Nikah serial per KUA and year). Spread it into the service's schema:
 *
 *   export const serialCounters = serialCounterTable(dukcapilDbSchema);
 */
export function serialCounterTable(schema: PgSchema) {
  return schema.table(
    'serial_counter',
    {
      kind: text('kind').notNull(),
      scope: text('scope').notNull(),
      lastSerial: integer('last_serial').notNull(),
    },
    (table) => [primaryKey({ columns: [table.kind, table.scope] })],
  );
}

export type SerialCounterTable = ReturnType<typeof serialCounterTable>;

/**
 * The next serial of a numbering scope (`kind` + `scope`), taken under the counter's row lock so
 * concurrent issuers never draw the same one. The first time a scope is used, counting resumes after
 * `highestExisting()`: the numbers already registered (seeded or migrated) under it. A serial beyond
 * `width` digits is an error: the scope is full.
 */
export async function nextSerial(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: PgDatabase<PgQueryResultHKT, any, any>,
  counters: SerialCounterTable,
  counter: { kind: string; scope: string; width: number; highestExisting: () => Promise<number> },
): Promise<string> {
  const { kind, scope, width } = counter;
  const increment = { lastSerial: sql`${counters.lastSerial} + 1` };
  const [bumped] = await db
    .update(counters)
    .set(increment)
    .where(and(eq(counters.kind, kind), eq(counters.scope, scope)))
    .returning({ lastSerial: counters.lastSerial });
  let serial = bumped?.lastSerial;
  if (serial === undefined) {
    const first = (await counter.highestExisting()) + 1;
    // Another issuer may create the counter at the same time: then this one waits and increments it.
    const [created] = await db
      .insert(counters)
      .values({ kind, scope, lastSerial: first })
      .onConflictDoUpdate({ target: [counters.kind, counters.scope], set: increment })
      .returning({ lastSerial: counters.lastSerial });
    serial = created!.lastSerial;
  }
  if (serial >= 10 ** width) throw new Error(`${kind} serials of ${scope} are exhausted (${width} digits)`);
  return String(serial).padStart(width, '0');
}
