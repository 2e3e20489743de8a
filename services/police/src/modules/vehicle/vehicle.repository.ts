import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { stnkValidations, vehicles, type PoliceSchema, type StnkValidationRow, type VehicleRow } from '../../db/schema';

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

/** The latest annual validation (furthest validity) of each of the given vehicles that has one. */
export async function findLatestStnkValidations(db: Database<PoliceSchema>, plateNumbers: readonly string[]): Promise<StnkValidationRow[]> {
  if (plateNumbers.length === 0) return [];
  return db
    .selectDistinctOn([stnkValidations.plateNumber])
    .from(stnkValidations)
    .where(inArray(stnkValidations.plateNumber, [...plateNumbers]))
    .orderBy(asc(stnkValidations.plateNumber), desc(stnkValidations.validUntil), desc(stnkValidations.validatedOn));
}

/** One vehicle, locked until the transaction ends. */
export async function findVehicleForUpdate(db: Database<PoliceSchema>, plateNumber: string): Promise<VehicleRow | null> {
  const [row] = await db.select().from(vehicles).where(eq(vehicles.plateNumber, plateNumber)).for('update');
  return row ?? null;
}

/** Sets the STNK address of every vehicle of the owner; answers their plates. */
export async function setRegisteredAddressOfOwner(db: Database<PoliceSchema>, ownerNik: string, address: string): Promise<string[]> {
  const updated = await db
    .update(vehicles)
    .set({ registeredAddress: address })
    .where(eq(vehicles.ownerNik, ownerNik))
    .returning({ plateNumber: vehicles.plateNumber });
  return updated.map((row) => row.plateNumber).sort();
}

export async function insertStnkValidation(db: Database<PoliceSchema>, validation: Omit<StnkValidationRow, 'recordedAt'>): Promise<void> {
  await db.insert(stnkValidations).values(validation);
}
