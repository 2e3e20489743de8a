import { desc, inArray } from 'drizzle-orm';
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
