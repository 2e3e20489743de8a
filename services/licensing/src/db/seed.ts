import { sql } from 'drizzle-orm';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { businesses, type LicensingSchema } from './schema';

export async function hasData(db: Database<LicensingSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(businesses).limit(1);
  return rows.length > 0;
}

/** Licensing's slice of the synthetic world: the businesses registered in OSS and their owners' NIKs. */
export async function seed(db: Database<LicensingSchema>, options: { citizens: number; seed: number }, progress?: SeedProgress): Promise<void> {
  const world = generateWorld(options);
  await db.transaction(async (tx) => {
    await insertInChunks(
      world.businesses.map((b) => ({
        nib: b.nib,
        ownerNik: b.ownerNik,
        name: b.name,
        kbli: b.kbli,
        kbliTitle: b.kbliTitle,
        riskLevel: b.riskLevel,
        status: b.status,
        issuedOn: b.issuedOn,
      })),
      (chunk) => tx.insert(businesses).values(chunk),
      (done, total) => progress?.('business', done, total),
    );
  });
}
