import { join } from 'node:path';
import {
  GATEWAY_PORT,
  SUBGRAPHS,
  emptyAsUndefined,
  loadEnv,
  serviceEnvShape,
  subgraphTimeoutVariable,
  subgraphUrlVariable,
  type SubgraphName,
} from '@simpul/service-kit';
import { z } from 'zod';
import { oidcEnvShape, oidcSettingsOf, requireIssuerInProduction, requireIssuerInProductionParams } from '@simpul/service-kit';
import { internalContextEnvShape } from './subgraphs/internal-context-env';
import { DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES } from './subgraphs/subgraph-data-source';
import { hardeningEnvShape, hardeningSettingsFromEnv, isProductionMode, refineHardeningEnv, refineHardeningEnvParams } from './hardening/hardening-env';

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 5000;
/** gateway/{src,dist} → gateway/supergraph.graphql, written by `npm run compose`. */
export const DEFAULT_SUPERGRAPH_PATH = join(__dirname, '..', 'supergraph.graphql');

const timeoutMs = z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(600_000).optional());
const subgraphUrl = z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional());

const subgraphShape = Object.fromEntries(
  SUBGRAPHS.flatMap(({ name }) => [
    [subgraphUrlVariable(name), subgraphUrl],
    [subgraphTimeoutVariable(name), timeoutMs],
  ]),
) as Record<string, typeof subgraphUrl | typeof timeoutMs>;

export interface SubgraphSettings {
  /** Overrides the routing URL the supergraph was composed with. */
  url?: string;
  timeoutMs: number;
  /** Largest response body the gateway reads from it (SUBGRAPH_MAX_RESPONSE_BYTES). */
  maxResponseBytes?: number;
}

/**
 * Every subgraph's production env requires INTERNAL_CONTEXT_PUBLIC_KEY and refuses requests without
 * a signed context, so a production gateway without the private key could serve nothing.
 */
function requireInternalContextKeyInProduction(env: { NODE_ENV: string; INTERNAL_CONTEXT_PRIVATE_KEY?: string }, ctx: z.RefinementCtx): void {
  if (env.NODE_ENV === 'production' && !env.INTERNAL_CONTEXT_PRIVATE_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['INTERNAL_CONTEXT_PRIVATE_KEY'],
      message:
        'required when NODE_ENV=production: the private Ed25519 JWK signing x-simpul-context (generateInternalContextKeys() of @simpul/service-kit); the subgraphs get its public half',
    });
  }
}

/** Checked even when other variables are bad, so that every problem is listed at once. */
const requireInternalContextKeyInProductionParams = {
  when: (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((issue) => issue.path?.[0] === 'NODE_ENV' || issue.path?.[0] === 'INTERNAL_CONTEXT_PRIVATE_KEY'),
};

export const gatewayEnvSchema = z
  .object({
    NODE_ENV: serviceEnvShape.NODE_ENV,
    HOST: serviceEnvShape.HOST,
    PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(GATEWAY_PORT)),
    LOG_LEVEL: serviceEnvShape.LOG_LEVEL,
    SUPERGRAPH_PATH: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_SUPERGRAPH_PATH)),
    SUBGRAPH_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(600_000).default(DEFAULT_SUBGRAPH_TIMEOUT_MS)),
    /**
     * The audit service's base URL. Set, the gateway appends the read records of every request itself,
     * once for all subgraphs, before the response leaves (the subgraphs hand theirs back with their
     * responses); unset, each subgraph appends its own. Either way no personal data leaves unrecorded.
     */
    AUDIT_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
    AUDIT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(60_000).default(3000)),
    SUBGRAPH_MAX_RESPONSE_BYTES: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1024).max(1024 ** 3).default(DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES)),
    ...subgraphShape,
    ...oidcEnvShape,
    ...hardeningEnvShape,
    ...internalContextEnvShape,
  })
  .superRefine(requireIssuerInProduction, requireIssuerInProductionParams)
  .superRefine(refineHardeningEnv, refineHardeningEnvParams)
  .superRefine(requireInternalContextKeyInProduction, requireInternalContextKeyInProductionParams)
  .transform((env) => {
    const values = env as Record<string, unknown>;
    const subgraphs = Object.fromEntries(
      SUBGRAPHS.map(({ name }) => [
        name,
        {
          url: values[subgraphUrlVariable(name)] as string | undefined,
          timeoutMs: (values[subgraphTimeoutVariable(name)] as number | undefined) ?? env.SUBGRAPH_TIMEOUT_MS,
          maxResponseBytes: env.SUBGRAPH_MAX_RESPONSE_BYTES,
        },
      ]),
    ) as Record<SubgraphName, SubgraphSettings>;
    return {
      nodeEnv: env.NODE_ENV,
      /** Production mode: NODE_ENV=production or GATEWAY_PRODUCTION_MODE=true. */
      production: isProductionMode(env),
      host: env.HOST,
      port: env.PORT,
      logLevel: env.LOG_LEVEL,
      supergraphPath: env.SUPERGRAPH_PATH,
      /** Fetch timeout of a subgraph without its own SUBGRAPH_<NAME>_TIMEOUT_MS. */
      subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
      subgraphs,
      /** Signs the subgraph fetches' x-simpul-context (subgraphs/internal-context.ts); undefined: none sent. */
      internalContextPrivateKey: env.INTERNAL_CONTEXT_PRIVATE_KEY,
      /** The gateway appends each request's read records (AUDIT_URL); undefined: the subgraphs do. */
      audit: env.AUDIT_URL ? { url: env.AUDIT_URL, timeoutMs: env.AUDIT_TIMEOUT_MS } : undefined,
      /** Binding `application:<id>` purposes (subgraphs/application-purpose.ts). */
      purpose: { cacheTtlMs: env.PURPOSE_CACHE_TTL_MS, closedDays: env.PURPOSE_CLOSED_APPLICATION_DAYS },
      /** Undefined when OIDC_ISSUER_URL is unset: no token verification (refused in production). */
      oidc: oidcSettingsOf(env),
      /** Operation limits, persisted queries and rate limit (GATEWAY_*; see hardening/). */
      hardening: hardeningSettingsFromEnv(env, isProductionMode(env)),
    };
  });

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;

/** The gateway's configuration from the environment; lists every bad variable at once. */
export function loadGatewayEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  return loadEnv(gatewayEnvSchema, source);
}
