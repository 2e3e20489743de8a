import type { IncomingMessage, ServerResponse } from 'node:http';
import { correlationIdOf, type HttpRoute, type Logger } from '@simpul/service-kit';
import { CORRELATION_ID_HEADER } from '../subgraphs/subgraph-data-source';

export interface RateLimitSettings {
  /** Tokens added to each client's bucket per minute. */
  perMinute: number;
  /** Bucket capacity: how many requests a client that has been idle may send at once. */
  burst: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };
/** A shared store could not decide and its failure policy is `closed`: answered 503, not 429. */
export interface RateStoreUnavailable {
  allowed: false;
  unavailable: true;
  retryAfterSeconds: number;
}

/** Counts requests per client key: in this process (TokenBucketLimiter) or in Redis (./redis-rate-limit). */
export interface RateLimiter {
  readonly settings: RateLimitSettings;
  take(key: string): RateDecision | RateStoreUnavailable | Promise<RateDecision | RateStoreUnavailable>;
  /** Releases what the limiter holds (a Redis connection); called when the gateway stops. */
  close?(): Promise<void>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Clients tracked at once; the least recently seen is forgotten (it starts again with a full bucket). */
export const MAX_TRACKED_CLIENTS = 50_000;

/** One token bucket per client key, in this process's memory. `now` is injectable for tests. */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly tokensPerMs: number;

  constructor(
    readonly settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
    private readonly maxClients = MAX_TRACKED_CLIENTS,
  ) {
    this.tokensPerMs = settings.perMinute / 60_000;
  }

  take(key: string): RateDecision {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.settings.burst, updatedAt: now };
    bucket.tokens = Math.min(this.settings.burst, bucket.tokens + (now - bucket.updatedAt) * this.tokensPerMs);
    bucket.updatedAt = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value as string);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.tokensPerMs / 1000)) };
  }
}

/** The verified caller, as the authentication route leaves it on the request (see ../auth). */
export type PrincipalLookup = (req: IncomingMessage) => { client: string } | undefined;

/**
 * The `azp` claim of a bearer token, read WITHOUT verifying the token. Only a fallback key for
 * stacks that run without token verification (OIDC_ISSUER_URL unset): anyone can forge it, so it
 * must never decide anything but which bucket a request is counted in.
 */
export function unverifiedAzpOf(authorization: string | undefined): string | undefined {
  const token = /^Bearer +([A-Za-z0-9\-_]+)\.([A-Za-z0-9\-_]+)\.[A-Za-z0-9\-_]*$/i.exec(authorization?.trim() ?? '');
  if (!token) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(token[2]!, 'base64url').toString('utf8'));
    const azp = (claims as { azp?: unknown } | null)?.azp;
    return typeof azp === 'string' && azp !== '' && azp.length <= 256 ? azp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which bucket a request is counted in: the verified client (Principal.client, the token's `azp`)
 * when authentication ran; otherwise the unverified `azp` of a bearer token; otherwise the remote
 * address. The three are prefixed so that they can never collide.
 */
export function rateLimitKeyOf(req: IncomingMessage, principalOf?: PrincipalLookup): string {
  const principal = principalOf?.(req);
  if (principal) return `client:${principal.client}`;
  const azp = unverifiedAzpOf(req.headers.authorization);
  if (azp) return `unverified-client:${azp}`;
  return `address:${req.socket.remoteAddress ?? 'unknown'}`;
}

export interface RateLimitRouteOptions {
  limiter: RateLimiter;
  principalOf?: PrincipalLookup;
  logger: Logger;
  graphqlPath?: string;
}

/**
 * Per-client rate limit on the GraphQL endpoint, as an HTTP route: it runs after authentication and
 * before the body is read, parsed or validated. A client over its rate gets 429 `RATE_LIMITED`
 * with `Retry-After` (seconds); other clients are unaffected. When a shared store cannot decide and
 * its policy is `closed`, the request gets 503 `RATE_LIMIT_UNAVAILABLE` with `Retry-After`.
 */
export function rateLimitRoute(options: RateLimitRouteOptions): HttpRoute {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const logger = options.logger.child({ component: 'rate-limit' });
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== graphqlPath) return false;
    const key = rateLimitKeyOf(req, options.principalOf);
    const decision = await options.limiter.take(key);
    if (decision.allowed) return false;
    const correlationId = correlationIdOf(req);
    const retryAfterSeconds = decision.retryAfterSeconds;
    const unavailable = 'unavailable' in decision;
    logger.debug({ correlationId, key, retryAfterSeconds }, unavailable ? 'request refused: rate-limit store unavailable' : 'request refused: rate limited');
    res.writeHead(unavailable ? 503 : 429, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(retryAfterSeconds),
      [CORRELATION_ID_HEADER]: correlationId,
    });
    const error = unavailable
      ? { message: `The rate limit cannot be checked right now; retry in ${retryAfterSeconds} s`, code: 'RATE_LIMIT_UNAVAILABLE' }
      : { message: `Too many requests: at most ${options.limiter.settings.perMinute} per minute per client; retry in ${retryAfterSeconds} s`, code: 'RATE_LIMITED' };
    res.end(JSON.stringify({ errors: [{ message: error.message, extensions: { code: error.code, retryAfterSeconds } }] }));
    req.resume();
    return true;
  };
}
