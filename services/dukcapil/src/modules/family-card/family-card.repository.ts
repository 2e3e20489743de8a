import { inArray } from 'drizzle-orm';
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
