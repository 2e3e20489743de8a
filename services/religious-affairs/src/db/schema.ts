import { date, index, pgSchema, text, uuid, varchar } from 'drizzle-orm/pg-core';

export const religiousAffairs = pgSchema('religious_affairs');

/** A marriage registered at a KUA (Kantor Urusan Agama), as recorded on its Akta Nikah. */
export const marriages = religiousAffairs.table(
  'marriage',
  {
    id: uuid('id').primaryKey(),
    husbandNik: varchar('husband_nik', { length: 16 }).notNull(),
    wifeNik: varchar('wife_nik', { length: 16 }).notNull(),
    registeredAt: date('registered_at', { mode: 'string' }).notNull(),
    kuaOffice: text('kua_office').notNull(),
    // Serial/KUA/month/year: unique only within the issuing KUA, so not a key here.
    certificateNumber: text('certificate_number').notNull(),
  },
  (table) => [index('marriage_husband_nik_idx').on(table.husbandNik), index('marriage_wife_nik_idx').on(table.wifeNik)],
);

export type MarriageRow = typeof marriages.$inferSelect;

export const schema = { marriages };
export type ReligiousAffairsSchema = typeof schema;
