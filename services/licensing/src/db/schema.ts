import { date, index, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

export const licensing = pgSchema('licensing');

export const businessStatusEnum = licensing.enum('business_status', ['ACTIVE', 'SUSPENDED', 'REVOKED']);
/** OSS risk-based licensing tiers (PP 5/2021): the tier decides which permits a business needs besides its NIB. */
export const businessRiskLevelEnum = licensing.enum('business_risk_level', ['LOW', 'MEDIUM_LOW', 'MEDIUM_HIGH', 'HIGH']);

/** A business registered in OSS, identified by its NIB (Nomor Induk Berusaha). */
export const businesses = licensing.table(
  'business',
  {
    nib: varchar('nib', { length: 13 }).primaryKey(),
    ownerNik: varchar('owner_nik', { length: 16 }).notNull(),
    name: text('name').notNull(),
    kbli: varchar('kbli', { length: 5 }).notNull(),
    kbliTitle: text('kbli_title').notNull(),
    riskLevel: businessRiskLevelEnum('risk_level').notNull(),
    status: businessStatusEnum('status').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  },
  (table) => [index('business_owner_nik_idx').on(table.ownerNik)],
);

export type BusinessRow = typeof businesses.$inferSelect;

export const schema = { businesses };
export type LicensingSchema = typeof schema;
