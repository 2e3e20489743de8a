import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { passports, type ImmigrationSchema, type NewPassportRow, type PassportRow } from '../../db/schema';

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

/**
 * Serialises passport decisions for one citizen until the transaction ends, so two applications of
 * the same citizen cannot both pass the "still holds a valid passport" check.
 */
export async function lockHolder(tx: Database<ImmigrationSchema>, nik: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`immigration.passport-holder:${nik}`}))`);
}

/** Inserts the passport unless its number is taken; undefined then (draw another). */
export async function insertPassportIfNumberFree(tx: Database<ImmigrationSchema>, passport: NewPassportRow): Promise<PassportRow | undefined> {
  const [row] = await tx.insert(passports).values(passport).onConflictDoNothing({ target: passports.number }).returning();
  return row;
}

export async function markReplaced(tx: Database<ImmigrationSchema>, number: string, replacedBy: string, status: PassportRow['status']): Promise<void> {
  await tx.update(passports).set({ status, replacedBy }).where(eq(passports.number, number));
}
