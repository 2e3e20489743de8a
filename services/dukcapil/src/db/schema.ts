import { date, index, pgSchema, text, varchar } from 'drizzle-orm/pg-core';

export const dukcapil = pgSchema('dukcapil');

export const sexEnum = dukcapil.enum('sex', ['MALE', 'FEMALE']);
export const religionEnum = dukcapil.enum('religion', ['ISLAM', 'PROTESTANT', 'CATHOLIC', 'HINDU', 'BUDDHIST', 'CONFUCIAN', 'OTHER']);
export const maritalStatusEnum = dukcapil.enum('marital_status', ['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED']);
export const familyRelationshipEnum = dukcapil.enum('family_relationship', ['HEAD', 'SPOUSE', 'CHILD', 'PARENT', 'OTHER']);

/** Kartu Keluarga: the household record; its address is every member's registered address. */
export const familyCards = dukcapil.table('family_card', {
  number: varchar('number', { length: 16 }).primaryKey(),
  headNik: varchar('head_nik', { length: 16 }).notNull(),
  issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  street: text('street').notNull(),
  rt: varchar('rt', { length: 3 }).notNull(),
  rw: varchar('rw', { length: 3 }).notNull(),
  village: text('village').notNull(),
  districtCode: varchar('district_code', { length: 6 }).notNull(),
  districtName: text('district_name').notNull(),
  regencyCode: varchar('regency_code', { length: 4 }).notNull(),
  regencyName: text('regency_name').notNull(),
  provinceCode: varchar('province_code', { length: 2 }).notNull(),
  provinceName: text('province_name').notNull(),
  postalCode: varchar('postal_code', { length: 5 }).notNull(),
});

export const citizens = dukcapil.table(
  'citizen',
  {
    nik: varchar('nik', { length: 16 }).primaryKey(),
    fullName: text('full_name').notNull(),
    birthPlace: text('birth_place').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: sexEnum('sex').notNull(),
    religion: religionEnum('religion').notNull(),
    maritalStatus: maritalStatusEnum('marital_status').notNull(),
    occupation: text('occupation').notNull(),
    familyCardNumber: varchar('family_card_number', { length: 16 })
      .notNull()
      .references(() => familyCards.number),
    familyRelationship: familyRelationshipEnum('family_relationship').notNull(),
  },
  (table) => [index('citizen_family_card_number_idx').on(table.familyCardNumber)],
);

export type CitizenRow = typeof citizens.$inferSelect;
export type FamilyCardRow = typeof familyCards.$inferSelect;

export const schema = { familyCards, citizens };
export type DukcapilSchema = typeof schema;
