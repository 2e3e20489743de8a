import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import {
  correlationIdOf,
  createGraphQLHandler,
  createSubgraph,
  internalContextVerifierFor,
  loadTypeDefs,
  type InternalContextKey,
  type Subgraph,
} from '@simpul/service-kit';
import type { ApplicationsContext, ApplicationsRuntime } from './context';
import { createLoaders } from './loaders';
import { applicationPurposeRoute } from './modules/application/application-purpose.route';
import { applicationResolvers } from './modules/application/application.resolvers';
import { catalogueResolvers } from './modules/catalogue/catalogue.resolvers';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { applicationEventsRoute } from './modules/timeline/application-events.route';
import { taskStatusRoute } from './modules/webhook/task-status.route';

export const SERVICE_NAME = 'applications';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...applicationResolvers.Query, ...catalogueResolvers.Query },
  Mutation: applicationResolvers.Mutation,
  Citizen: citizenResolvers.Citizen,
  Application: applicationResolvers.Application,
  ApplicationTypeDefinition: catalogueResolvers.ApplicationTypeDefinition,
  ApplicationInputDefinition: catalogueResolvers.ApplicationInputDefinition,
  ApplicationStepDefinition: catalogueResolvers.ApplicationStepDefinition,
};

function traceparentOf(req: IncomingMessage): string | undefined {
  const header = req.headers.traceparent;
  return Array.isArray(header) ? header[0] : header;
}

/**
 * The applications subgraph, plus on the same HTTP server its live-status route
 * `GET /applications/<id>/events` (server-sent events), the webhook participants' status
 * reports `POST /participants/<code>/task-status` and the gateway's purpose look-up
 * `GET /purposes/applications/<id>`.
 */
export async function createApplicationsSubgraph(deps: {
  runtime: ApplicationsRuntime;
  production?: boolean;
  ready?: () => Promise<void>;
  /** The gateway's public JWK verifying `x-simpul-context`; default: INTERNAL_CONTEXT_PUBLIC_KEY from the environment. */
  internalContextPublicKey?: InternalContextKey;
}): Promise<Subgraph<ApplicationsContext>> {
  const { runtime } = deps;
  const createContext = (base: { logger: ApplicationsContext['logger']; correlationId: string }, req: IncomingMessage): ApplicationsContext => ({
    ...base,
    loaders: createLoaders(runtime.db),
    runtime,
    traceparent: traceparentOf(req),
  });
  const subgraph = await createSubgraph<ApplicationsContext>(
    {
      name: SERVICE_NAME,
      typeDefs,
      resolvers,
      logger: runtime.logger,
      production: deps.production,
      createContext,
      internalContextPublicKey: deps.internalContextPublicKey,
      // The runtime's audit log, which its consumer and live stream record to as well; none: accesses are discarded.
      audit: runtime.audit ?? false,
    },
    deps.ready,
  );
  // The live stream checks the gateway's context as the GraphQL endpoint does (same key) and records what it shows in the
  // same audit log; status reports are HMAC-signed webhooks.
  const verifier = internalContextVerifierFor(deps.internalContextPublicKey, 'applications');
  // The same GraphQL handler createSubgraph builds, with the live-status and status-report routes in front of it.
  const handler = createGraphQLHandler<ApplicationsContext>({
    server: subgraph.apollo,
    ready: deps.ready,
    routes: [
      applicationEventsRoute({
        db: runtime.db,
        catalogue: runtime.catalogue,
        watcher: runtime.watcher,
        logger: runtime.logger,
        typeDefs,
        verifier,
        audit: runtime.audit,
      }),
      taskStatusRoute(runtime),
      // The gateway's look-up for binding an `application:<id>` purpose (its own signed context only).
      applicationPurposeRoute({ db: runtime.db, catalogue: runtime.catalogue, logger: runtime.logger, verifier, civilRegistry: runtime.civilRegistry }),
    ],
    context: (req) => {
      const correlationId = correlationIdOf(req);
      return createContext({ logger: runtime.logger.child({ correlationId }), correlationId }, req);
    },
  });
  return { apollo: subgraph.apollo, handler };
}
