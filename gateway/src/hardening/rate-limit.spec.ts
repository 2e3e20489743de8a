import type { IncomingMessage } from 'node:http';
import { rateLimitKeyOf, TokenBucketLimiter, unverifiedAzpOf } from './rate-limit';

function fakeToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

function request(authorization?: string, remoteAddress = '10.0.0.7'): IncomingMessage {
  return { headers: authorization ? { authorization } : {}, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('TokenBucketLimiter', () => {
  it('lets a burst through, then refuses with the seconds until the next token', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perMinute: 6, burst: 2 }, () => now);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now = 4_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 6 });
    now = 10_000;
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });

  it('keeps one bucket per client', () => {
    const limiter = new TokenBucketLimiter({ perMinute: 60, burst: 1 }, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('refills no higher than the burst, and says at least 1 second', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter({ perMinute: 6000, burst: 2 }, () => now);
    now = 3_600_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfterSeconds: 1 },
    ]);
  });

  it('forgets the least recently seen client beyond its capacity', () => {
    const limiter = new TokenBucketLimiter({ perMinute: 1, burst: 1 }, () => 0, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });
});

describe('rate limit keys', () => {
  it('uses the verified principal first', () => {
    const req = request(`Bearer ${fakeToken({ azp: 'forged' })}`);
    expect(rateLimitKeyOf(req, () => ({ client: 'bank-bpd' }))).toBe('client:bank-bpd');
  });

  it('falls back to the unverified azp of a bearer token, then to the remote address', () => {
    expect(rateLimitKeyOf(request(`Bearer ${fakeToken({ azp: 'bumn-pln' })}`), () => undefined)).toBe('unverified-client:bumn-pln');
    expect(rateLimitKeyOf(request(`Bearer ${fakeToken({ sub: 'x' })}`))).toBe('address:10.0.0.7');
    expect(rateLimitKeyOf(request())).toBe('address:10.0.0.7');
  });

  it('reads azp only from a well-formed bearer JWT', () => {
    expect(unverifiedAzpOf(`Bearer ${fakeToken({ azp: 'integrator-demo' })}`)).toBe('integrator-demo');
    expect(unverifiedAzpOf(`Basic ${fakeToken({ azp: 'x' })}`)).toBeUndefined();
    expect(unverifiedAzpOf('Bearer not-a-jwt')).toBeUndefined();
    expect(unverifiedAzpOf('Bearer a.b!.c')).toBeUndefined();
    expect(unverifiedAzpOf(`Bearer ${fakeToken({ azp: 42 })}`)).toBeUndefined();
    expect(unverifiedAzpOf(undefined)).toBeUndefined();
  });
});
