import { inboxTable, outboxTable, taskApprovalTable } from '@simpul/events';
import { date, index, integer, pgSchema, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

export const police = pgSchema('police');

export const simClassEnum = police.enum('sim_class', ['A', 'B1', 'B2', 'C', 'D']);
export const vehicleKindEnum = police.enum('vehicle_kind', ['MOTORCYCLE', 'CAR']);

/** Surat Izin Mengemudi: one row per licence class a citizen holds. */
export const drivingLicences = police.table(
  'driving_licence',
  {
    number: varchar('number', { length: 12 }).primaryKey(),
    nik: varchar('nik', { length: 16 }).notNull(),
    class: simClassEnum('class').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
  },
  (table) => [index('driving_licence_nik_idx').on(table.nik)],
);

/** A registered vehicle and its STNK (Surat Tanda Nomor Kendaraan). */
export const vehicles = police.table(
  'vehicle',
  {
    // Normalised form, e.g. "BM 1234 AB": region letters, 1–4 digits, 0–3 suffix letters.
    plateNumber: varchar('plate_number', { length: 11 }).primaryKey(),
    ownerNik: varchar('owner_nik', { length: 16 }).notNull(),
    kind: vehicleKindEnum('kind').notNull(),
    brand: text('brand').notNull(),
    model: text('model').notNull(),
    manufactureYear: integer('manufacture_year').notNull(),
    stnkExpiresOn: date('stnk_expires_on', { mode: 'string' }).notNull(),
    /** The owner's address printed on the STNK; null until an address change reaches the police. */
    registeredAddress: text('registered_address'),
  },
  (table) => [index('vehicle_owner_nik_idx').on(table.ownerNik)],
);

/**
 * The annual validation (pengesahan) of a vehicle's STNK, after its PKB was paid: each one extends
 * the STNK's yearly validity by a year, within the five years of the STNK itself.
 */
export const stnkValidations = police.table(
  'stnk_validation',
  {
    number: varchar('number', { length: 18 }).primaryKey(),
    plateNumber: varchar('plate_number', { length: 11 }).notNull(),
    applicantNik: varchar('applicant_nik', { length: 16 }).notNull(),
    validatedOn: date('validated_on', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    /** The MPP task that validated it. */
    taskId: uuid('task_id').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('stnk_validation_plate_number_valid_until_idx').on(table.plateNumber, table.validUntil)],
);

/** Serial of the STNK validation numbers. */
export const stnkValidationSerial = police.sequence('stnk_validation_serial', { startWith: 1, minValue: 1, maxValue: 99_999_999 });

/** Events this service has processed (its task topic) and events it has yet to publish (task status). */
/** The tasks approved, with what was issued: a task sent again gets the same answer (approvingOnce). */
export const taskApprovals = taskApprovalTable(police);

export const inbox = inboxTable(police);
export const outbox = outboxTable(police);

export type DrivingLicenceRow = typeof drivingLicences.$inferSelect;
export type VehicleRow = typeof vehicles.$inferSelect;
export type StnkValidationRow = typeof stnkValidations.$inferSelect;

export const schema = { drivingLicences, vehicles, stnkValidations, taskApprovals, inbox, outbox };
export type PoliceSchema = typeof schema;
