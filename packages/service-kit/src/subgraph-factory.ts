import type { AuditOptions } from './audit/audit-config';
import type { Database } from './database';
import type { Logger } from './logger';
import type { InternalContextKey } from './security/internal-context';
import { createSubgraph, type RequestContext, type Subgraph, type SubgraphDefinition } from './subgraph-server';

/** What a service's `create<Name>Subgraph` is given: by `startSubgraphService`, or by a test with just `db` and `logger`. */
export interface SubgraphDeps<TSchema extends Record<string, unknown>> {
  db: Database<TSchema>;
  logger: Logger;
  /** Turns introspection off. */
  production?: boolean;
  /** The readiness check behind /readyz (the database ping). */
  ready?: () => Promise<void>;
  /** Auditing of personal-data accesses (startSubgraphService passes AUDIT_URL's); none: not recorded. */
  audit?: AuditOptions;
  /** The gateway's public JWK verifying `x-simpul-context` (startSubgraphService passes INTERNAL_CONTEXT_PUBLIC_KEY); none: not verified. */
  internalContextPublicKey?: InternalContextKey;
}

/** The request context of a subgraph whose resolvers read through per-request loaders. */
export type LoadersContext<TLoaders> = RequestContext & { loaders: TLoaders };

export interface LoadersSubgraphDefinition<TSchema extends Record<string, unknown>, TLoaders>
  extends Pick<SubgraphDefinition<LoadersContext<TLoaders>>, 'name' | 'typeDefs' | 'resolvers'> {
  /** Called once per request, so DataLoader batching and caching never outlive the request. */
  createLoaders: (db: Database<TSchema>) => TLoaders;
}

/**
 * A service's `create<Name>Subgraph(deps)`: its SDL and resolvers over its database, each request's
 * context carrying fresh loaders from `createLoaders(deps.db)`.
 */
export function subgraphFactory<TSchema extends Record<string, unknown>, TLoaders>(
  definition: LoadersSubgraphDefinition<TSchema, TLoaders>,
): (deps: SubgraphDeps<TSchema>) => Promise<Subgraph<LoadersContext<TLoaders>>> {
  return (deps) =>
    createSubgraph<LoadersContext<TLoaders>>(
      {
        name: definition.name,
        typeDefs: definition.typeDefs,
        resolvers: definition.resolvers,
        logger: deps.logger,
        production: deps.production,
        audit: deps.audit,
        internalContextPublicKey: deps.internalContextPublicKey,
        createContext: (base) => ({ ...base, loaders: definition.createLoaders(deps.db) }),
      },
      deps.ready,
    );
}
