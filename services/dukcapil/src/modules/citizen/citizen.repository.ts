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

/**
 * One citizen with their family card, both rows locked until the transaction ends (for a change).
 * A deadlock with another task is retried by the task worker.
 */
export async function findCitizenForUpdate(db: Database<DukcapilSchema>, nik: string): Promise<CitizenRecord | undefined> {
  const [row] = await db
    .select({ citizen: citizens, familyCard: familyCards })
    .from(citizens)
    .innerJoin(familyCards, eq(familyCards.number, citizens.familyCardNumber))
    .where(eq(citizens.nik, nik))
    .for('update');
  return row && { ...row.citizen, familyCard: row.familyCard };
}

export async function insertCitizen(db: Database<DukcapilSchema>, citizen: typeof citizens.$inferInsert): Promise<void> {
  await db.insert(citizens).values(citizen);
}

export async function updateCitizen(
  db: Database<DukcapilSchema>,
  nik: string,
  change: Partial<Pick<CitizenRow, 'maritalStatus' | 'familyCardNumber' | 'familyRelationship'>>,
): Promise<void> {
  await db.update(citizens).set(change).where(eq(citizens.nik, nik));
}
