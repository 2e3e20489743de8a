import { sql } from 'drizzle-orm';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { applications, type ApplicationsSchema } from './schema';

export async function hasData(db: Database<ApplicationsSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(applications).limit(1);
  return rows.length > 0;
}

/** The MPP's slice of the synthetic world: applications filed at its counters. */
export async function seed(db: Database<ApplicationsSchema>, options: { citizens: number; seed: number }, progress?: SeedProgress): Promise<void> {
  const world = generateWorld(options);
  await db.transaction(async (tx) => {
    await insertInChunks(
      world.applications.map((a) => {
        const submittedAt = new Date(a.submittedAt);
        return {
          id: a.id,
          type: a.type,
          applicantNik: a.applicantNik,
          status: a.status,
          submittedAt,
          mppOffice: a.mppOffice,
          // The world carries no status history, so the last change we know of is the submission.
          updatedAt: submittedAt,
        };
      }),
      (chunk) => tx.insert(applications).values(chunk),
      (done, total) => progress?.('application', done, total),
    );
  });
}
