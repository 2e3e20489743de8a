import { asc, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { businesses, type BusinessRow, type LicensingSchema } from '../../db/schema';

export async function findBusinessesByNib(db: Database<LicensingSchema>, nibs: readonly string[]): Promise<BusinessRow[]> {
  if (nibs.length === 0) return [];
  return db.select().from(businesses).where(inArray(businesses.nib, [...nibs]));
}

/** Every business owned by any of the NIKs, oldest registration first, in one query. */
export async function findBusinessesByOwnerNik(db: Database<LicensingSchema>, niks: readonly string[]): Promise<BusinessRow[]> {
  if (niks.length === 0) return [];
  return db
    .select()
    .from(businesses)
    .where(inArray(businesses.ownerNik, [...niks]))
    .orderBy(asc(businesses.ownerNik), asc(businesses.issuedOn), asc(businesses.nib));
}
