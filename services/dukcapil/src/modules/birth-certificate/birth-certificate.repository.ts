import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { birthCertificates, type BirthCertificateRow, type DukcapilSchema } from '../../db/schema';

const normaliseName = (value: string) => value.normalize('NFKC').replace(/\s+/g, ' ').trim().toUpperCase();

export function sameName(a: string, b: string): boolean {
  return normaliseName(a) === normaliseName(b);
}

export async function findBirthCertificate(db: Database<DukcapilSchema>, number: string): Promise<BirthCertificateRow | undefined> {
  const [certificate] = await db.select().from(birthCertificates).where(eq(birthCertificates.number, number)).for('update');
  return certificate;
}

/** The birth certificates of citizens by their NIK (set when the child joined a family card), in one query. */
export async function findBirthCertificatesOfChildren(db: Database<DukcapilSchema>, childNiks: readonly string[]): Promise<BirthCertificateRow[]> {
  if (childNiks.length === 0) return [];
  return db.select().from(birthCertificates).where(inArray(birthCertificates.childNik, [...childNiks]));
}

/** Birth certificates of a mother's children born on `birthDate` (twins share one), by name. */
export async function findBirthCertificatesOfMother(
  db: Database<DukcapilSchema>,
  motherNik: string,
  birthDate: string,
  childName: string,
): Promise<BirthCertificateRow[]> {
  const rows = await db
    .select()
    .from(birthCertificates)
    .where(and(eq(birthCertificates.motherNik, motherNik), eq(birthCertificates.childBirthDate, birthDate)));
  return rows.filter((row) => sameName(row.childName, childName));
}

/** Certificates issued for a family card whose child is not on the card yet, by name and birth date. */
export async function findPendingBirthCertificates(
  db: Database<DukcapilSchema>,
  familyCardNumber: string,
  birthDate: string,
  childName: string,
): Promise<BirthCertificateRow[]> {
  const rows = await db
    .select()
    .from(birthCertificates)
    .where(and(eq(birthCertificates.familyCardNumber, familyCardNumber), eq(birthCertificates.childBirthDate, birthDate), isNull(birthCertificates.childNik)))
    .for('update');
  return rows.filter((row) => sameName(row.childName, childName));
}

export async function insertBirthCertificate(db: Database<DukcapilSchema>, certificate: typeof birthCertificates.$inferInsert): Promise<void> {
  await db.insert(birthCertificates).values(certificate);
}

export async function recordChildNik(db: Database<DukcapilSchema>, number: string, childNik: string): Promise<void> {
  await db.update(birthCertificates).set({ childNik }).where(eq(birthCertificates.number, number));
}
