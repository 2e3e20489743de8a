import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import { createErrorFormatter } from './errors';
import { createGraphQLHandler, listen, type HttpRoute, type RunningHttpServer } from './http-server';
import type { Logger } from './logger';

/** What every subgraph resolver can rely on; services extend it with their per-request loaders. */
export interface RequestContext {
  logger: Logger;
  correlationId: string;
}

export interface SubgraphDefinition<TContext extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any>;
  logger: Logger;
  /** Builds the per-request context (fresh DataLoaders each request). */
  createContext: (base: RequestContext, req: IncomingMessage) => TContext | Promise<TContext>;
  production?: boolean;
  /** Extra HTTP routes served beside `/graphql` (e.g. a server-sent events stream). */
  routes?: HttpRoute[];
}

export interface Subgraph<TContext extends RequestContext> {
  apollo: ApolloServer<TContext>;
  handler: ReturnType<typeof createGraphQLHandler<TContext>>;
}

export function correlationIdOf(req: IncomingMessage): string {
  const header = req.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

export async function createSubgraph<TContext extends RequestContext>(
  definition: SubgraphDefinition<TContext>,
  ready?: () => Promise<void>,
): Promise<Subgraph<TContext>> {
  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers }]),
    formatError: createErrorFormatter(definition.logger),
    includeStacktraceInErrorResponses: false,
    introspection: !definition.production,
    // Federated traces would go to Apollo's hosted Studio, which a government data centre does not use.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
    // runService owns shutdown; Apollo's own handler would re-raise the signal mid-way through it.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  const handler = createGraphQLHandler<TContext>({
    server: apollo,
    ready,
    routes: definition.routes,
    context: (req) => {
      const correlationId = correlationIdOf(req);
      return definition.createContext({ logger: definition.logger.child({ correlationId }), correlationId }, req);
    },
  });
  return { apollo, handler };
}

export async function serveSubgraph<TContext extends RequestContext>(
  subgraph: Subgraph<TContext>,
  options: { host?: string; port?: number },
): Promise<RunningHttpServer & { stop(): Promise<void> }> {
  const http = await listen(subgraph.handler, options);
  return {
    ...http,
    async stop() {
      await http.close();
      await subgraph.apollo.stop();
    },
  };
}
