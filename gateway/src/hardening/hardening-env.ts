import { emptyAsUndefined } from '@simpul/service-kit';
import { z } from 'zod';
import type { OperationLimits } from './operation-limits';
import type { RateLimitPolicy, RateLimitSettings } from './rate-limit';
import { DEFAULT_RATE_LIMIT_REDIS_PREFIX, DEFAULT_RATE_LIMIT_REDIS_TIMEOUT_MS, type RedisRateLimitSettings } from './redis-rate-limit';

/**
 * Defaults of the operation limits. The deepest operation Simpul's own clients send (the CLI's
 * unified profile) is 4 levels deep, uses no alias, 1 root field and costs about 400.
 */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = {
  maxDepth: 8,
  maxAliases: 15,
  maxRootFields: 10,
  maxCost: 5000,
  maxPageSize: 100,
  defaultListSize: 10,
};
/** Parser limit (Apollo `parseOptions.maxTokens`): a bigger document is refused before it is parsed whole. */
export const DEFAULT_MAX_TOKENS = 5000;
export const DEFAULT_APQ_CACHE_MB = 8;
/** Requests per minute per user (or address) in production mode when GATEWAY_RATE_LIMIT_PER_MINUTE is unset. */
export const DEFAULT_PRODUCTION_RATE_LIMIT_PER_MINUTE = 600;
/** Outside production mode: generous (demos, tests, a developer's scripts), but on. */
export const DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE = 6000;
/** A client's (app's) ceiling over all its tokens, in per-user rates, when GATEWAY_RATE_LIMIT_CLIENT_PER_MINUTE is unset. */
export const DEFAULT_CLIENT_CEILING_FACTOR = 10;

export type PersistedQueriesMode = 'apq' | 'allow-list' | 'off';

export interface HardeningSettings {
  limits: OperationLimits;
  maxTokens: number;
  persistedQueries:
    | { mode: 'apq'; cacheBytes: number }
    | { mode: 'allow-list'; file: string }
    | { mode: 'off' };
  /** Undefined: no rate limit (only GATEWAY_RATE_LIMIT_PER_MINUTE=0). With `redis`, the buckets are shared by every replica using it. */
  rateLimit?: RateLimitPolicy & { redis?: RedisRateLimitSettings };
}

const count = (min: number, fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(1_000_000_000).default(fallback));
const flag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
);

/** The gateway's hardening variables, spread into its env object (see ../env.ts). */
export const hardeningEnvShape = {
  GATEWAY_PRODUCTION_MODE: flag,
  GATEWAY_MAX_DEPTH: count(1, DEFAULT_OPERATION_LIMITS.maxDepth),
  GATEWAY_MAX_ALIASES: count(0, DEFAULT_OPERATION_LIMITS.maxAliases),
  GATEWAY_MAX_ROOT_FIELDS: count(1, DEFAULT_OPERATION_LIMITS.maxRootFields),
  GATEWAY_MAX_COST: count(1, DEFAULT_OPERATION_LIMITS.maxCost),
  GATEWAY_MAX_PAGE_SIZE: count(1, DEFAULT_OPERATION_LIMITS.maxPageSize),
  GATEWAY_DEFAULT_LIST_SIZE: count(1, DEFAULT_OPERATION_LIMITS.defaultListSize),
  GATEWAY_MAX_TOKENS: count(100, DEFAULT_MAX_TOKENS),
  GATEWAY_PERSISTED_QUERIES: z.preprocess(emptyAsUndefined, z.enum(['apq', 'allow-list', 'off']).default('apq')),
  GATEWAY_PERSISTED_QUERIES_FILE: z.preprocess(emptyAsUndefined, z.string().optional()),
  GATEWAY_APQ_CACHE_MB: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1024).default(DEFAULT_APQ_CACHE_MB)),
  GATEWAY_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(1_000_000).optional()),
  GATEWAY_RATE_LIMIT_BURST: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(1_000_000).optional()),
  GATEWAY_RATE_LIMIT_CLIENT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100_000_000).optional()),
  GATEWAY_RATE_LIMIT_CLIENT_BURST: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100_000_000).optional()),
  RATE_LIMIT_REDIS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^rediss?$/, message: 'expected a redis:// or rediss:// URL' }).optional()),
  RATE_LIMIT_REDIS_PREFIX: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(200)
      .regex(/^[!-~]+$/, 'printable ASCII without spaces')
      .default(DEFAULT_RATE_LIMIT_REDIS_PREFIX),
  ),
  RATE_LIMIT_REDIS_FAILURE: z.preprocess(emptyAsUndefined, z.enum(['open', 'closed']).default('open')),
  RATE_LIMIT_REDIS_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).max(10_000).default(DEFAULT_RATE_LIMIT_REDIS_TIMEOUT_MS)),
};

