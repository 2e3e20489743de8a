import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { ApplicationsSchema } from './db/schema';
import { findApplicationsById, findApplicationsOfApplicants } from './modules/application/application.repository';

/** Per-request batching: every application id or applicant NIK asked for in one request costs one query. */
export function createLoaders(db: Database<ApplicationsSchema>) {
  return {
    applicationById: oneByKeyLoader((ids) => findApplicationsById(db, ids), (a) => a.id),
    applicationsByApplicant: manyByKeyLoader((niks) => findApplicationsOfApplicants(db, niks), (a) => a.applicantNik),
  };
}

export type ApplicationsLoaders = ReturnType<typeof createLoaders>;
