import type { ApplicationsContext } from '../../context';
import type { ApplicationRow } from '../../db/schema';
import { citizenReference } from '../citizen/citizen.resolvers';
import { findApplication, resolveApplicationReference } from './application.service';

export const applicationResolvers = {
  Query: {
    application: (_: unknown, args: { id: string }, ctx: ApplicationsContext) => findApplication(ctx.loaders, args.id),
  },
  Application: {
    __resolveReference: (ref: { id: string }, ctx: ApplicationsContext) => resolveApplicationReference(ctx.loaders, ref.id),
    submittedAt: (application: ApplicationRow) => application.submittedAt.toISOString(),
    applicant: (application: ApplicationRow) => citizenReference(application.applicantNik),
  },
};
