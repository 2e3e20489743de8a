import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { ReligiousAffairsSchema } from './db/schema';
import { findMarriagesById, findMarriagesOfCitizens } from './modules/marriage/marriage.repository';

/** Per-request batching: every marriage id or NIK asked for in one request costs one query. */
export function createLoaders(db: Database<ReligiousAffairsSchema>) {
  return {
    marriageById: oneByKeyLoader((ids) => findMarriagesById(db, ids), (m) => m.id),
    marriagesByNik: manyByKeyLoader((niks) => findMarriagesOfCitizens(db, niks), (m) => m.reachedThroughNik),
  };
}

export type ReligiousAffairsLoaders = ReturnType<typeof createLoaders>;
