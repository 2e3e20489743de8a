import { randomUUID } from 'node:crypto';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { createLogger, type Logger } from '@simpul/service-kit';
import { Redis } from 'ioredis';
import {
  RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_SECONDS,
  rateLimitConnectionName,
  RedisTokenBucketLimiter,
  type RateBucket,
  type RateLimitSettings,
  type RedisRateLimitSettings,
} from '../src/hardening';

// The real Redis on 127.0.0.1:6379. Every test counts under its own prefix and deletes its keys.
const REDIS_URL = process.env.RATE_LIMIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let admin: Redis;
const prefixes: string[] = [];
const limiters: RedisTokenBucketLimiter[] = [];
const servers: Server[] = [];

beforeAll(() => {
  admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
});

afterEach(async () => {
  await Promise.all(limiters.splice(0).map((limiter) => limiter.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  for (const prefix of prefixes.splice(0)) {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
  }
});

afterAll(async () => {
  await admin.quit();
});

function uniquePrefix(): string {
  const prefix = `simpul:test:ratelimit:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

/** A logger whose component child (the limiter's) is watched. */
function watchedLogger() {
  const logger = createLogger('redis-rate-limit-test', 'silent');
  const child: Logger = logger.child({});
  const warn = jest.spyOn(child, 'warn');
  const info = jest.spyOn(child, 'info');
  jest.spyOn(logger, 'child').mockImplementation((() => child) as unknown as Logger['child']);
  return { logger, warn, info };
}

/** One gateway replica's limiter, counting each key in one client bucket of these settings (`buckets` for several). */
function replica(settings: RateLimitSettings, store: Partial<RedisRateLimitSettings> & { prefix: string }, logger = watchedLogger().logger) {
  const limiter = new RedisTokenBucketLimiter({ url: REDIS_URL, failure: 'open', timeoutMs: 200, ...store }, logger);
  limiters.push(limiter);
  return {
    redis: limiter.redis,
    take: (key: string) => limiter.take([{ key, scope: 'client', settings }]),
    buckets: (buckets: readonly RateBucket[]) => limiter.take(buckets),
    close: () => limiter.close(),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never answers: a Redis too slow to wait for. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    for (const socket of sockets) socket.destroy();
    return close(callback);
  }) as typeof server.close;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** A TCP proxy to the real Redis that can be cut and restored on the same port. */
async function cuttableProxy() {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = async () => {
    server = createServer((client) => {
      const upstream = new Socket().connect(Number(target.port || 6379), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  };
  const cut = async () => {
    const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closing;
  };
  await open();
  return { url: () => `redis://127.0.0.1:${port}`, cut, restore: open, close: cut };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisTokenBucketLimiter against the real Redis', () => {
  it('shares one bucket between two replicas: burst requests in total, not burst per replica', async () => {
    const prefix = uniquePrefix();
    const settings = { perMinute: 6, burst: 3 };
    const [a, b] = [replica(settings, { prefix }), replica(settings, { prefix })];

    const decisions = [await a.take('client:bank-bpd'), await b.take('client:bank-bpd'), await a.take('client:bank-bpd'), await b.take('client:bank-bpd')];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(await a.take('client:bank-bpd')).toMatchObject({ allowed: false });
    // Another client has its own bucket, on either replica.
    expect(await b.take('client:bumn-pln')).toEqual({ allowed: true });
  });

  it('takes from a user\'s bucket and its client\'s ceiling at once, or from neither', async () => {
    const prefix = uniquePrefix();
    const limiter = replica({ perMinute: 6, burst: 1 }, { prefix });
    const ceiling: RateBucket = { key: 'client:mpp-console', scope: 'client', settings: { perMinute: 6, burst: 3 } };
    const user = (subject: string): RateBucket => ({ key: `user:${subject}`, scope: 'user', settings: { perMinute: 6, burst: 1 } });
    expect(await limiter.buckets([user('warga'), ceiling])).toEqual({ allowed: true });
    // The citizen's own bucket is empty: refused, and the console's ceiling keeps its 2 tokens.
    for (let i = 0; i < 3; i++) expect(await limiter.buckets([user('warga'), ceiling])).toEqual({ allowed: false, retryAfterSeconds: 10, scope: 'user', perMinute: 6 });
    expect(await limiter.buckets([user('petugas'), ceiling])).toEqual({ allowed: true });
    expect(await limiter.buckets([user('supervisor'), ceiling])).toEqual({ allowed: true });
    // Now the console as a whole is at its ceiling, whoever asks.
    expect(await limiter.buckets([user('auditor'), ceiling])).toEqual({ allowed: false, retryAfterSeconds: 10, scope: 'client', perMinute: 6 });
    expect(Number(await admin.hget(`${prefix}user:auditor`, 'tokens'))).toBe(1);
  });

  it('says when the next token comes, as the in-process limiter does', async () => {
    const prefix = uniquePrefix();
    const limiter = replica({ perMinute: 6, burst: 2 }, { prefix });
    expect(await limiter.take('client:a')).toEqual({ allowed: true });
    expect(await limiter.take('client:a')).toEqual({ allowed: true });
    // 6 a minute: one token every 10 s.
    expect(await limiter.take('client:a')).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
  });

  it('keeps the bucket under the prefix, expiring once an idle bucket would be full again', async () => {
    const prefix = uniquePrefix();
    const limiter = replica({ perMinute: 6, burst: 2 }, { prefix });
    await limiter.take('client:a');
    expect(await admin.keys(`${prefix}*`)).toEqual([`${prefix}client:a`]);
    const ttl = await admin.pttl(`${prefix}client:a`);
    // 2 tokens at 6 a minute refill in 20 s; the key lives that long plus a second.
    expect(ttl).toBeGreaterThan(15_000);
    expect(ttl).toBeLessThanOrEqual(21_000);
  });

  it('refills over time', async () => {
    const prefix = uniquePrefix();
    // 120 a minute: one token every 500 ms.
    const limiter = replica({ perMinute: 120, burst: 1 }, { prefix });
    expect(await limiter.take('client:a')).toEqual({ allowed: true });
    expect(await limiter.take('client:a')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    await sleep(600);
    expect(await limiter.take('client:a')).toEqual({ allowed: true });
    expect(await limiter.take('client:a')).toMatchObject({ allowed: false });
  });

  it('counts by the Redis server clock, whatever the replica clock says', async () => {
    const prefix = uniquePrefix();
    const limiter = replica({ perMinute: 6, burst: 1 }, { prefix });
    await limiter.take('client:a');
    const [seconds, micros] = await admin.time();
    const at = Number(await admin.hget(`${prefix}client:a`, 'at'));
    const serverNow = Number(seconds) * 1000 + Number(micros) / 1000;
    expect(serverNow - at).toBeGreaterThanOrEqual(0);
    expect(serverNow - at).toBeLessThan(5_000);
    // A replica whose clock is an hour ahead still sees an empty bucket.
    const realNow = Date.now;
    Date.now = () => realNow() + 3_600_000;
    try {
      expect(await replica({ perMinute: 6, burst: 1 }, { prefix }).take('client:a')).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
    } finally {
      Date.now = realNow;
    }
  });

  describe('when Redis is down (a closed port)', () => {
    it('open policy: counts in the process own bucket instead, warning once per outage', async () => {
      const { logger, warn } = watchedLogger();
      const limiter = replica({ perMinute: 6, burst: 2 }, { prefix: uniquePrefix(), url: `redis://127.0.0.1:${await closedPort()}`, failure: 'open' }, logger);
      expect(await limiter.take('client:a')).toEqual({ allowed: true });
      expect(await limiter.take('client:a')).toEqual({ allowed: true });
      expect(await limiter.take('client:a')).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
      expect(await limiter.take('client:b')).toEqual({ allowed: true });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[1]).toContain('RATE_LIMIT_REDIS_FAILURE=open');
    });

    it('closed policy: refuses as unavailable', async () => {
      const limiter = replica({ perMinute: 6, burst: 2 }, { prefix: uniquePrefix(), url: `redis://127.0.0.1:${await closedPort()}`, failure: 'closed' });
      for (let i = 0; i < 2; i++) {
        expect(await limiter.take('client:a')).toEqual({ allowed: false, unavailable: true, retryAfterSeconds: RATE_LIMIT_UNAVAILABLE_RETRY_AFTER_SECONDS });
      }
    });
  });

  describe('when Redis does not answer in time', () => {
    it('open policy: decides by the fallback without waiting for Redis', async () => {
      const limiter = replica({ perMinute: 6, burst: 1 }, { prefix: uniquePrefix(), url: `redis://127.0.0.1:${await silentServer()}`, failure: 'open', timeoutMs: 50 });
      expect(await limiter.take('client:a')).toEqual({ allowed: true });
      expect(await limiter.take('client:a')).toMatchObject({ allowed: false, retryAfterSeconds: 10 });
    });

    it('closed policy: refuses as unavailable', async () => {
      const limiter = replica({ perMinute: 6, burst: 1 }, { prefix: uniquePrefix(), url: `redis://127.0.0.1:${await silentServer()}`, failure: 'closed', timeoutMs: 50 });
      expect(await limiter.take('client:a')).toMatchObject({ allowed: false, unavailable: true });
    });
  });

  it('shares the bucket again once Redis is back, logging the outage and its end once', async () => {
    const proxy = await cuttableProxy();
    const prefix = uniquePrefix();
    const { logger, warn, info } = watchedLogger();
    try {
      const limiter = replica({ perMinute: 6, burst: 2 }, { prefix, url: proxy.url(), failure: 'open' }, logger);
      expect(await limiter.take('client:a')).toEqual({ allowed: true });

      await proxy.cut();
      for (let i = 0; i < 3; i++) await limiter.take('client:a');
      expect(warn).toHaveBeenCalledTimes(1);

      await proxy.restore();
      const back = () => info.mock.calls.filter((call) => String(call[1]).includes('Redis is back')).length;
      for (let attempt = 0; attempt < 50 && back() === 0; attempt++) {
        await sleep(100);
        await limiter.take('client:probe');
      }
      expect(back()).toBe(1);
      // The shared bucket kept its 1 token left: the second request is refused again.
      expect(await limiter.take('client:a')).toEqual({ allowed: true });
      expect(await limiter.take('client:a')).toMatchObject({ allowed: false });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(back()).toBe(1);
    } finally {
      await Promise.all(limiters.splice(0).map((limiter) => limiter.close()));
      await proxy.close();
    }
  });

  it('closes its connection', async () => {
    const prefix = uniquePrefix();
    const limiter = replica({ perMinute: 6, burst: 2 }, { prefix });
    await limiter.take('client:a');
    const named = async () => String(await admin.client('LIST')).split('\n').filter((line) => line.includes(`name=${rateLimitConnectionName(prefix)} `)).length;
    expect(await named()).toBe(1);
    await limiter.close();
    expect(limiter.redis.status).toBe('end');
    for (let attempt = 0; attempt < 20 && (await named()) > 0; attempt++) await sleep(25);
    expect(await named()).toBe(0);
  });
});
