import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { LicensingSchema } from './db/schema';
import { findBusinessesByNib, findBusinessesByOwnerNik } from './modules/business/business.repository';

/** Per-request batching: every NIB or owner NIK asked for in one request costs one query. */
export function createLoaders(db: Database<LicensingSchema>) {
  return {
    businessByNib: oneByKeyLoader((nibs) => findBusinessesByNib(db, nibs), (b) => b.nib),
    businessesByOwnerNik: manyByKeyLoader((niks) => findBusinessesByOwnerNik(db, niks), (b) => b.ownerNik),
  };
}

export type LicensingLoaders = ReturnType<typeof createLoaders>;
