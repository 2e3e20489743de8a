import { asc, desc, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { passports, type ImmigrationSchema, type PassportRow } from '../../db/schema';

export async function findPassportsByNumber(db: Database<ImmigrationSchema>, numbers: readonly string[]): Promise<PassportRow[]> {
  if (numbers.length === 0) return [];
  return db.select().from(passports).where(inArray(passports.number, [...numbers]));
}

/** Every passport held by any of the NIKs, newest issue first per holder, in one query. */
export async function findPassportsByNik(db: Database<ImmigrationSchema>, niks: readonly string[]): Promise<PassportRow[]> {
  if (niks.length === 0) return [];
  return db
    .select()
    .from(passports)
    .where(inArray(passports.nik, [...niks]))
    .orderBy(asc(passports.nik), desc(passports.issuedOn), desc(passports.number));
}
