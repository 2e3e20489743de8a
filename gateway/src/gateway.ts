import type { IncomingMessage } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  correlationIdOf,
  createErrorFormatter,
  createGraphQLHandler,
  createInternalContextSigner,
  DEFAULT_CLOSED_APPLICATION_PURPOSE_DAYS,
  type InternalContextKey,
  type Logger,
} from '@simpul/service-kit';
import { principalOf, type GatewayAuth } from './auth/gateway-auth';
import type { GatewayContext } from './context';
import type { SubgraphSettings } from './env';
import { createHardening, DEFAULT_HARDENING, type HardeningSettings } from './hardening';
import { applicationEventsProxyRoute } from './live/application-events-proxy';
import { taskStatusProxyRoute } from './participants/task-status-proxy';
import { SUBGRAPH_ERROR_CODES } from './subgraphs/failed-fetch-errors';
import { createApplicationPurposeResolver, type ApplicationPurposeSettings } from './subgraphs/application-purpose';
import { requestAuditPlugin, type RequestAuditSettings } from './audit/request-audit';
import { requestMetricsPlugin } from './observability/request-metrics';
import { purposeOf, purposeRoute } from './subgraphs/internal-context';
import { CORRELATION_ID_HEADER, SubgraphDataSource } from './subgraphs/subgraph-data-source';

export interface GatewayOptions {
  /** The composed supergraph (gateway/supergraph.graphql); the gateway never introspects subgraphs. */
  supergraphSdl: string;
  /** Per-subgraph URL override and fetch timeout, by subgraph name as in the supergraph. */
  subgraphs: Partial<Record<string, Partial<SubgraphSettings>>>;
  defaultTimeoutMs: number;
  logger: Logger;
  production?: boolean;
  /** Operation limits, persisted queries and rate limit; DEFAULT_HARDENING when omitted. */
  hardening?: HardeningSettings;
  /** Bearer-token verification (OIDC_ISSUER_URL); without it requests are not authenticated. */
  auth?: GatewayAuth;
  /**
   * The private Ed25519 JWK (INTERNAL_CONTEXT_PRIVATE_KEY) signing every subgraph fetch's
   * `x-simpul-context` (subgraphs/internal-context.ts); without it none is sent.
   */
  internalContextPrivateKey?: InternalContextKey;
  /** Purpose binding of `application:<id>` (with the private key): cache and closed-application window. */
  purpose?: ApplicationPurposeSettings;
  /**
   * AUDIT_URL: the gateway appends each request's read records itself, once for all subgraphs
   * (audit/request-audit.ts); without it (or without a signing key) each subgraph appends its own.
   */
  audit?: RequestAuditSettings;
}

/** PURPOSE_CACHE_TTL_MS and PURPOSE_CLOSED_APPLICATION_DAYS when unset. */
export const DEFAULT_PURPOSE_SETTINGS: ApplicationPurposeSettings = { cacheTtlMs: 5000, closedDays: DEFAULT_CLOSED_APPLICATION_PURPOSE_DAYS };

/**
 * The subgraph whose origin also serves the live status streams (`/applications/<id>/events`) and
 * the webhook participants' status reports (`/participants/<code>/task-status`).
 */
export const APPLICATIONS_SUBGRAPH = 'applications';

export interface Gateway {
  apollo: ApolloServer<GatewayContext>;
  handler: ReturnType<typeof createGraphQLHandler<GatewayContext>>;
  /** The data source built for each subgraph of the supergraph, by name. */
  dataSources: ReadonlyMap<string, SubgraphDataSource>;
  stop(): Promise<void>;
}

/** Returns the request's correlation id to the caller, whatever the outcome of the operation. */
const correlationIdPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart({ contextValue }) {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set(CORRELATION_ID_HEADER, contextValue.correlationId);
      },
    };
  },
};

