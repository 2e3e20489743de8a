import { sql } from 'drizzle-orm';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { passports, type ImmigrationSchema } from './schema';

export async function hasData(db: Database<ImmigrationSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(passports).limit(1);
  return rows.length > 0;
}

/** Immigration's slice of the synthetic world: every passport issued, current or not. */
export async function seed(db: Database<ImmigrationSchema>, options: { citizens: number; seed: number }, progress?: SeedProgress): Promise<void> {
  const world = generateWorld(options);
  await db.transaction(async (tx) => {
    await insertInChunks(
      world.passports.map((p) => ({
        number: p.number,
        nik: p.nik,
        status: p.status,
        issuedOn: p.issuedOn,
        expiresOn: p.expiresOn,
        issuingOffice: p.issuingOffice,
      })),
      (chunk) => tx.insert(passports).values(chunk),
      (done, total) => progress?.('passport', done, total),
    );
  });
}
