import type { IncomingMessage } from 'node:http';
import { rateLimitBucketsOf, TokenBucketLimiter, unverifiedCallerOf, type RateBucket, type RateLimitSettings } from './rate-limit';

function fakeToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

function request(authorization?: string, remoteAddress = '10.0.0.7'): IncomingMessage {
  return { headers: authorization ? { authorization } : {}, socket: { remoteAddress } } as unknown as IncomingMessage;
}

/** A limiter counting each key in one client bucket of these settings. */
function limiterOf(settings: RateLimitSettings, now: () => number, maxBuckets?: number) {
  const limiter = new TokenBucketLimiter(now, maxBuckets);
  return { take: (key: string) => limiter.take([{ key, scope: 'client', settings }]), buckets: (buckets: RateBucket[]) => limiter.take(buckets) };
}

describe('TokenBucketLimiter', () => {
  it('lets a burst through, then refuses with the seconds until the next token', () => {
    let now = 0;
    const limiter = limiterOf({ perMinute: 6, burst: 2 }, () => now);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10, scope: 'client', perMinute: 6 });
    now = 4_000;
    expect(limiter.take('a')).toMatchObject({ allowed: false, retryAfterSeconds: 6 });
    now = 10_000;
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10, scope: 'client', perMinute: 6 });
  });

  it('keeps one bucket per client', () => {
    const limiter = limiterOf({ perMinute: 60, burst: 1 }, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('refills no higher than the burst, and says at least 1 second', () => {
    let now = 0;
    const limiter = limiterOf({ perMinute: 6000, burst: 2 }, () => now);
    now = 3_600_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterSeconds: 1, scope: 'client', perMinute: 6000 },
    ]);
  });

  it('forgets the least recently seen client beyond its capacity', () => {
    const limiter = limiterOf({ perMinute: 1, burst: 1 }, () => 0, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });
});

describe('rate limit buckets', () => {
  const policy = { user: { perMinute: 60, burst: 10 }, client: { perMinute: 600, burst: 100 } };
  const keys = (buckets: RateBucket[]) => buckets.map((bucket) => `${bucket.scope} ${bucket.key} ${bucket.settings.perMinute}`);

  it('counts a user token in the person\'s bucket and in the app\'s ceiling; a client token in the client\'s', () => {
    const req = request(`Bearer ${fakeToken({ azp: 'forged', sub: 'forged' })}`);
    expect(keys(rateLimitBucketsOf(req, policy, () => ({ subject: 'u-1', client: 'mpp-console', actorType: 'user' })))).toEqual([
      'user user:u-1 60',
      'client client:mpp-console 600',
    ]);
    expect(keys(rateLimitBucketsOf(req, policy, () => ({ subject: 'sa-1', client: 'bank-bpd', actorType: 'client' })))).toEqual(['client client:bank-bpd 600']);
  });

  it('falls back to the unverified token, then to the remote address', () => {
    const user = request(`Bearer ${fakeToken({ azp: 'mpp-console', sub: 'u-1', preferred_username: 'warga' })}`);
    expect(keys(rateLimitBucketsOf(user, policy, () => undefined))).toEqual(['user unverified-user:u-1 60', 'client unverified-client:mpp-console 600']);
    const client = request(`Bearer ${fakeToken({ azp: 'bumn-pln', sub: 'sa', preferred_username: 'service-account-bumn-pln' })}`);
    expect(keys(rateLimitBucketsOf(client, policy))).toEqual(['client unverified-client:bumn-pln 600']);
    expect(keys(rateLimitBucketsOf(request(`Bearer ${fakeToken({ sub: 'x' })}`), policy))).toEqual(['address address:10.0.0.7 60']);
    expect(keys(rateLimitBucketsOf(request(), policy))).toEqual(['address address:10.0.0.7 60']);
  });

  it('reads the caller only from a well-formed bearer JWT', () => {
    expect(unverifiedCallerOf(`Bearer ${fakeToken({ azp: 'integrator-demo' })}`)).toEqual({ subject: 'integrator-demo', client: 'integrator-demo', actorType: 'user' });
    expect(unverifiedCallerOf(`Basic ${fakeToken({ azp: 'x' })}`)).toBeUndefined();
    expect(unverifiedCallerOf('Bearer not-a-jwt')).toBeUndefined();
    expect(unverifiedCallerOf('Bearer a.b!.c')).toBeUndefined();
    expect(unverifiedCallerOf(`Bearer ${fakeToken({ azp: 42 })}`)).toBeUndefined();
    expect(unverifiedCallerOf(undefined)).toBeUndefined();
  });

  it('lets a request through only when each of its buckets has a token, and then takes one from each', () => {
    const limiter = limiterOf({ perMinute: 6, burst: 1 }, () => 0);
    const ceiling: RateBucket = { key: 'client:mpp-console', scope: 'client', settings: { perMinute: 6, burst: 2 } };
    const user = (key: string): RateBucket => ({ key, scope: 'user', settings: { perMinute: 6, burst: 1 } });
    expect(limiter.buckets([user('user:a'), ceiling])).toEqual({ allowed: true });
    expect(limiter.buckets([user('user:a'), ceiling])).toMatchObject({ allowed: false, scope: 'user' });
    expect(limiter.buckets([user('user:b'), ceiling])).toEqual({ allowed: true });
    expect(limiter.buckets([user('user:c'), ceiling])).toMatchObject({ allowed: false, scope: 'client' });
  });
});
