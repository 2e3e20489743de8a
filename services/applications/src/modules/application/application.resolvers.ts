import type { AuditRecorder } from '@simpul/service-kit';
import type { ApplicationsContext } from '../../context';
import type { ApplicationRow } from '../../db/schema';
import { citizenReference } from '../citizen/citizen.resolvers';
import { isApplicationSlaBreached } from '../task/sla';
import { taskView } from '../task/task.view';
import { timelineEntryView } from '../timeline/timeline.view';
import { findApplication, resolveApplicationReference } from './application.service';
import { submitApplication, type SubmitApplicationInput } from './submit-application';

export const applicationResolvers = {
  Query: {
    application: (_: unknown, args: { id: string }, ctx: ApplicationsContext) => findApplication(ctx.loaders, args.id),
  },
  Mutation: {
    submitApplication: (_: unknown, args: { input: SubmitApplicationInput }, ctx: ApplicationsContext) =>
      submitApplication(ctx.runtime, args.input, { correlationId: ctx.correlationId, traceparent: ctx.traceparent, audit: auditOf(ctx) }),
  },
  Application: {
    __resolveReference: (ref: { id: string }, ctx: ApplicationsContext) => resolveApplicationReference(ctx.loaders, ref.id),
    submittedAt: (application: ApplicationRow) => application.submittedAt.toISOString(),
    applicant: (application: ApplicationRow) => citizenReference(application.applicantNik),
    tasks: async (application: ApplicationRow, _: unknown, ctx: ApplicationsContext) => {
      const now = ctx.runtime.now();
      return (await ctx.loaders.tasksByApplication.load(application.id)).map((task) => taskView(task, ctx.runtime.catalogue, now));
    },
    timeline: async (application: ApplicationRow, _: unknown, ctx: ApplicationsContext) =>
      (await ctx.loaders.timelineByApplication.load(application.id)).map(timelineEntryView),
    slaBreached: async (application: ApplicationRow, _: unknown, ctx: ApplicationsContext) =>
      isApplicationSlaBreached(application, await ctx.loaders.tasksByApplication.load(application.id), ctx.runtime.now()),
  },
};

/** The request's recorder, which createSubgraph's audit plugin puts on every operation's context: never a change without one. */
function auditOf(ctx: ApplicationsContext): AuditRecorder {
  if (!ctx.audit) throw new Error('the request context has no audit recorder (the subgraph is not built by createSubgraph)');
  return ctx.audit;
}
