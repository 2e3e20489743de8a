import { sql } from 'drizzle-orm';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { drivingLicences, vehicles, type PoliceSchema } from './schema';

export async function hasData(db: Database<PoliceSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(vehicles).limit(1);
  return rows.length > 0;
}

/** POLRI's slice of the synthetic world: SIM driving licences, and vehicles with their STNK. */
export async function seed(db: Database<PoliceSchema>, options: { citizens: number; seed: number }, progress?: SeedProgress): Promise<void> {
  const world = generateWorld(options);
  await db.transaction(async (tx) => {
    await insertInChunks(
      world.drivingLicences.map((licence) => ({
        number: licence.number,
        nik: licence.nik,
        class: licence.class,
        issuedOn: licence.issuedOn,
        expiresOn: licence.expiresOn,
      })),
      (chunk) => tx.insert(drivingLicences).values(chunk),
      (done, total) => progress?.('driving_licence', done, total),
    );
    await insertInChunks(
      world.vehicles.map((vehicle) => ({
        plateNumber: vehicle.plateNumber,
        ownerNik: vehicle.ownerNik,
        kind: vehicle.kind,
        brand: vehicle.brand,
        model: vehicle.model,
        manufactureYear: vehicle.manufactureYear,
        stnkExpiresOn: vehicle.stnkExpiresOn,
      })),
      (chunk) => tx.insert(vehicles).values(chunk),
      (done, total) => progress?.('vehicle', done, total),
    );
  });
}
