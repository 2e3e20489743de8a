import { sql } from 'drizzle-orm';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { birthCertificates, childIdCards, citizens, familyCards, type DukcapilSchema } from './schema';
import { seededDocuments } from './seed-documents';

export async function hasData(db: Database<DukcapilSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(citizens).limit(1);
  return rows.length > 0;
}

/** Dukcapil's slice of the synthetic world: family cards, the citizens on them, and their birth certificates and KIAs. */
export async function seed(db: Database<DukcapilSchema>, options: { citizens: number; seed: number }, progress?: SeedProgress): Promise<void> {
  const world = generateWorld(options);
  await db.transaction(async (tx) => {
    await insertInChunks(
      world.familyCards.map((card) => ({
        number: card.number,
        headNik: card.headNik,
        issuedOn: card.issuedOn,
        street: card.address.street,
        rt: card.address.rt,
        rw: card.address.rw,
        village: card.address.village,
        districtCode: card.address.districtCode,
        districtName: card.address.districtName,
        regencyCode: card.address.regencyCode,
        regencyName: card.address.regencyName,
        provinceCode: card.address.provinceCode,
        provinceName: card.address.provinceName,
        postalCode: card.address.postalCode,
      })),
      (chunk) => tx.insert(familyCards).values(chunk),
      (done, total) => progress?.('family_card', done, total),
    );
    await insertInChunks(
      world.citizens.map((c) => ({
        nik: c.nik,
        fullName: c.fullName,
        birthPlace: c.birthPlace,
        birthDate: c.birthDate,
        sex: c.sex,
        religion: c.religion,
        maritalStatus: c.maritalStatus,
        occupation: c.occupation,
        familyCardNumber: c.familyCardNumber,
        familyRelationship: c.familyRelationship,
      })),
      (chunk) => tx.insert(citizens).values(chunk),
      (done, total) => progress?.('citizen', done, total),
    );
    const documents = seededDocuments(world);
    await insertInChunks(
      documents.birthCertificates,
      (chunk) => tx.insert(birthCertificates).values(chunk),
      (done, total) => progress?.('birth_certificate', done, total),
    );
    await insertInChunks(
      documents.childIdCards,
      (chunk) => tx.insert(childIdCards).values(chunk),
      (done, total) => progress?.('child_id_card', done, total),
    );
  });
}
