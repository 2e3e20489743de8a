import { EnvError } from '@simpul/service-kit';
import { createTestInternalContextKeys } from '@simpul/testing';
import { loadGatewayEnv } from '../env';
import { DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE, DEFAULT_HARDENING, DEFAULT_PRODUCTION_RATE_LIMIT_PER_MINUTE } from './hardening-env';

// NODE_ENV=production also needs an identity provider (security contract; its URL is not contacted
// here) and the key signing the subgraphs' internal context.
const PRODUCTION: NodeJS.ProcessEnv = { NODE_ENV: 'production', OIDC_ISSUER_URL: 'https://sso.example.go.id/realms/simpul' };
beforeAll(async () => {
  PRODUCTION.INTERNAL_CONTEXT_PRIVATE_KEY = (await createTestInternalContextKeys()).privateKey;
});

describe('gateway hardening env', () => {
  it('defaults to the documented limits, APQ and the generous development rate limits outside production mode', () => {
    const env = loadGatewayEnv({});
    expect(env.production).toBe(false);
    expect(env.hardening).toEqual(DEFAULT_HARDENING);
    expect(env.hardening.limits).toEqual({ maxDepth: 8, maxAliases: 15, maxRootFields: 10, maxCost: 5000, maxPageSize: 100, defaultListSize: 10 });
  });

  it('turns production mode on by NODE_ENV=production or GATEWAY_PRODUCTION_MODE=true', () => {
    expect(loadGatewayEnv(PRODUCTION).production).toBe(true);
    expect(loadGatewayEnv({ NODE_ENV: 'development', GATEWAY_PRODUCTION_MODE: 'true' }).production).toBe(true);
    expect(loadGatewayEnv({ NODE_ENV: 'test', GATEWAY_PRODUCTION_MODE: '1' }).production).toBe(true);
    expect(loadGatewayEnv({ GATEWAY_PRODUCTION_MODE: 'false' }).production).toBe(false);
  });

  it('rate-limits by default in every mode, per user and per client (10 times the user rate), 10 seconds of requests as burst', () => {
    expect(loadGatewayEnv({ GATEWAY_PRODUCTION_MODE: 'true' }).hardening.rateLimit).toEqual({
      user: { perMinute: DEFAULT_PRODUCTION_RATE_LIMIT_PER_MINUTE, burst: DEFAULT_PRODUCTION_RATE_LIMIT_PER_MINUTE / 6 },
      client: { perMinute: DEFAULT_PRODUCTION_RATE_LIMIT_PER_MINUTE * 10, burst: DEFAULT_PRODUCTION_RATE_LIMIT_PER_MINUTE * 10 / 6 },
    });
    for (const mode of [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }]) {
      expect(loadGatewayEnv(mode).hardening.rateLimit).toEqual({
        user: { perMinute: DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE, burst: DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE / 6 },
        client: { perMinute: DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE * 10, burst: DEFAULT_DEVELOPMENT_RATE_LIMIT_PER_MINUTE * 10 / 6 },
      });
    }
    expect(loadGatewayEnv({ GATEWAY_PRODUCTION_MODE: 'true', GATEWAY_RATE_LIMIT_PER_MINUTE: '0' }).hardening.rateLimit).toBeUndefined();
    expect(
      loadGatewayEnv({ GATEWAY_RATE_LIMIT_PER_MINUTE: '120', GATEWAY_RATE_LIMIT_BURST: '5', GATEWAY_RATE_LIMIT_CLIENT_PER_MINUTE: '3000', GATEWAY_RATE_LIMIT_CLIENT_BURST: '400' })
        .hardening.rateLimit,
    ).toEqual({ user: { perMinute: 120, burst: 5 }, client: { perMinute: 3000, burst: 400 } });
  });

  it('shares the rate limit through Redis when RATE_LIMIT_REDIS_URL is set, failing open by default', () => {
    expect(loadGatewayEnv({ GATEWAY_RATE_LIMIT_PER_MINUTE: '120', RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379' }).hardening.rateLimit).toEqual({
      user: { perMinute: 120, burst: 20 },
      client: { perMinute: 1200, burst: 200 },
      redis: { url: 'redis://127.0.0.1:6379', prefix: 'simpul:ratelimit:', failure: 'open', timeoutMs: 200 },
    });
    const configured = loadGatewayEnv({
      GATEWAY_PRODUCTION_MODE: 'true',
      RATE_LIMIT_REDIS_URL: 'rediss://:secret@redis.internal:6380/2',
      RATE_LIMIT_REDIS_PREFIX: 'kemendagri:rl:',
      RATE_LIMIT_REDIS_FAILURE: 'closed',
      RATE_LIMIT_REDIS_TIMEOUT_MS: '500',
    });
    expect(configured.hardening.rateLimit?.redis).toEqual({ url: 'rediss://:secret@redis.internal:6380/2', prefix: 'kemendagri:rl:', failure: 'closed', timeoutMs: 500 });
    // No rate limit, nothing to share; without the URL the buckets stay in memory.
    expect(loadGatewayEnv({ GATEWAY_RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379' }).hardening.rateLimit).toBeUndefined();
    expect(loadGatewayEnv({ GATEWAY_PRODUCTION_MODE: 'true', RATE_LIMIT_REDIS_URL: '' }).hardening.rateLimit?.redis).toBeUndefined();
  });

  it.each([
    ['RATE_LIMIT_REDIS_URL', 'http://127.0.0.1:6379'],
    ['RATE_LIMIT_REDIS_URL', '127.0.0.1:6379'],
    ['RATE_LIMIT_REDIS_PREFIX', 'two words'],
    ['RATE_LIMIT_REDIS_FAILURE', 'maybe'],
    ['RATE_LIMIT_REDIS_TIMEOUT_MS', '0'],
    ['RATE_LIMIT_REDIS_TIMEOUT_MS', 'fast'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => loadGatewayEnv({ GATEWAY_RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:6379', [variable]: value })).toThrow(variable);
  });

  it('reads every limit and the persisted-query mode', () => {
    const env = loadGatewayEnv({
      GATEWAY_MAX_DEPTH: '5',
      GATEWAY_MAX_ALIASES: '0',
      GATEWAY_MAX_ROOT_FIELDS: '3',
      GATEWAY_MAX_COST: '900',
      GATEWAY_MAX_PAGE_SIZE: '50',
      GATEWAY_DEFAULT_LIST_SIZE: '4',
      GATEWAY_MAX_TOKENS: '800',
      GATEWAY_PERSISTED_QUERIES: 'allow-list',
      GATEWAY_PERSISTED_QUERIES_FILE: '/etc/simpul/pq.json',
    });
    expect(env.hardening).toEqual({
      limits: { maxDepth: 5, maxAliases: 0, maxRootFields: 3, maxCost: 900, maxPageSize: 50, defaultListSize: 4 },
      maxTokens: 800,
      persistedQueries: { mode: 'allow-list', file: '/etc/simpul/pq.json' },
      rateLimit: DEFAULT_HARDENING.rateLimit,
    });
    expect(loadGatewayEnv({ GATEWAY_PERSISTED_QUERIES: 'off' }).hardening.persistedQueries).toEqual({ mode: 'off' });
    expect(loadGatewayEnv({ GATEWAY_APQ_CACHE_MB: '2' }).hardening.persistedQueries).toEqual({ mode: 'apq', cacheBytes: 2 * 1024 * 1024 });
  });

  it('lists every bad hardening variable at once', () => {
    let thrown: unknown;
    try {
      loadGatewayEnv({ GATEWAY_MAX_DEPTH: '0', GATEWAY_PRODUCTION_MODE: 'yes', GATEWAY_PERSISTED_QUERIES: 'allow-list', GATEWAY_RATE_LIMIT_PER_MINUTE: 'lots' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    const problems = (thrown as EnvError).problems.join('\n');
    for (const variable of ['GATEWAY_MAX_DEPTH', 'GATEWAY_PRODUCTION_MODE', 'GATEWAY_RATE_LIMIT_PER_MINUTE', 'GATEWAY_PERSISTED_QUERIES_FILE']) expect(problems).toContain(variable);
  });

  it('needs the list file in allow-list mode', () => {
    expect(() => loadGatewayEnv({ GATEWAY_PERSISTED_QUERIES: 'allow-list' })).toThrow('GATEWAY_PERSISTED_QUERIES_FILE');
  });
});
