import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { DukcapilSchema } from './db/schema';
import { findCitizensByNik } from './modules/citizen/citizen.repository';
import { findFamilyCardsByNumber, findMembersOfFamilyCards } from './modules/family-card/family-card.repository';

/** Per-request batching: every NIK or KK number asked for in one request costs one query. */
export function createLoaders(db: Database<DukcapilSchema>) {
  return {
    citizenByNik: oneByKeyLoader((niks) => findCitizensByNik(db, niks), (c) => c.nik),
    familyCardByNumber: oneByKeyLoader((numbers) => findFamilyCardsByNumber(db, numbers), (f) => f.number),
    familyMembersByCard: manyByKeyLoader((numbers) => findMembersOfFamilyCards(db, numbers), (c) => c.familyCardNumber),
  };
}

export type DukcapilLoaders = ReturnType<typeof createLoaders>;