/** Apollo Server over @apollo/gateway, loaded from a static supergraph, with its HTTP handler. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { logger } = options;
  const dataSources = new Map<string, SubgraphDataSource>();
  const signer = options.internalContextPrivateKey ? createInternalContextSigner(options.internalContextPrivateKey) : undefined;
  const purposes =
    signer &&
    createApplicationPurposeResolver({
      ...(options.purpose ?? DEFAULT_PURPOSE_SETTINGS),
      applicationsUrl: () => dataSources.get(APPLICATIONS_SUBGRAPH)?.url,
      signer,
      timeoutMs: options.subgraphs[APPLICATIONS_SUBGRAPH]?.timeoutMs ?? options.defaultTimeoutMs,
      logger,
    });
  // The gateway appends reads itself only when it signs contexts: a subgraph hands records back only to a context that says so.
  const requestAudit = options.audit && signer ? requestAuditPlugin({ settings: options.audit, signer, logger }) : undefined;
  if (options.audit && !signer) logger.warn('AUDIT_URL is set but INTERNAL_CONTEXT_PRIVATE_KEY is not: the subgraphs append their own records');
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: logger.child({ component: 'apollo-gateway' }),
    buildService: ({ name, url }) => {
      const settings = options.subgraphs[name];
      const target = settings?.url ?? url;
      if (!target) throw new Error(`subgraph "${name}" has no URL in the supergraph and none was configured`);
      const dataSource = new SubgraphDataSource({
        name,
        url: target,
        timeoutMs: settings?.timeoutMs ?? options.defaultTimeoutMs,
        ...(settings?.maxResponseBytes ? { maxResponseBytes: settings.maxResponseBytes } : {}),
        logger,
        signer,
        purposes,
        auditedByGateway: requestAudit !== undefined,
      });
      dataSources.set(name, dataSource);
      return dataSource;
    },
  });

  const hardening = createHardening<GatewayContext>({
    settings: options.hardening ?? DEFAULT_HARDENING,
    production: options.production ?? false,
    logger,
    principalOf,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    formatError: createErrorFormatter(logger, { exposeCodes: SUBGRAPH_ERROR_CODES }),
    // Introspection and error detail by production mode, CSRF, batching, persisted queries, parser limit.
    ...hardening.apolloOptions,
    plugins: [ApolloServerPluginLandingPageDisabled(), correlationIdPlugin, requestMetricsPlugin<GatewayContext>(), ...(requestAudit ? [requestAudit] : []), ...hardening.plugins],
    // runService owns shutdown; Apollo's own handler would re-raise the signal mid-way through it.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  let loaded = true;
  logger.info(
    { subgraphs: [...dataSources.values()].map((s) => ({ name: s.serviceName, url: s.url, timeoutMs: s.timeoutMs })) },
    'supergraph loaded',
  );

  const applications = dataSources.get(APPLICATIONS_SUBGRAPH);
  const handler = createGraphQLHandler<GatewayContext>({
    server: hardening.guard(apollo),
    routes: [
      // First: an unauthenticated request reaches no other route, no planning and no subgraph.
      ...(options.auth ? [options.auth.route] : []),
      // Then a malformed x-simpul-purpose is a 400 (a well-formed one is kept for the request), and a client's own x-simpul-context is dropped.
      purposeRoute(),
      // Then the per-client rate limit, keyed on the principal, before the body is even read.
      ...hardening.routes,
      ...(applications
        ? [
            applicationEventsProxyRoute({ applicationsUrl: applications.url, connectTimeoutMs: applications.timeoutMs, logger, signer, purposes }),
            taskStatusProxyRoute({ applicationsUrl: applications.url, timeoutMs: applications.timeoutMs, logger }),
          ]
        : []),
    ],
    ready: {
      supergraph: async () => {
        if (!loaded) throw new Error('gateway is not serving');
      },
      ...(options.auth ? { 'idp-keys': () => options.auth!.ready() } : {}),
    },
    context: (req: IncomingMessage) => {
      const correlationId = correlationIdOf(req);
      return { correlationId, logger: logger.child({ correlationId }), principal: principalOf(req), purpose: purposeOf(req) };
    },
  });

  return {
    apollo,
    handler,
    dataSources,
    async stop() {
      loaded = false;
      await apollo.stop();
    },
  };
}
