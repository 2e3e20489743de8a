import { eq, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { citizens, familyCards, type CitizenRow, type DukcapilSchema, type FamilyCardRow } from '../../db/schema';

export async function findFamilyCardsByNumber(db: Database<DukcapilSchema>, numbers: readonly string[]): Promise<FamilyCardRow[]> {
  if (numbers.length === 0) return [];
  return db.select().from(familyCards).where(inArray(familyCards.number, [...numbers]));
}

export async function findMembersOfFamilyCards(db: Database<DukcapilSchema>, numbers: readonly string[]): Promise<CitizenRow[]> {
  if (numbers.length === 0) return [];
  return db
    .select()
    .from(citizens)
    .where(inArray(citizens.familyCardNumber, [...numbers]))
    .orderBy(citizens.familyCardNumber, citizens.birthDate);
}

/** A family card locked until the transaction ends: its members and head are about to change. */
export async function findFamilyCardForUpdate(db: Database<DukcapilSchema>, number: string): Promise<FamilyCardRow | undefined> {
  const [card] = await db.select().from(familyCards).where(eq(familyCards.number, number)).for('update');
  return card;
}

export async function insertFamilyCard(db: Database<DukcapilSchema>, card: FamilyCardRow): Promise<void> {
  await db.insert(familyCards).values(card);
}

export async function updateFamilyCard(db: Database<DukcapilSchema>, number: string, change: Partial<Omit<FamilyCardRow, 'number'>>): Promise<void> {
  await db.update(familyCards).set(change).where(eq(familyCards.number, number));
}
