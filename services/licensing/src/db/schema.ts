import { inboxTable, outboxTable, taskApprovalTable } from '@simpul/events';
import { date, index, pgSchema, text, uuid, varchar } from 'drizzle-orm/pg-core';

export const licensing = pgSchema('licensing');

export const businessStatusEnum = licensing.enum('business_status', ['ACTIVE', 'SUSPENDED', 'REVOKED']);
/** OSS risk-based licensing tiers (PP 5/2021): the tier decides which permits a business needs besides its NIB. */
export const businessRiskLevelEnum = licensing.enum('business_risk_level', ['LOW', 'MEDIUM_LOW', 'MEDIUM_HIGH', 'HIGH']);
/** Business scale as declared at registration (UMKM classes of PP 7/2021, or large). */
export const businessScaleEnum = licensing.enum('business_scale', ['MICRO', 'SMALL', 'MEDIUM', 'LARGE']);

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
    /** Registered through the MPP: the address and scale declared (null for earlier registrations). */
    address: text('address'),
    scale: businessScaleEnum('scale'),
    /** The MPP task that registered the business (a task sent again is answered from taskApprovals). */
    taskId: uuid('task_id').unique(),
  },
  (table) => [index('business_owner_nik_idx').on(table.ownerNik)],
);

export type BusinessRow = typeof businesses.$inferSelect;
export type NewBusinessRow = typeof businesses.$inferInsert;

/** The tasks approved, with the NIB issued: a task sent again gets the same answer (approvingOnce). */
export const taskApprovals = taskApprovalTable(licensing);

export const inbox = inboxTable(licensing);
export const outbox = outboxTable(licensing);

export const schema = { businesses, taskApprovals, inbox, outbox };
export type LicensingSchema = typeof schema;
