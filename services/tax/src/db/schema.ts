import { inboxTable, outboxTable, taskApprovalTable } from '@simpul/events';
import { date, index, integer, pgSchema, primaryKey, text, timestamp, unique, uuid, varchar } from 'drizzle-orm/pg-core';

export const tax = pgSchema('tax');

export const billStatusEnum = tax.enum('bill_status', ['UNPAID', 'PAID', 'OVERDUE']);

/** A registered taxpayer (Wajib Pajak). One NPWP per person. */
export const taxpayers = tax.table('taxpayer', {
  // Digits only: 15 for a legacy NPWP, 16 when the NIK itself is the NPWP (individuals since 2024).
  npwp: varchar('npwp', { length: 16 }).primaryKey(),
  nik: varchar('nik', { length: 16 }).notNull().unique('taxpayer_nik_unique'),
  registeredOn: date('registered_on', { mode: 'string' }).notNull(),
  /** Where the tax office writes to the taxpayer; null until the taxpayer (or an address change) tells it. */
  address: text('address'),
});

/**
 * A business taxpayer (Wajib Pajak Badan) registered at the MPP after OSS issued its NIB: its own
 * 15-digit NPWP, one per NIB.
 */
export const businessTaxpayers = tax.table(
  'business_taxpayer',
  {
    npwp: varchar('npwp', { length: 15 }).primaryKey(),
    nib: varchar('nib', { length: 13 }).notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    /** The person responsible (penanggung jawab) who applied. */
    responsibleNik: varchar('responsible_nik', { length: 16 }).notNull(),
    registeredOn: date('registered_on', { mode: 'string' }).notNull(),
    /** The MPP task that registered it. */
    taskId: uuid('task_id').notNull(),
  },
  (table) => [unique('business_taxpayer_nib_unique').on(table.nib), index('business_taxpayer_responsible_nik_idx').on(table.responsibleNik)],
);

/** Serial (digits 3–8) of the NPWPs issued to business taxpayers. */
export const businessNpwpSerial = tax.sequence('business_npwp_serial', { startWith: 1, minValue: 1, maxValue: 999_999 });

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
  /** The owner the PKB is charged to (wajib pajak); null for records from before owners were kept. */
  ownerNik: varchar('owner_nik', { length: 16 }),
});

/** A PKB payment the tax office recorded, with the SKPD/PKB receipt it issued: one per plate and tax year. */
export const vehicleTaxPayments = tax.table(
  'vehicle_tax_payment',
  {
    receiptNumber: varchar('receipt_number', { length: 20 }).primaryKey(),
    plateNumber: varchar('plate_number', { length: 11 }).notNull(),
    /** The year of the PKB's due date. */
    taxYear: integer('tax_year').notNull(),
    amount: integer('amount').notNull(),
    payerNik: varchar('payer_nik', { length: 16 }).notNull(),
    /** The bank's proof of payment, as it came with the task: `<kind>:<number>` (or `<kind>#<hash>`). */
    bankReference: text('bank_reference').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    taskId: uuid('task_id').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [unique('vehicle_tax_payment_plate_year_unique').on(table.plateNumber, table.taxYear)],
);

/** Serial of the SKPD/PKB receipts. */
export const vehicleTaxReceiptSerial = tax.sequence('vehicle_tax_receipt_serial', { startWith: 1, minValue: 1, maxValue: 99_999_999 });

/** Events this service has processed (its task topic) and events it has yet to publish (task status). */
/** The tasks approved, with what was issued: a task sent again gets the same answer (approvingOnce). */
export const taskApprovals = taskApprovalTable(tax);

export const inbox = inboxTable(tax);
export const outbox = outboxTable(tax);

export type TaxpayerRow = typeof taxpayers.$inferSelect;
export type PropertyTaxBillRow = typeof propertyTaxBills.$inferSelect;
export type VehicleTaxRow = typeof vehicleTaxes.$inferSelect;
export type BusinessTaxpayerRow = typeof businessTaxpayers.$inferSelect;
export type VehicleTaxPaymentRow = typeof vehicleTaxPayments.$inferSelect;

export const schema = { taxpayers, businessTaxpayers, propertyTaxBills, vehicleTaxes, vehicleTaxPayments, taskApprovals, inbox, outbox };
export type TaxSchema = typeof schema;
