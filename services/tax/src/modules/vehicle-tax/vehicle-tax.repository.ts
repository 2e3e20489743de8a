import { inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { vehicleTaxes, type TaxSchema, type VehicleTaxRow } from '../../db/schema';

export async function findVehicleTaxesByPlateNumber(db: Database<TaxSchema>, plateNumbers: readonly string[]): Promise<VehicleTaxRow[]> {
  if (plateNumbers.length === 0) return [];
  return db.select().from(vehicleTaxes).where(inArray(vehicleTaxes.plateNumber, [...plateNumbers]));
}
