import { eq, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { businessTaxpayers, type BusinessTaxpayerRow, type TaxSchema } from '../../db/schema';

export async function findBusinessTaxpayersByNpwp(db: Database<TaxSchema>, npwps: readonly string[]): Promise<BusinessTaxpayerRow[]> {
  if (npwps.length === 0) return [];
  return db.select().from(businessTaxpayers).where(inArray(businessTaxpayers.npwp, [...npwps]));
}

export async function findBusinessTaxpayerByNib(db: Database<TaxSchema>, nib: string): Promise<BusinessTaxpayerRow | null> {
  const [row] = await db.select().from(businessTaxpayers).where(eq(businessTaxpayers.nib, nib));
  return row ?? null;
}

export async function insertBusinessTaxpayer(db: Database<TaxSchema>, row: BusinessTaxpayerRow): Promise<void> {
  await db.insert(businessTaxpayers).values(row);
}
