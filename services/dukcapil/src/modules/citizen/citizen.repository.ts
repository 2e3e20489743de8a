import { eq, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { citizens, familyCards, type CitizenRow, type DukcapilSchema, type FamilyCardRow } from '../../db/schema';

export type CitizenRecord = CitizenRow & { familyCard: FamilyCardRow };

/** Citizens with their family card (whose address is theirs), in one query for any number of NIKs. */
export async function findCitizensByNik(db: Database<DukcapilSchema>, niks: readonly string[]): Promise<CitizenRecord[]> {
  if (niks.length === 0) return [];
  const rows = await db
    .select({ citizen: citizens, familyCard: familyCards })
    .from(citizens)
    .innerJoin(familyCards, eq(familyCards.number, citizens.familyCardNumber))
    .where(inArray(citizens.nik, [...niks]));
  return rows.map((row) => ({ ...row.citizen, familyCard: row.familyCard }));
}
