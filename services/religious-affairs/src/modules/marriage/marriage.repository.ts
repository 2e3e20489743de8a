import { and, desc, inArray, isNull, or } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { marriages, type MarriageRow, type ReligiousAffairsSchema } from '../../db/schema';

/** A marriage together with the party (husband or wife) through whom it was reached, if any. */
export type MarriageView = MarriageRow & { reachedThroughNik: string | null };

export async function findMarriagesById(db: Database<ReligiousAffairsSchema>, ids: readonly string[]): Promise<MarriageView[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(marriages).where(inArray(marriages.id, [...ids]));
  return rows.map((row) => ({ ...row, reachedThroughNik: null }));
}

/**
 * Marriages in which any of the NIKs is husband or wife, most recent first, in one query. A marriage
 * appears once per party asked for, so a couple looked up together each see it from their own side.
 */
export async function findMarriagesOfCitizens(
  db: Database<ReligiousAffairsSchema>,
  niks: readonly string[],
): Promise<(MarriageRow & { reachedThroughNik: string })[]> {
  if (niks.length === 0) return [];
  const rows = await db
    .select()
    .from(marriages)
    .where(or(inArray(marriages.husbandNik, [...niks]), inArray(marriages.wifeNik, [...niks])))
    .orderBy(desc(marriages.registeredAt), marriages.id);
  const asked = new Set(niks);
  return rows.flatMap((row) =>
    [row.husbandNik, row.wifeNik].filter((nik) => asked.has(nik)).map((nik) => ({ ...row, reachedThroughNik: nik })),
  );
}

/** Marriages not ended in which any of the NIKs is husband or wife. */
export async function findActiveMarriagesOf(db: Database<ReligiousAffairsSchema>, niks: readonly string[]): Promise<MarriageRow[]> {
  if (niks.length === 0) return [];
  return db
    .select()
    .from(marriages)
    .where(and(or(inArray(marriages.husbandNik, [...niks]), inArray(marriages.wifeNik, [...niks])), isNull(marriages.endedOn)));
}

export async function insertMarriage(db: Database<ReligiousAffairsSchema>, marriage: typeof marriages.$inferInsert): Promise<void> {
  await db.insert(marriages).values(marriage);
}
