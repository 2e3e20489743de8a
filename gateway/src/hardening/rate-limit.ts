import type { IncomingMessage, ServerResponse } from 'node:http';
import { correlationIdOf, rateLimitRefusals, requestUrl, SERVICE_ACCOUNT_PREFIX, type HttpRoute, type Logger, type Principal } from '@simpul/service-kit';
import { CORRELATION_ID_HEADER } from '../subgraphs/subgraph-data-source';

export interface RateLimitSettings {
  /** Tokens added to each client's bucket per minute. */
  perMinute: number;
  /** Bucket capacity: how many requests a client that has been idle may send at once. */
  burst: number;
}

/** Whose bucket: a person (user token's subject), an app (client token's, or every token's, client), an address. */
export type RateScope = 'user' | 'client' | 'address';

/**
 * One bucket a request is counted in. A request is let through only when every one of its buckets
 * has a token, and then takes one from each.
 */
export interface RateBucket {
  key: string;
  scope: RateScope;
  settings: RateLimitSettings;
}

/** The two ceilings: per person (and per address), and per client (app) over all its tokens. */
export interface RateLimitPolicy {
  user: RateLimitSettings;
  client: RateLimitSettings;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: RateScope; perMinute: number };
/** A shared store could not decide and its failure policy is `closed`: answered 503, not 429. */
export interface RateStoreUnavailable {
  allowed: false;
  unavailable: true;
  retryAfterSeconds: number;
}

/** Counts requests per bucket: in this process (TokenBucketLimiter) or in Redis (./redis-rate-limit). */
export interface RateLimiter {
  take(buckets: readonly RateBucket[]): RateDecision | RateStoreUnavailable | Promise<RateDecision | RateStoreUnavailable>;
  /** Releases what the limiter holds (a Redis connection); called when the gateway stops. */
  close?(): Promise<void>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Clients tracked at once; the least recently seen is forgotten (it starts again with a full bucket). */
export const MAX_TRACKED_CLIENTS = 50_000;

/** Token buckets by key, in this process's memory. `now` is injectable for tests. */
export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxBuckets = MAX_TRACKED_CLIENTS,
  ) {}

  take(requested: readonly RateBucket[]): RateDecision {
    const now = this.now();
    const current = requested.map((wanted) => {
      const tokensPerMs = wanted.settings.perMinute / 60_000;
      const bucket = this.buckets.get(wanted.key) ?? { tokens: wanted.settings.burst, updatedAt: now };
      bucket.tokens = Math.min(wanted.settings.burst, bucket.tokens + (now - bucket.updatedAt) * tokensPerMs);
      bucket.updatedAt = now;
      this.buckets.delete(wanted.key);
      this.buckets.set(wanted.key, bucket);
      return { wanted, bucket, tokensPerMs };
    });
    while (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value as string);
    const empty = current.find(({ bucket }) => bucket.tokens < 1);
    if (!empty) {
      for (const { bucket } of current) bucket.tokens -= 1;
      return { allowed: true };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((1 - empty.bucket.tokens) / empty.tokensPerMs / 1000)),
      scope: empty.wanted.scope,
      perMinute: empty.wanted.settings.perMinute,
    };
  }
}

/** The verified caller, as the authentication route leaves it on the request (see ../auth). */
export type PrincipalLookup = (req: IncomingMessage) => Pick<Principal, 'subject' | 'client' | 'actorType'> | undefined;

/**
 * The caller a bearer token names, read WITHOUT verifying the token. Only a fallback for stacks
 * that run without token verification (OIDC_ISSUER_URL unset): anyone can forge it, so it must never
 * decide anything but which buckets a request is counted in. A client's token is told from a user's
 * as principalFromClaims does (`preferred_username` is `service-account-<azp>`).
 */
