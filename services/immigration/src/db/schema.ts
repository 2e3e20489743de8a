import { date, index, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

export const immigration = pgSchema('immigration');

export const passportStatusEnum = immigration.enum('passport_status', ['VALID', 'EXPIRED', 'REVOKED', 'LOST']);

/** A passport issued to a citizen, identified by its number (one letter and seven digits). */
export const passports = immigration.table(
  'passport',
  {
    number: varchar('number', { length: 8 }).primaryKey(),
    nik: varchar('nik', { length: 16 }).notNull(),
    status: passportStatusEnum('status').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    issuingOffice: text('issuing_office').notNull(),
  },
  (table) => [index('passport_nik_idx').on(table.nik)],
);

export type PassportRow = typeof passports.$inferSelect;

export const schema = { passports };
export type ImmigrationSchema = typeof schema;
