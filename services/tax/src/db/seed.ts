import { sql } from 'drizzle-orm';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { propertyTaxBills, taxpayers, vehicleTaxes, type TaxSchema } from './schema';

export async function hasData(db: Database<TaxSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(taxpayers).limit(1);
  return rows.length > 0;
}

/** The tax office's slice of the synthetic world: taxpayers, PBB bills and PKB vehicle taxes. */
export async function seed(db: Database<TaxSchema>, options: { citizens: number; seed: number }, progress?: SeedProgress): Promise<void> {
  const world = generateWorld(options);
  await db.transaction(async (tx) => {
    await insertInChunks(
      world.taxpayers.map((taxpayer) => ({ npwp: taxpayer.npwp, nik: taxpayer.nik, registeredOn: taxpayer.registeredOn })),
      (chunk) => tx.insert(taxpayers).values(chunk),
      (done, total) => progress?.('taxpayer', done, total),
    );
    await insertInChunks(
      world.propertyTaxBills.map((bill) => ({
        nop: bill.nop,
        year: bill.year,
        ownerNik: bill.ownerNik,
        amount: bill.amount,
        status: bill.status,
        dueOn: bill.dueOn,
      })),
      (chunk) => tx.insert(propertyTaxBills).values(chunk),
      (done, total) => progress?.('property_tax_bill', done, total),
    );
    const ownerByPlate = new Map(world.vehicles.map((vehicle) => [vehicle.plateNumber, vehicle.ownerNik]));
    await insertInChunks(
      world.vehicleTaxes.map((vehicleTax) => ({
        plateNumber: vehicleTax.plateNumber,
        amount: vehicleTax.amount,
        dueOn: vehicleTax.dueOn,
        status: vehicleTax.status,
        ownerNik: ownerByPlate.get(vehicleTax.plateNumber) ?? null,
      })),
      (chunk) => tx.insert(vehicleTaxes).values(chunk),
      (done, total) => progress?.('vehicle_tax', done, total),
    );
  });
}
