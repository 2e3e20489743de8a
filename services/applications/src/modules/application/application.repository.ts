import { desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { applications, type ApplicationRow, type ApplicationsSchema } from '../../db/schema';

export async function findApplicationsById(db: Database<ApplicationsSchema>, ids: readonly string[]): Promise<ApplicationRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(applications).where(inArray(applications.id, [...ids]));
}

/** Applications filed by any of the NIKs, newest first, in one query. */
export async function findApplicationsOfApplicants(db: Database<ApplicationsSchema>, niks: readonly string[]): Promise<ApplicationRow[]> {
  if (niks.length === 0) return [];
  return db
    .select()
    .from(applications)
    .where(inArray(applications.applicantNik, [...niks]))
    .orderBy(desc(applications.submittedAt), applications.id);
}

/**
 * The application, locked until the transaction ends. Every change to an application and its tasks
 * takes this lock first, so the status consumer and the SLA sweep apply one after the other, and an
 * application's timeline entries are numbered in commit order.
 */
export async function lockApplication(tx: Database<ApplicationsSchema>, id: string): Promise<ApplicationRow | undefined> {
  const [row] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
  return row;
}

export async function updateApplication(
  tx: Database<ApplicationsSchema>,
  id: string,
  changes: Partial<Pick<ApplicationRow, 'status' | 'slaBreachedAt'>>,
): Promise<void> {
  await tx.update(applications).set(changes).where(eq(applications.id, id));
}
