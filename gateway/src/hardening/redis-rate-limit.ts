import type { Logger } from '@simpul/service-kit';
import { Redis } from 'ioredis';
import { TokenBucketLimiter, type RateBucket, type RateDecision, type RateLimiter, type RateStoreUnavailable } from './rate-limit';

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
 * The buckets of one request, atomically: refill each by the time elapsed on the Redis server's
 * clock (so that replicas with skewed clocks agree), take a token from every one only if every one
 * has a token, and let each key expire once an idle bucket would be full again anyway (so that an
 * expired key and a kept one behave alike).
 * KEYS[i] a bucket; ARGV[2i-1] its burst; ARGV[2i] its tokens per minute.
 * Returns { 1 | 0 (allowed), ms until the refusing bucket's next token (0 when allowed), index
 * (1-based) of the refusing bucket (0 when allowed) }.
 */
export const TOKEN_BUCKET_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local tokens = {}
local refused = 0
local retry_ms = 0
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[2 * i - 1])
  local per_ms = tonumber(ARGV[2 * i]) / 60000
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local t = tonumber(state[1])
  local at = tonumber(state[2])
  if t == nil or at == nil then
    t = burst
  elseif now > at then
    t = math.min(burst, t + (now - at) * per_ms)
  end
  tokens[i] = t
  if t < 1 and refused == 0 then
    refused = i
    retry_ms = math.ceil((1 - t) / per_ms)
  end
end
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[2 * i - 1])
  local per_ms = tonumber(ARGV[2 * i]) / 60000
  local t = tokens[i]
  if refused == 0 then t = t - 1 end
  redis.call('HSET', key, 'tokens', tostring(t), 'at', tostring(now))
  redis.call('PEXPIRE', key, math.ceil(burst / per_ms) + 1000)
end
if refused == 0 then return { 1, 0, 0 } end
return { 0, retry_ms, refused }
`;

type BucketRedis = Redis & { simpulTokenBuckets(numberOfKeys: number, ...keysThenArgs: (string | number)[]): Promise<[number, number, number]> };

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
    readonly store: RedisRateLimitSettings,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'rate-limit', store: 'redis' });
    this.fallback = new TokenBucketLimiter();
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
    // The number of keys varies (one or two buckets a request): it is the command's first argument.
    this.redis.defineCommand('simpulTokenBuckets', { lua: TOKEN_BUCKET_LUA });
    // Without a listener ioredis prints every connection error; the outage is logged by take().
    this.redis.on('error', (error: unknown) => this.logger.debug({ err: error }, 'Redis connection error'));
  }

  async take(buckets: readonly RateBucket[]): Promise<RateDecision | RateStoreUnavailable> {
    let answer: [number, number, number];
    try {
      answer = await this.ask(buckets);
    } catch (error) {
      return this.failed(buckets, error);
    }
    if (this.outage) {
      this.outage = false;
      this.logger.info({ url: redactedRedisUrl(this.store.url) }, 'Redis is back: rate limits are shared again');
    }
    const [allowed, retryMs, refusedIndex] = answer;
    if (allowed === 1) return { allowed: true };
    const refusing = buckets[refusedIndex - 1] ?? buckets[0]!;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)), scope: refusing.scope, perMinute: refusing.settings.perMinute };
  }

  private ask(buckets: readonly RateBucket[]): Promise<[number, number, number]> {
    const status = this.redis.status;
    // Known to be down: fail now rather than queue the command and wait for the timeout.
    if (this.closed || status === 'reconnecting' || status === 'close' || status === 'end') {
      return Promise.reject(new Error(`Redis connection is ${this.closed ? 'closed' : status}`));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new RedisTimeoutError(this.store.timeoutMs)), this.store.timeoutMs);
    });
    const keys = buckets.map((bucket) => this.store.prefix + bucket.key);
    const args = buckets.flatMap((bucket) => [bucket.settings.burst, bucket.settings.perMinute]);
    return Promise.race([this.redis.simpulTokenBuckets(keys.length, ...keys, ...args), timeout]).finally(() => clearTimeout(timer));
  }

  private failed(buckets: readonly RateBucket[], error: unknown): RateDecision | RateStoreUnavailable {
    if (!this.outage && !this.closed) {
      this.outage = true;
      this.logger.warn(
        { err: error, url: redactedRedisUrl(this.store.url), policy: this.store.failure },
        this.store.failure === 'open'
          ? 'Redis unavailable: rate limits are counted per gateway process until it is back (RATE_LIMIT_REDIS_FAILURE=open)'
          : 'Redis unavailable: requests to /graphql are refused with 503 until it is back (RATE_LIMIT_REDIS_FAILURE=closed)',
      );
    }
    if (this.store.failure === 'open') return this.fallback.take(buckets);
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
