import { asc, desc, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { propertyTaxBills, type PropertyTaxBillRow, type TaxSchema } from '../../db/schema';

/** PBB bills of any of the given owners, newest year first. */
export async function findPropertyTaxBillsOfOwners(db: Database<TaxSchema>, ownerNiks: readonly string[]): Promise<PropertyTaxBillRow[]> {
  if (ownerNiks.length === 0) return [];
  return db
    .select()
    .from(propertyTaxBills)
    .where(inArray(propertyTaxBills.ownerNik, [...ownerNiks]))
    .orderBy(desc(propertyTaxBills.year), asc(propertyTaxBills.nop));
}

/** Every year's PBB bill for any of the given tax objects, newest year first. */
export async function findPropertyTaxBillsByNop(db: Database<TaxSchema>, nops: readonly string[]): Promise<PropertyTaxBillRow[]> {
  if (nops.length === 0) return [];
  return db
    .select()
    .from(propertyTaxBills)
    .where(inArray(propertyTaxBills.nop, [...nops]))
    .orderBy(desc(propertyTaxBills.year));
}
