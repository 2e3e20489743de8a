import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import { createErrorFormatter } from './errors';
import { createGraphQLHandler, listen, type RunningHttpServer } from './http-server';
import { correlationIdOf, type HttpRoute } from './http-route';
import type { Logger } from './logger';
import type { AuditOptions } from './audit/audit-config';
import { auditPlugin } from './audit/audit-plugin';
import type { AuditRecorder } from './audit/audit-recorder';
import { applyFieldAccess } from './security/field-access';
import type { InternalCaller, InternalContextKey } from './security/internal-context';
import { authenticateSubgraphRequest, internalContextPlugin, internalContextVerifierFor, markEnforcing } from './security/subgraph-security';

/** What every subgraph resolver can rely on; services extend it with their per-request loaders. */
export interface RequestContext {
  logger: Logger;
  correlationId: string;
  /**
   * Records the personal-data fields this operation returns or changes (audit/). Put on every
   * operation's context by the audit plugin of createSubgraph, before any resolver runs.
   */
  audit?: AuditRecorder;
  /**
   * Who is calling, as the gateway's signed `x-simpul-context` says (security/). Always set when the
   * subgraph verifies the context (INTERNAL_CONTEXT_PUBLIC_KEY); undefined when it does not.
   */
  caller?: InternalCaller;
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
  /**
   * Where personal-data accesses are audited (startSubgraphService passes AUDIT_URL's, required in
   * production); `false` or none: not recorded (the audit service records in its own resolvers).
   */
  audit?: AuditOptions | false;
  /**
   * The gateway's public JWK (JSON or object) verifying `x-simpul-context` (startSubgraphService
   * passes INTERNAL_CONTEXT_PUBLIC_KEY, which defineServiceEnv requires in production). With a key, a request without a valid
   * context is refused with 401 before anything executes, and every field's `@access` is enforced.
   */
  internalContextPublicKey?: InternalContextKey;
}

export interface Subgraph<TContext extends RequestContext> {
  apollo: ApolloServer<TContext>;
  handler: ReturnType<typeof createGraphQLHandler<TContext>>;
}

export async function createSubgraph<TContext extends RequestContext>(
  definition: SubgraphDefinition<TContext>,
  ready?: () => Promise<void>,
): Promise<Subgraph<TContext>> {
  const audit = definition.audit === false ? undefined : definition.audit;
  const verifier = internalContextVerifierFor(definition.internalContextPublicKey, definition.name);
  const schema = applyFieldAccess(buildSubgraphSchema([{ typeDefs: definition.typeDefs, resolvers: definition.resolvers }]), { enforce: verifier !== undefined });
  const apollo = new ApolloServer<TContext>({
    schema,
    formatError: createErrorFormatter(definition.logger),
    includeStacktraceInErrorResponses: false,
    introspection: !definition.production,
    // Federated traces would go to Apollo's hosted Studio, which a government data centre does not use.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      auditPlugin<TContext>(definition.name, definition.logger, audit),
      ...(verifier ? [internalContextPlugin<TContext>(verifier, definition.logger)] : []),
    ],
    // runService owns shutdown; Apollo's own handler would re-raise the signal mid-way through it.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  if (verifier) markEnforcing(apollo);
  const handler = createGraphQLHandler<TContext>({
    server: apollo,
    // The one dependency every subgraph has; the broker and the audit log register their own checks.
    ready: ready && { database: ready },
    routes: definition.routes,
    context: async (req) => {
      const correlationId = correlationIdOf(req);
      // Refused here (401), before the operation is even parsed; internalContextPlugin is the second line.
      const caller = verifier ? await authenticateSubgraphRequest(verifier, req, definition.logger) : undefined;
      const context = await definition.createContext({ logger: definition.logger.child({ correlationId }), correlationId }, req);
      if (caller) context.caller = caller;
      return context;
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
