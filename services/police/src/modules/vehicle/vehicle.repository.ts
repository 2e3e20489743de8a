import { desc, inArray, sql } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { vehicles, type PoliceSchema, type VehicleRow } from '../../db/schema';

export async function findVehiclesByPlateNumber(db: Database<PoliceSchema>, plateNumbers: readonly string[]): Promise<VehicleRow[]> {
  if (plateNumbers.length === 0) return [];
  return db.select().from(vehicles).where(inArray(vehicles.plateNumber, [...plateNumbers]));
}

/** Every vehicle registered to any of the given owners: newest first, then by plate number. */
export async function findVehiclesOfOwners(db: Database<PoliceSchema>, ownerNiks: readonly string[]): Promise<VehicleRow[]> {
  if (ownerNiks.length === 0) return [];
  return (
    db
      .select()
      .from(vehicles)
      .where(inArray(vehicles.ownerNik, [...ownerNiks]))
      // Plates compare byte-wise ("C"), so the order does not depend on the database's locale, which may ignore spaces.
      .orderBy(desc(vehicles.manufactureYear), sql`${vehicles.plateNumber} collate "C"`)
  );
}
