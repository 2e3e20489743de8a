import { date, index, integer, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

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
  },
  (table) => [index('vehicle_owner_nik_idx').on(table.ownerNik)],
);

export type DrivingLicenceRow = typeof drivingLicences.$inferSelect;
export type VehicleRow = typeof vehicles.$inferSelect;

export const schema = { drivingLicences, vehicles };
export type PoliceSchema = typeof schema;
