import type { Logger } from '@simpul/service-kit';
import { Redis } from 'ioredis';
import { TokenBucketLimiter, type RateDecision, type RateLimiter, type RateLimitSettings, type RateStoreUnavailable } from './rate-limit';

export type RedisFailurePolicy = 'open' | 'closed';

export interface RedisRateLimitSettings {
  /** redis:// or rediss:// URL (RATE_LIMIT_REDIS_URL). */
  url: string;
  /** Put before every client key (RATE_LIMIT_REDIS_PREFIX). */
  prefix: string;
  /** What a request gets when Redis cannot decide in time (RATE_LIMIT_REDIS_FAILURE). */
  failure: RedisFailurePolicy;
  /** How long a request waits for Redis at most (RATE_LIMIT_REDIS_TIMEOUT_MS). */
  timeoutMs: number;
}

export const DEFAULT_RATE_LIMIT_REDIS_PREFIX = 'simpul:ratelimit:';
export const DEFAULT_RATE_LIMIT_REDIS_TIMEOUT_MS = 200;
/** Retry-After of a 503 RATE_LIMIT_UNAVAILABLE (closed policy); the client reconnects within ~2 s. */
export const RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * One token bucket, atomically: refill by the time elapsed on the Redis server's clock (so that
 * replicas with skewed clocks agree), take a token if there is one, and let the key expire once
 * an idle bucket would be full again anyway (so that an expired key and a kept one behave alike).
 * KEYS[1] the bucket; ARGV[1] burst; ARGV[2] tokens per minute.
 * Returns { 1 | 0 (allowed), ms until the next token (0 when allowed) }.
 */
export const TOKEN_BUCKET_LUA = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2]) / 60000
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
elseif now > at then
  tokens = math.min(burst, tokens + (now - at) * per_ms)
end
local allowed = 0
local retry_ms = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry_ms = math.ceil((1 - tokens) / per_ms)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_ms) + 1000)
return { allowed, retry_ms }
`;

type BucketRedis = Redis & { simpulTokenBucket(key: string, burst: number, perMinute: number): Promise<[number, number]> };

class RedisTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** Where an error of Redis may be logged without its password. */
export function redactedRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable)';
  }
}

/** The client's name in CLIENT LIST: which gateway deployment holds the connection. */
export function rateLimitConnectionName(prefix: string): string {
  return `simpul-gateway-rate-limit:${prefix}`;
}

/**
 * Token buckets in Redis, shared by every gateway replica pointing at it. A request never waits
 * longer than `timeoutMs` for Redis; when Redis cannot decide (down, reconnecting, slow), the
 * failure policy does: `open` counts the request in this process's own bucket instead, `closed`
 * refuses it (503 RATE_LIMIT_UNAVAILABLE). Either way the outage is logged once, and its end.
 */
export class RedisTokenBucketLimiter implements RateLimiter {
  readonly redis: BucketRedis;
  private readonly fallback: TokenBucketLimiter;
  private readonly logger: Logger;
  private outage = false;
  private closed = false;

  constructor(
    readonly settings: RateLimitSettings,
    readonly store: RedisRateLimitSettings,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'rate-limit', store: 'redis' });
    this.fallback = new TokenBucketLimiter(settings);
    this.redis = new Redis(store.url, {
      connectionName: rateLimitConnectionName(store.prefix),
      connectTimeout: Math.max(1000, store.timeoutMs),
      commandTimeout: store.timeoutMs,
      disconnectTimeout: store.timeoutMs,
      // A command caught by a dropped connection fails instead of being resent: its request has
      // been decided by the failure policy already.
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    }) as BucketRedis;
    this.redis.defineCommand('simpulTokenBucket', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
    // Without a listener ioredis prints every connection error; the outage is logged by take().
    this.redis.on('error', (error: unknown) => this.logger.debug({ err: error }, 'Redis connection error'));
  }

  async take(key: string): Promise<RateDecision | RateStoreUnavailable> {
    let answer: [number, number];
    try {
      answer = await this.ask(key);
    } catch (error) {
      return this.failed(key, error);
    }
    if (this.outage) {
      this.outage = false;
      this.logger.info({ url: redactedRedisUrl(this.store.url) }, 'Redis is back: rate limits are shared again');
    }
    const [allowed, retryMs] = answer;
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) };
  }

  private ask(key: string): Promise<[number, number]> {
    const status = this.redis.status;
    // Known to be down: fail now rather than queue the command and wait for the timeout.
    if (this.closed || status === 'reconnecting' || status === 'close' || status === 'end') {
      return Promise.reject(new Error(`Redis connection is ${this.closed ? 'closed' : status}`));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new RedisTimeoutError(this.store.timeoutMs)), this.store.timeoutMs);
    });
    return Promise.race([this.redis.simpulTokenBucket(this.store.prefix + key, this.settings.burst, this.settings.perMinute), timeout]).finally(() =>
      clearTimeout(timer),
    );
  }

  private failed(key: string, error: unknown): RateDecision | RateStoreUnavailable {
    if (!this.outage && !this.closed) {
      this.outage = true;
      this.logger.warn(
        { err: error, url: redactedRedisUrl(this.store.url), policy: this.store.failure },
        this.store.failure === 'open'
          ? 'Redis unavailable: rate limits are counted per gateway process until it is back (RATE_LIMIT_REDIS_FAILURE=open)'
          : 'Redis unavailable: requests to /graphql are refused with 503 until it is back (RATE_LIMIT_REDIS_FAILURE=closed)',
      );
    }
    if (this.store.failure === 'open') return this.fallback.take(key);
    return { allowed: false, unavailable: true, retryAfterSeconds: RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_SECONDS };
  }

  /** Closes the connection (waiting at most the timeout for Redis); a later request goes by the failure policy. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const redis = this.redis;
    // No live connection to wait for: this only cancels the reconnection.
    if (!['ready', 'connect', 'connecting'].includes(redis.status)) {
      redis.disconnect();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const ended = new Promise<void>((resolve) => {
      redis.once('end', resolve);
      timer = setTimeout(resolve, this.store.timeoutMs);
    });
    if (redis.status === 'ready') await redis.quit().catch(() => undefined);
    redis.disconnect();
    await ended.finally(() => clearTimeout(timer));
  }
}
