import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { vehicleTaxes, vehicleTaxPayments, type TaxSchema, type VehicleTaxPaymentRow, type VehicleTaxRow } from '../../db/schema';

/** A PKB with the receipt of its year's payment, when the tax office recorded one. */
export interface VehicleTaxWithReceipt extends VehicleTaxRow {
  receiptNumber: string | null;
  paidOn: string | null;
}

const taxYear = sql<number>`extract(year from ${vehicleTaxes.dueOn})::int`;

export async function findVehicleTaxesByPlateNumber(db: Database<TaxSchema>, plateNumbers: readonly string[]): Promise<VehicleTaxWithReceipt[]> {
  if (plateNumbers.length === 0) return [];
  return db
    .select({
      plateNumber: vehicleTaxes.plateNumber,
      amount: vehicleTaxes.amount,
      dueOn: vehicleTaxes.dueOn,
      status: vehicleTaxes.status,
      ownerNik: vehicleTaxes.ownerNik,
      receiptNumber: vehicleTaxPayments.receiptNumber,
      paidOn: vehicleTaxPayments.paidOn,
    })
    .from(vehicleTaxes)
    .leftJoin(vehicleTaxPayments, and(eq(vehicleTaxPayments.plateNumber, vehicleTaxes.plateNumber), eq(vehicleTaxPayments.taxYear, taxYear)))
    .where(inArray(vehicleTaxes.plateNumber, [...plateNumbers]));
}

/** The PKB of one plate, locked until the transaction ends. */
export async function findVehicleTaxForUpdate(db: Database<TaxSchema>, plateNumber: string): Promise<VehicleTaxRow | null> {
  const [row] = await db.select().from(vehicleTaxes).where(eq(vehicleTaxes.plateNumber, plateNumber)).for('update');
  return row ?? null;
}

export async function findVehicleTaxPayment(db: Database<TaxSchema>, plateNumber: string, year: number): Promise<VehicleTaxPaymentRow | null> {
  const [row] = await db
    .select()
    .from(vehicleTaxPayments)
    .where(and(eq(vehicleTaxPayments.plateNumber, plateNumber), eq(vehicleTaxPayments.taxYear, year)));
  return row ?? null;
}

/** Records the payment and marks the PKB paid. */
export async function insertVehicleTaxPayment(db: Database<TaxSchema>, payment: Omit<VehicleTaxPaymentRow, 'recordedAt'>): Promise<void> {
  await db.insert(vehicleTaxPayments).values(payment);
  await db.update(vehicleTaxes).set({ status: 'PAID' }).where(eq(vehicleTaxes.plateNumber, payment.plateNumber));
}
