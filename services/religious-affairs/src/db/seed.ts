import { sql } from 'drizzle-orm';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { marriages, type ReligiousAffairsSchema } from './schema';

export async function hasData(db: Database<ReligiousAffairsSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(marriages).limit(1);
  return rows.length > 0;
}

/** The KUA's slice of the synthetic world: registered marriages. */
export async function seed(
  db: Database<ReligiousAffairsSchema>,
  options: { citizens: number; seed: number },
  progress?: SeedProgress,
): Promise<void> {
  const world = generateWorld(options);
  await db.transaction(async (tx) => {
    await insertInChunks(
      world.marriages.map((m) => ({
        id: m.id,
        husbandNik: m.husbandNik,
        wifeNik: m.wifeNik,
        registeredAt: m.registeredAt,
        kuaOffice: m.kuaOffice,
        certificateNumber: m.certificateNumber,
      })),
      (chunk) => tx.insert(marriages).values(chunk),
      (done, total) => progress?.('marriage', done, total),
    );
  });
}
