import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { ImmigrationSchema } from './db/schema';
import { findPassportsByNik, findPassportsByNumber } from './modules/passport/passport.repository';

/** Per-request batching: every passport number or holder NIK asked for in one request costs one query. */
export function createLoaders(db: Database<ImmigrationSchema>) {
  return {
    passportByNumber: oneByKeyLoader((numbers) => findPassportsByNumber(db, numbers), (p) => p.number),
    passportsByNik: manyByKeyLoader((niks) => findPassportsByNik(db, niks), (p) => p.nik),
  };
}

export type ImmigrationLoaders = ReturnType<typeof createLoaders>;
