import { eq, inArray } from 'drizzle-orm';
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

/** The taxpayer with this NIK, locked until the transaction ends. */
export async function findTaxpayerByNikForUpdate(db: Database<TaxSchema>, nik: string): Promise<TaxpayerRow | null> {
  const [row] = await db.select().from(taxpayers).where(eq(taxpayers.nik, nik)).for('update');
  return row ?? null;
}

export async function setTaxpayerAddress(db: Database<TaxSchema>, npwp: string, address: string): Promise<void> {
  await db.update(taxpayers).set({ address }).where(eq(taxpayers.npwp, npwp));
}
