import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { ApplicationsSchema } from './db/schema';
import { findApplicationsById, findApplicationsOfApplicants } from './modules/application/application.repository';
import { findTasksOfApplications } from './modules/task/task.repository';
import { findTimelinesOfApplications } from './modules/timeline/timeline.repository';

/** Per-request batching: every application id or applicant NIK asked for in one request costs one query per relation. */
export function createLoaders(db: Database<ApplicationsSchema>) {
  return {
    applicationById: oneByKeyLoader((ids) => findApplicationsById(db, ids), (a) => a.id),
    applicationsByApplicant: manyByKeyLoader((niks) => findApplicationsOfApplicants(db, niks), (a) => a.applicantNik),
    tasksByApplication: manyByKeyLoader((ids) => findTasksOfApplications(db, ids), (t) => t.applicationId),
    timelineByApplication: manyByKeyLoader((ids) => findTimelinesOfApplications(db, ids), (e) => e.applicationId),
  };
}

export type ApplicationsLoaders = ReturnType<typeof createLoaders>;
