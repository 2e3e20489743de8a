import { inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { taxpayers, type TaxSchema, type TaxpayerRow } from '../../db/schema';

export async function findTaxpayersByNpwp(db: Database<TaxSchema>, npwps: readonly string[]): Promise<TaxpayerRow[]> {
  if (npwps.length === 0) return [];
  return db.select().from(taxpayers).where(inArray(taxpayers.npwp, [...npwps]));
}

export async function findTaxpayersByNik(db: Database<TaxSchema>, niks: readonly string[]): Promise<TaxpayerRow[]> {
  if (niks.length === 0) return [];
  return db.select().from(taxpayers).where(inArray(taxpayers.nik, [...niks]));
}