export function unverifiedCallerOf(authorization: string | undefined): Pick<Principal, 'subject' | 'client' | 'actorType'> | undefined {
  const token = /^Bearer +([A-Za-z0-9\-_]+)\.([A-Za-z0-9\-_]+)\.[A-Za-z0-9\-_]*$/i.exec(authorization?.trim() ?? '');
  if (!token) return undefined;
  let claims: { azp?: unknown; sub?: unknown; preferred_username?: unknown } | null;
  try {
    claims = JSON.parse(Buffer.from(token[2]!, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return undefined;
  }
  const claim = (value: unknown) => (typeof value === 'string' && value !== '' && value.length <= 256 ? value : undefined);
  const client = claim(claims?.azp);
  if (!client) return undefined;
  const subject = claim(claims?.sub) ?? client;
  const serviceAccount = claim(claims?.preferred_username)?.toLowerCase() === `${SERVICE_ACCOUNT_PREFIX}${client.toLowerCase()}`;
  return { subject, client, actorType: serviceAccount ? 'client' : 'user' };
}

/**
 * The buckets a request is counted in. A user's token: the person's own bucket (`user:<sub>`, so
 * that one citizen flooding through the console cannot lock out the officers using the same app)
 * and the app's ceiling (`client:<azp>`, all tokens of that client together). A client's own token
 * (client credentials): the client's bucket. The verified principal decides; without token
 * verification the unverified token does (keys prefixed `unverified-`); without a token, the
 * remote address. The prefixes keep the kinds from ever colliding.
 */
export function rateLimitBucketsOf(req: IncomingMessage, policy: RateLimitPolicy, principalOf?: PrincipalLookup): RateBucket[] {
  const verified = principalOf?.(req);
  const caller = verified ?? unverifiedCallerOf(req.headers.authorization);
  if (!caller) return [{ key: `address:${req.socket.remoteAddress ?? 'unknown'}`, scope: 'address', settings: policy.user }];
  const prefix = verified ? '' : 'unverified-';
  const client: RateBucket = { key: `${prefix}client:${caller.client}`, scope: 'client', settings: policy.client };
  if (caller.actorType === 'client') return [client];
  return [{ key: `${prefix}user:${caller.subject}`, scope: 'user', settings: policy.user }, client];
}

const SCOPE_NAMES: Record<RateScope, string> = { user: 'user', client: 'client application', address: 'address' };

export interface RateLimitRouteOptions {
  limiter: RateLimiter;
  policy: RateLimitPolicy;
  principalOf?: PrincipalLookup;
  logger: Logger;
  graphqlPath?: string;
}

/**
 * Per-user and per-client rate limits on the GraphQL endpoint, as an HTTP route: it runs after
 * authentication and before the body is read, parsed or validated. A caller over a rate gets 429
 * `RATE_LIMITED` with `Retry-After` (seconds) and the `scope` of the bucket that was empty; other
 * users, and other clients, are unaffected. When a shared store cannot decide and
 * its policy is `closed`, the request gets 503 `RATE_LIMIT_UNAVAILABLE` with `Retry-After`.
 */
export function rateLimitRoute(options: RateLimitRouteOptions): HttpRoute {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const logger = options.logger.child({ component: 'rate-limit' });
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (requestUrl(req).pathname !== graphqlPath) return false;
    const buckets = rateLimitBucketsOf(req, options.policy, options.principalOf);
    const decision = await options.limiter.take(buckets);
    if (decision.allowed) return false;
    const correlationId = correlationIdOf(req);
    const retryAfterSeconds = decision.retryAfterSeconds;
    const unavailable = 'unavailable' in decision;
    logger.debug({ correlationId, keys: buckets.map((bucket) => bucket.key), retryAfterSeconds }, unavailable ? 'request refused: rate-limit store unavailable' : 'request refused: rate limited');
    rateLimitRefusals.inc({ reason: unavailable ? 'store_unavailable' : 'rate_limited' });
    res.writeHead(unavailable ? 503 : 429, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'retry-after': String(retryAfterSeconds),
      [CORRELATION_ID_HEADER]: correlationId,
    });
    const error = unavailable
      ? { message: `The rate limit cannot be checked right now; retry in ${retryAfterSeconds} s`, extensions: { code: 'RATE_LIMIT_UNAVAILABLE', retryAfterSeconds } }
      : {
          message: `Too many requests: at most ${decision.perMinute} per minute per ${SCOPE_NAMES[decision.scope]}; retry in ${retryAfterSeconds} s`,
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds, scope: decision.scope },
        };
    res.end(JSON.stringify({ errors: [error] }));
    req.resume();
    return true;
  };
}
