import type { ApolloServer, ApolloServerOptionsWithGateway, ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { HttpRoute, Logger } from '@simpul/service-kit';
import type { HardeningSettings } from './hardening-env';
import { operationLimitsPlugin } from './operation-limits';
import { BoundedQueryCache, loadPersistedQueryList, type PersistedQueryList } from './persisted-queries';
import { rateLimitRoute, TokenBucketLimiter, type PrincipalLookup, type RateLimiter } from './rate-limit';
import { redactedRedisUrl, RedisTokenBucketLimiter } from './redis-rate-limit';
import { guardGraphQLRequests } from './request-guard';
import { subscriptionRefusalPlugin } from './subscriptions';

export interface HardeningOptions {
  settings: HardeningSettings;
  /** Production mode (NODE_ENV=production or GATEWAY_PRODUCTION_MODE=true). */
  production: boolean;
  logger: Logger;
  /** Where the authentication route leaves the verified caller, for the rate limit's key. */
  principalOf?: PrincipalLookup;
  graphqlPath?: string;
}

type HardenedApolloOptions<TContext extends BaseContext> = Pick<
  ApolloServerOptionsWithGateway<TContext>,
  | 'allowBatchedHttpRequests'
  | 'csrfPrevention'
  | 'introspection'
  | 'hideSchemaDetailsFromClientErrors'
  | 'includeStacktraceInErrorResponses'
  | 'persistedQueries'
  | 'parseOptions'
  | 'maxRecursiveSelections'
>;

export interface Hardening<TContext extends BaseContext> {
  /** Spread into the ApolloServer constructor. */
  apolloOptions: HardenedApolloOptions<TContext>;
  /** Added to the ApolloServer plugins. */
  plugins: ApolloServerPlugin<TContext>[];
  /** HTTP routes to run right after authentication, before any other route and before GraphQL. */
  routes: HttpRoute[];
  /** The server to give the HTTP handler: batches and (in allow-list mode) unlisted operations refused first. */
  guard(server: ApolloServer<TContext>): ApolloServer<TContext>;
  allowList?: PersistedQueryList;
  limiter?: RateLimiter;
  /** Releases the rate limit's Redis connection; also run by Apollo Server's stop (a plugin). */
  stop(): Promise<void>;
}

/**
 * Everything the gateway does against abusive requests, whatever NODE_ENV says (see the README's
 * "Hardening" section). In request order: rate limit (route) → batch refusal and allow-list
 * (guard) → CSRF prevention (Apollo) → token limit while parsing → validation, with introspection
 * refused in production mode → operation limits (plugin) → query planning and subgraph calls.
 */
export function createHardening<TContext extends BaseContext>(options: HardeningOptions): Hardening<TContext> {
  const { settings, production, logger } = options;
  const pq = settings.persistedQueries;
  const allowList = pq.mode === 'allow-list' ? loadPersistedQueryList(pq.file) : undefined;
  const rateLimit = settings.rateLimit;
  let limiter: RateLimiter | undefined;
  if (rateLimit) {
    limiter = rateLimit.redis ? new RedisTokenBucketLimiter(rateLimit.redis, logger) : new TokenBucketLimiter();
  }
  const stop = async () => {
    await limiter?.close?.();
  };
  logger.info(
    {
      production,
      limits: settings.limits,
      maxTokens: settings.maxTokens,
      persistedQueries: pq.mode === 'allow-list' ? { mode: pq.mode, file: pq.file, operations: allowList?.byId.size } : pq,
      rateLimit: rateLimit
        ? {
            perUser: rateLimit.user,
            perClient: rateLimit.client,
            store: rateLimit.redis ? { ...rateLimit.redis, url: redactedRedisUrl(rateLimit.redis.url) } : 'memory',
          }
        : 'off',
    },
    'gateway hardening',
  );
  // createGateway's stop is Apollo Server's: its serverWillStop hook closes the Redis connection.
  const stopPlugin: ApolloServerPlugin<TContext> = {
    async serverWillStart() {
      return { serverWillStop: stop };
    },
  };
  return {
    apolloOptions: {
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      introspection: !production,
      hideSchemaDetailsFromClientErrors: production,
      includeStacktraceInErrorResponses: false,
      // Allow-list mode rewrites listed ids to their text in the guard; nothing may be registered.
      persistedQueries: pq.mode === 'apq' ? { cache: new BoundedQueryCache(pq.cacheBytes), ttl: null } : false,
      parseOptions: { maxTokens: settings.maxTokens },
      maxRecursiveSelections: true,
    },
    plugins: [subscriptionRefusalPlugin<TContext>(), operationLimitsPlugin<TContext>(settings.limits), ...(limiter?.close ? [stopPlugin] : [])],
    routes: limiter && rateLimit
      ? [rateLimitRoute({ limiter, policy: { user: rateLimit.user, client: rateLimit.client }, logger, ...(options.principalOf ? { principalOf: options.principalOf } : {}), ...(options.graphqlPath ? { graphqlPath: options.graphqlPath } : {}) })]
      : [],
    guard: (server) => guardGraphQLRequests(server, { logger, apq: pq.mode === 'apq', ...(allowList ? { allowList } : {}) }),
    ...(allowList ? { allowList } : {}),
    ...(limiter ? { limiter } : {}),
    stop,
  };
}
