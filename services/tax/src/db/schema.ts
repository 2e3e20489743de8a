import { date, index, integer, pgSchema, primaryKey, varchar } from 'drizzle-orm/pg-core';

export const tax = pgSchema('tax');

export const billStatusEnum = tax.enum('bill_status', ['UNPAID', 'PAID', 'OVERDUE']);

/** A registered taxpayer (Wajib Pajak). One NPWP per person. */
export const taxpayers = tax.table('taxpayer', {
  // Digits only: 15 for a legacy NPWP, 16 when the NIK itself is the NPWP (individuals since 2024).
  npwp: varchar('npwp', { length: 16 }).primaryKey(),
  nik: varchar('nik', { length: 16 }).notNull().unique('taxpayer_nik_unique'),
  registeredOn: date('registered_on', { mode: 'string' }).notNull(),
});

/** PBB (Pajak Bumi dan Bangunan): one bill (SPPT) per tax object per year. */
export const propertyTaxBills = tax.table(
  'property_tax_bill',
  {
    // 18 digits, undotted.
    nop: varchar('nop', { length: 18 }).notNull(),
    year: integer('year').notNull(),
    ownerNik: varchar('owner_nik', { length: 16 }).notNull(),
    amount: integer('amount').notNull(),
    status: billStatusEnum('status').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
  },
  (table) => [
    primaryKey({ name: 'property_tax_bill_pk', columns: [table.nop, table.year] }),
    index('property_tax_bill_owner_nik_idx').on(table.ownerNik),
  ],
);

/** PKB (Pajak Kendaraan Bermotor): the vehicle tax due this year, per plate. */
export const vehicleTaxes = tax.table('vehicle_tax', {
  // Normalised plate, e.g. "BM 1234 AB".
  plateNumber: varchar('plate_number', { length: 11 }).primaryKey(),
  amount: integer('amount').notNull(),
  dueOn: date('due_on', { mode: 'string' }).notNull(),
  status: billStatusEnum('status').notNull(),
});

export type TaxpayerRow = typeof taxpayers.$inferSelect;
export type PropertyTaxBillRow = typeof propertyTaxBills.$inferSelect;
export type VehicleTaxRow = typeof vehicleTaxes.$inferSelect;

export const schema = { taxpayers, propertyTaxBills, vehicleTaxes };
export type TaxSchema = typeof schema;
