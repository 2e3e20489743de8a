import { inboxTable, outboxTable, taskApprovalTable } from '@simpul/events';
import { serialCounterTable } from '@simpul/service-kit';
import { date, index, integer, pgSchema, primaryKey, text, varchar } from 'drizzle-orm/pg-core';

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
    /** Set when a death is registered (akta kematian); the record stays, the person is no longer alive. */
    diedOn: date('died_on', { mode: 'string' }),
  },
  (table) => [index('citizen_family_card_number_idx').on(table.familyCardNumber)],
);

/** Akta kelahiran issued by this office. `childNik` is set once the child is added to a family card. */
export const birthCertificates = dukcapil.table(
  'birth_certificate',
  {
    number: text('number').primaryKey(),
    childName: text('child_name').notNull(),
    childSex: sexEnum('child_sex').notNull(),
    childBirthDate: date('child_birth_date', { mode: 'string' }).notNull(),
    birthPlace: text('birth_place').notNull(),
    motherNik: varchar('mother_nik', { length: 16 })
      .notNull()
      .references(() => citizens.nik),
    fatherNik: varchar('father_nik', { length: 16 }).references(() => citizens.nik),
    familyCardNumber: varchar('family_card_number', { length: 16 })
      .notNull()
      .references(() => familyCards.number),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    childNik: varchar('child_nik', { length: 16 })
      .unique()
      .references(() => citizens.nik),
  },
  (table) => [
    index('birth_certificate_mother_nik_idx').on(table.motherNik),
    index('birth_certificate_family_card_number_idx').on(table.familyCardNumber),
  ],
);

/** SKPWNI (surat keterangan pindah): a citizen's move from one family card and address to another. */
export const movingCertificates = dukcapil.table(
  'moving_certificate',
  {
    number: text('number').primaryKey(),
    nik: varchar('nik', { length: 16 })
      .notNull()
      .references(() => citizens.nik),
    fromFamilyCardNumber: varchar('from_family_card_number', { length: 16 })
      .notNull()
      .references(() => familyCards.number),
    toFamilyCardNumber: varchar('to_family_card_number', { length: 16 })
      .notNull()
      .references(() => familyCards.number),
    /** The address as the citizen gave it; the structured one is on the destination family card. */
    newAddress: text('new_address').notNull(),
    movingDate: date('moving_date', { mode: 'string' }).notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  },
  (table) => [index('moving_certificate_nik_idx').on(table.nik)],
);

/** KIA (Kartu Identitas Anak): one current card per child; its number is the child's NIK. */
export const childIdCards = dukcapil.table('child_id_card', {
  nik: varchar('nik', { length: 16 })
    .primaryKey()
    .references(() => citizens.nik),
  issuedOn: date('issued_on', { mode: 'string' }).notNull(),
  /** The day before the child turns 5 (card issued before 5) or 17. */
  validUntil: date('valid_until', { mode: 'string' }).notNull(),
});

/**
 * The last serial handed out per numbering scope (e.g. NIKs of one district and birth date), so
 * concurrent issuers never draw the same number: the row lock serialises them.
 */
export const serialCounters = serialCounterTable(dukcapil);

/** Tasks this office approved, with what it issued: a task sent again gets the same answer, not new numbers. */
export const taskApprovals = taskApprovalTable(dukcapil);

/**
 * verifyCitizen's failed claim checks per client, NIK and day (WIB): the partners' limits. In the
 * database, so every replica counts against the same numbers.
 */
export const verificationFailures = dukcapil.table(
  'verification_failure',
  {
    /** The caller's client id (`azp`: bank-bpd, pln…). */
    clientId: text('client_id').notNull(),
    nik: varchar('nik', { length: 16 }).notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    failures: integer('failures').notNull(),
  },
  (table) => [primaryKey({ columns: [table.clientId, table.nik, table.day] }), index('verification_failure_client_day_idx').on(table.clientId, table.day)],
);

export const inbox = inboxTable(dukcapil);
export const outbox = outboxTable(dukcapil);

export type CitizenRow = typeof citizens.$inferSelect;
export type FamilyCardRow = typeof familyCards.$inferSelect;
export type BirthCertificateRow = typeof birthCertificates.$inferSelect;
export type ChildIdCardRow = typeof childIdCards.$inferSelect;

export const schema = { familyCards, citizens, birthCertificates, movingCertificates, childIdCards, serialCounters, taskApprovals, verificationFailures, inbox, outbox };
export type DukcapilSchema = typeof schema;