export interface HardeningEnvValues {
  GATEWAY_MAX_DEPTH: number;
  GATEWAY_MAX_ALIASES: number;
  GATEWAY_MAX_ROOT_FIELDS: number;
  GATEWAY_MAX_COST: number;
  GATEWAY_MAX_PAGE_SIZE: number;
  GATEWAY_DEFAULT_LIST_SIZE: number;
  GATEWAY_MAX_TOKENS: number;
  GATEWAY_PERSISTED_QUERIES: PersistedQueriesMode;
  GATEWAY_PERSISTED_QUERIES_FILE?: string;
  GATEWAY_APQ_CACHE_MB: number;
  GATEWAY_RATE_LIMIT_PER_MINUTE?: number;
  GATEWAY_RATE_LIMIT_BURST?: number;
  GATEWAY_RATE_LIMIT_CLIENT_PER_MINUTE?: number;
  GATEWAY_RATE_LIMIT_CLIENT_BURST?: number;
  RATE_LIMIT_REDIS_URL?: string;
  RATE_LIMIT_REDIS_PREFIX: string;
  RATE_LIMIT_REDIS_FAILURE: RedisRateLimitSettings['failure'];
  RATE_LIMIT_REDIS_TIMEOUT_MS: number;
}

/** Cross-variable rules, for `.superRefine` on the env object. */
export function refineHardeningEnv(env: Partial<HardeningEnvValues>, ctx: z.RefinementCtx): void {
  if (env.GATEWAY_PERSISTED_QUERIES === 'allow-list' && !env.GATEWAY_PERSISTED_QUERIES_FILE) {
    ctx.addIssue({
      code: 'custom',
      path: ['GATEWAY_PERSISTED_QUERIES_FILE'],
      message: 'GATEWAY_PERSISTED_QUERIES=allow-list needs the list: set GATEWAY_PERSISTED_QUERIES_FILE to its JSON manifest',
    });
  }
}

/** Run refineHardeningEnv even when other variables are bad, so that every problem is listed at once. */
export const refineHardeningEnvParams = {
  when: (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((issue) => issue.path?.[0] === 'GATEWAY_PERSISTED_QUERIES' || issue.path?.[0] === 'GATEWAY_PERSISTED_QUERIES_FILE'),
};

/** Production mode: NODE_ENV=production or GATEWAY_PRODUCTION_MODE=true. */
export function isProductionMode(env: { NODE_ENV: string; GATEWAY_PRODUCTION_MODE: boolean }): boolean {
  return env.NODE_ENV === 'production' || env.GATEWAY_PRODUCTION_MODE;
}

/** A bucket's burst defaults to 10 seconds' worth. */
function rateOf(perMinute: number, burst: number | undefined): RateLimitSettings {
  return { perMinute, burst: burst ?? Math.max(1, Math.ceil(perMinute / 6)) };
}

export function hardeningSettingsFromEnv(env: HardeningEnvValues, production: boolean): HardeningSettings {
  const perMinute = env.GATEWAY_RATE_LIMIT_PER_MINUTE ?? (production ? DEFAULT_PRODUCTION_RATE_LIMIT_PER_MINUTE : DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE);
  const clientPerMinute = env.GATEWAY_RATE_LIMIT_CLIENT_PER_MINUTE ?? perMinute * DEFAULT_CLIENT_CEILING_FACTOR;
  const redis: RedisRateLimitSettings | undefined = env.RATE_LIMIT_REDIS_URL
    ? { url: env.RATE_LIMIT_REDIS_URL, prefix: env.RATE_LIMIT_REDIS_PREFIX, failure: env.RATE_LIMIT_REDIS_FAILURE, timeoutMs: env.RATE_LIMIT_REDIS_TIMEOUT_MS }
    : undefined;
  const persistedQueries: HardeningSettings['persistedQueries'] =
    env.GATEWAY_PERSISTED_QUERIES === 'allow-list'
      ? { mode: 'allow-list', file: env.GATEWAY_PERSISTED_QUERIES_FILE ?? '' }
      : env.GATEWAY_PERSISTED_QUERIES === 'off'
        ? { mode: 'off' }
        : { mode: 'apq', cacheBytes: env.GATEWAY_APQ_CACHE_MB * 1024 * 1024 };
  return {
    limits: {
      maxDepth: env.GATEWAY_MAX_DEPTH,
      maxAliases: env.GATEWAY_MAX_ALIASES,
      maxRootFields: env.GATEWAY_MAX_ROOT_FIELDS,
      maxCost: env.GATEWAY_MAX_COST,
      maxPageSize: env.GATEWAY_MAX_PAGE_SIZE,
      defaultListSize: env.GATEWAY_DEFAULT_LIST_SIZE,
    },
    maxTokens: env.GATEWAY_MAX_TOKENS,
    persistedQueries,
    ...(perMinute > 0
      ? {
          rateLimit: {
            user: rateOf(perMinute, env.GATEWAY_RATE_LIMIT_BURST),
            client: rateOf(clientPerMinute, env.GATEWAY_RATE_LIMIT_CLIENT_BURST),
            ...(redis ? { redis } : {}),
          },
        }
      : {}),
  };
}

/** What a gateway built without env (tests, createGateway callers) gets: the development defaults, APQ on, rate limits in memory. */
export const DEFAULT_HARDENING: HardeningSettings = {
  limits: DEFAULT_OPERATION_LIMITS,
  maxTokens: DEFAULT_MAX_TOKENS,
  persistedQueries: { mode: 'apq', cacheBytes: DEFAULT_APQ_CACHE_MB * 1024 * 1024 },
  rateLimit: {
    user: rateOf(DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE, undefined),
    client: rateOf(DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE * DEFAULT_CLIENT_CEILING_FACTOR, undefined),
  },
};
