import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { createLogger, createSubgraph, listen, type RequestContext, type RunningHttpServer } from '@simpul/service-kit';
import { createTestInternalContextKeys } from '@simpul/testing';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { loadGatewayEnv } from '../src/env';
import { createGateway, type Gateway } from '../src/gateway';
import { rateLimitConnectionName, sha256Hex } from '../src/hardening';
import { startGatewayService } from '../src/server';

// A registry subgraph with what the limits are about: a lookup by NIK, a list with a page-size
// argument, self-references to nest and lists to multiply. It counts every HTTP request it gets.
const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    citizen(nik: String!): Citizen
    citizens(first: Int = 10): [Citizen!]!
    registryStatus: String!
    failing: String
  }
  type Citizen @key(fields: "nik") {
    nik: String!
    fullName: String!
    spouse: Citizen
    children: [Citizen!]!
  }
`;
const SITI = { nik: '3510014101900001', fullName: 'Siti Rahayu' };
const BUDI = { nik: '3510010202900002', fullName: 'Budi Santoso' };
const person = (p: typeof SITI) => ({ ...p, spouse: p === SITI ? BUDI : SITI, children: [] });

const logger = createLogger('hardening-test', 'silent');
let subgraphHttp: RunningHttpServer;
let stopSubgraph: () => Promise<void>;
let subgraphCalls = 0;
let supergraphPath: string;
let supergraphSdl: string;
let workDir: string;

beforeAll(async () => {
  const subgraph = await createSubgraph<RequestContext>({
    name: 'dukcapil',
    typeDefs: parse(SDL),
    logger,
    createContext: (base) => base,
    resolvers: {
      Query: {
        citizen: (_: unknown, { nik }: { nik: string }) => [SITI, BUDI].filter((p) => p.nik === nik).map(person)[0] ?? null,
        citizens: (_: unknown, { first }: { first: number }) => [SITI, BUDI].slice(0, first).map(person),
        registryStatus: () => 'online',
        failing: () => {
          throw new Error('connection to db-registry-01.internal:5432 refused (password authentication failed)');
        },
      },
      Citizen: { __resolveReference: ({ nik }: { nik: string }) => [SITI, BUDI].filter((p) => p.nik === nik).map(person)[0] ?? null },
    },
  });
  subgraphHttp = await listen((req, res) => {
    subgraphCalls++;
    return subgraph.handler(req, res);
  });
  stopSubgraph = () => subgraph.apollo.stop();
  const composed = composeServices([{ name: 'dukcapil', url: subgraphHttp.url, typeDefs: parse(SDL) }]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  supergraphSdl = composed.supergraphSdl;
  workDir = mkdtempSync(join(tmpdir(), 'simpul-hardening-'));
  supergraphPath = join(workDir, 'supergraph.graphql');
  writeFileSync(supergraphPath, supergraphSdl);
});

afterAll(async () => {
  await subgraphHttp?.close();
  await stopSubgraph?.();
});

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Sends the request and checks that the gateway called no subgraph for it. */
async function refused(request: () => Promise<Answer>): Promise<Answer> {
  const before = subgraphCalls;
  const answer = await request();
  expect(subgraphCalls).toBe(before);
  return answer;
}

/** The gateway service as `npm start` runs it (server.ts), configured by env. */
async function startWithEnv(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const service = await startGatewayService(logger, { SUPERGRAPH_PATH: supergraphPath, PORT: '0', LOG_LEVEL: 'silent', ...env });
  const { url } = service;
  if (!url) throw new Error('the gateway service did not say where it listens');
  return { url, stop: () => service.stop() };
}

function nested(levels: number): string {
  return `{ citizen(nik: "${SITI.nik}") { ${'spouse { '.repeat(levels - 2)}nik${' }'.repeat(levels - 2)} } }`;
}

describe('gateway hardening with the default settings', () => {
  let gateway: Awaited<ReturnType<typeof startWithEnv>>;
  beforeAll(async () => {
    gateway = await startWithEnv({});
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('serves an operation within every limit (and the subgraph call is counted)', async () => {
    const before = subgraphCalls;
    const answer = await post(gateway.url, { query: `${nested(8)}` });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(subgraphCalls).toBeGreaterThan(before);
  });

  it('refuses an operation nested too deep', async () => {
    const answer = await refused(() => post(gateway.url, { query: nested(9) }));
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: 'The operation is nested 9 levels deep; the gateway allows at most 8',
        extensions: { code: 'BAD_USER_INPUT', rule: 'MAX_DEPTH', limit: 8, actual: 9 },
      }),
    ]);
  });

  it('refuses 100 aliased citizen lookups', async () => {
    const lookups = Array.from({ length: 100 }, (_, i) => `c${i}: citizen(nik: "${SITI.nik}") { nik fullName }`).join(' ');
    const answer = await refused(() => post(gateway.url, { query: `{ ${lookups} }` }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', rule: 'MAX_ALIASES', limit: 15, actual: 100 });
  });

  it('refuses an oversized page, given literally or as a variable, and serves the largest allowed one', async () => {
    const literal = await refused(() => post(gateway.url, { query: '{ citizens(first: 500) { nik } }' }));
    expect(literal.status).toBe(400);
    expect(literal.body.errors?.[0]).toMatchObject({
      message: 'Query.citizens(first: 500) asks for more than 100 items',
      extensions: { code: 'BAD_USER_INPUT', rule: 'MAX_PAGE_SIZE', limit: 100, actual: 500, field: 'Query.citizens', argument: 'first' },
    });
    const variable = await refused(() => post(gateway.url, { query: 'query ($n: Int) { citizens(first: $n) { nik } }', variables: { n: 101 } }));
    expect(variable.body.errors?.[0]?.extensions).toMatchObject({ rule: 'MAX_PAGE_SIZE', actual: 101 });

    const allowed = await post(gateway.url, { query: 'query ($n: Int) { citizens(first: $n) { nik } }', variables: { n: 100 } });
    expect(allowed.body).toEqual({ data: { citizens: [{ nik: SITI.nik }, { nik: BUDI.nik }] } });
  });

  it('refuses too many root fields', async () => {
    const fields = Array.from({ length: 11 }, (_, i) => `s${i}: registryStatus`).join(' ');
    const answer = await refused(() => post(gateway.url, { query: `{ ${fields} }` }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', rule: 'MAX_ROOT_FIELDS', limit: 10, actual: 11 });
  });

  it('refuses an operation over the cost limit', async () => {
    // 1 + 100 × (1 + 10 × (1 + 10 × 1)) = 11101
    const answer = await refused(() => post(gateway.url, { query: '{ citizens(first: 100) { children { children { nik } } } }' }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', rule: 'MAX_COST', limit: 5000, actual: 11101 });
  });

  it('stops parsing a document of more than GATEWAY_MAX_TOKENS tokens', async () => {
    // Repeating one field makes validation quadratic (overlapping-fields check): the parser stops it first.
    const query = `{ ${'registryStatus '.repeat(6000)}}`;
    const answer = await refused(() => post(gateway.url, { query }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(answer.body.errors?.[0]?.message).toMatch(/Document contains more tha[nt] 5000 tokens/);
  });

  it('refuses a batched request (a JSON array body)', async () => {
    const answer = await refused(() => post(gateway.url, [{ query: '{ registryStatus }' }, { query: '{ registryStatus }' }]));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        message: 'Batched requests are not accepted: send one operation per request (a JSON object, not an array)',
        extensions: { code: 'BAD_REQUEST', rule: 'BATCHED_REQUEST' },
      },
    ]);
  });

  describe('CSRF prevention', () => {
    const query = encodeURIComponent('{ registryStatus }');

    it('refuses a GET without a preflight header', async () => {
      const answer = await refused(() => send(`${gateway.url}?query=${query}`, { method: 'GET' }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.message).toContain('Cross-Site Request Forgery');
      expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    });

    it('refuses a POST with content-type text/plain', async () => {
      const answer = await refused(() =>
        send(gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ registryStatus }' }) }),
      );
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0]?.message).toContain('Cross-Site Request Forgery');
    });

    it('serves the same GET when it carries a header a browser would preflight', async () => {
      const answer = await send(`${gateway.url}?query=${query}`, { method: 'GET', headers: { 'apollo-require-preflight': 'true' } });
      expect(answer.body).toEqual({ data: { registryStatus: 'online' } });
    });
  });

  it('answers introspection and suggests field names outside production mode', async () => {
    const introspection = await post(gateway.url, { query: '{ __schema { queryType { name } } }' });
    expect(introspection.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const typo = await post(gateway.url, { query: `{ citizen(nik: "${SITI.nik}") { fulName } }` });
    expect(typo.body.errors?.[0]?.message).toContain('Did you mean "fullName"?');
  });

  it('registers an automatic persisted query, then serves it by hash', async () => {
    const query = `{ citizen(nik: "${BUDI.nik}") { fullName } }`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } };

    const miss = await refused(() => post(gateway.url, { extensions }));
    expect(miss.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await post(gateway.url, { query, extensions });
    expect(registered.body).toEqual({ data: { citizen: { fullName: BUDI.fullName } } });

    const byHash = await post(gateway.url, { extensions });
    expect(byHash.body).toEqual({ data: { citizen: { fullName: BUDI.fullName } } });

    const hijack = await refused(() => post(gateway.url, { query: '{ registryStatus }', extensions }));
    expect(hijack.status).toBe(400);
    expect(hijack.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST', rule: 'PERSISTED_QUERY_HASH_MISMATCH' });
  });

  it('does not register an operation the limits refuse', async () => {
    const query = nested(12);
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } };
    expect((await refused(() => post(gateway.url, { query, extensions }))).status).toBe(400);
    const byHash = await refused(() => post(gateway.url, { extensions }));
    expect(byHash.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('limits from the environment', () => {
  it('applies GATEWAY_MAX_DEPTH and GATEWAY_MAX_PAGE_SIZE', async () => {
    const gateway = await startWithEnv({ GATEWAY_MAX_DEPTH: '2', GATEWAY_MAX_PAGE_SIZE: '1' });
    try {
      const deep = await refused(() => post(gateway.url, { query: nested(3) }));
      expect(deep.body.errors?.[0]?.extensions).toMatchObject({ rule: 'MAX_DEPTH', limit: 2, actual: 3 });
      const page = await refused(() => post(gateway.url, { query: '{ citizens(first: 2) { nik } }' }));
      expect(page.body.errors?.[0]?.extensions).toMatchObject({ rule: 'MAX_PAGE_SIZE', limit: 1, actual: 2 });
      // The schema's default (first = 10) is the server's choice: not refused.
      const defaulted = await post(gateway.url, { query: '{ citizens { nik } }' });
      expect(defaulted.body).toEqual({ data: { citizens: [{ nik: SITI.nik }, { nik: BUDI.nik }] } });
    } finally {
      await gateway.stop();
    }
  });
});

describe.each([
  ['GATEWAY_PRODUCTION_MODE=true', { NODE_ENV: 'development', GATEWAY_PRODUCTION_MODE: 'true' }],
  // NODE_ENV=production also requires an identity provider (its URL is only checked, never contacted
  // here) and the internal-context key (generated below).
  ['NODE_ENV=production', { NODE_ENV: 'production', OIDC_ISSUER_URL: 'https://sso.example.go.id/realms/simpul' }],
])('production mode by %s', (_how, variables) => {
  let source: NodeJS.ProcessEnv;
  let gateway: Gateway;
  let http: RunningHttpServer;
  beforeAll(async () => {
    source = { ...variables, INTERNAL_CONTEXT_PRIVATE_KEY: (await createTestInternalContextKeys()).privateKey };
    const env = loadGatewayEnv({ ...source, SUPERGRAPH_PATH: supergraphPath });
    expect(env.production).toBe(true);
    // The gateway as server.ts builds it, without the token verification (another test's subject).
    gateway = await createGateway({ supergraphSdl, subgraphs: env.subgraphs, defaultTimeoutMs: 2000, logger, production: env.production, hardening: env.hardening });
    http = await listen(gateway.handler, {});
  });
  afterAll(async () => {
    await http?.close();
    await gateway?.stop();
  });

  it('refuses introspection', async () => {
    const answer = await refused(() => post(http.url, { query: '{ __schema { queryType { name } } }' }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0]?.message).toContain('introspection is not allowed');
    const type = await refused(() => post(http.url, { query: '{ __type(name: "Citizen") { fields { name } } }' }));
    expect(type.status).toBe(400);
  });

  it('does not reveal field names in validation errors', async () => {
    const answer = await refused(() => post(http.url, { query: `{ citizen(nik: "${SITI.nik}") { fulName } }` }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.message).toBe('Cannot query field "fulName" on type "Citizen".');
    expect(JSON.stringify(answer.body)).not.toContain('fullName');
  });

  it('masks the details of an unexpected failure', async () => {
    const answer = await post(http.url, { query: '{ failing }' });
    expect(answer.body.data).toEqual({ failing: null });
    expect(answer.body.errors).toEqual([
      { message: 'Internal server error', path: ['failing'], extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: expect.any(String) } },
    ]);
    expect(JSON.stringify(answer.body)).not.toMatch(/db-registry|password|stack/i);
  });

  it('rate-limits by default', () => {
    expect(loadGatewayEnv({ ...source }).hardening.rateLimit).toBeDefined();
  });
});

describe('persisted query allow-list mode', () => {
  const LISTED = 'query Status { registryStatus }';
  const LISTED_BY_NAME = 'query Citizen($nik: String!) { citizen(nik: $nik) { fullName } }';
  let gateway: Awaited<ReturnType<typeof startWithEnv>>;
  beforeAll(async () => {
    const manifest = join(workDir, 'persisted-queries.json');
    writeFileSync(
      manifest,
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          { id: sha256Hex(LISTED), name: 'Status', type: 'query', body: LISTED },
          { id: 'citizen-v1', name: 'Citizen', type: 'query', body: LISTED_BY_NAME },
        ],
      }),
    );
    gateway = await startWithEnv({ GATEWAY_PERSISTED_QUERIES: 'allow-list', GATEWAY_PERSISTED_QUERIES_FILE: manifest });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('serves a listed operation by id, by GET too, and by its exact text', async () => {
    const byHash = await post(gateway.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(LISTED) } } });
    expect(byHash.body).toEqual({ data: { registryStatus: 'online' } });
    const byId = await post(gateway.url, { variables: { nik: SITI.nik }, extensions: { persistedQuery: { version: 1, sha256Hash: 'citizen-v1' } } });
    expect(byId.body).toEqual({ data: { citizen: { fullName: SITI.fullName } } });
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: 'citizen-v1' } }));
    const variables = encodeURIComponent(JSON.stringify({ nik: BUDI.nik }));
    const byGet = await send(`${gateway.url}?extensions=${extensions}&variables=${variables}`, {
      method: 'GET',
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(byGet.body).toEqual({ data: { citizen: { fullName: BUDI.fullName } } });
    const fullText = await post(gateway.url, { query: LISTED });
    expect(fullText.body).toEqual({ data: { registryStatus: 'online' } });
  });

  it('refuses an unknown id', async () => {
    const answer = await refused(() => post(gateway.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex('{ registryStatus }') } } }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_IN_LIST', reason: 'UNKNOWN_ID' });
  });

  it('refuses an unlisted full-text operation, even a harmless one, and an attempt to register it', async () => {
    const query = '{ registryStatus }';
    const text = await refused(() => post(gateway.url, { query }));
    expect(text.status).toBe(400);
    expect(text.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_IN_LIST', reason: 'NOT_LISTED' });
    const register = await refused(() => post(gateway.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } } }));
    expect(register.status).toBe(400);
    expect(register.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const byGet = await refused(() => send(`${gateway.url}?query=${encodeURIComponent(query)}`, { method: 'GET', headers: { 'apollo-require-preflight': 'true' } }));
    expect(byGet.status).toBe(400);
  });
});

describe('per-client rate limit', () => {
  let gateway: Awaited<ReturnType<typeof startWithEnv>>;
  beforeAll(async () => {
    gateway = await startWithEnv({ GATEWAY_RATE_LIMIT_PER_MINUTE: '6', GATEWAY_RATE_LIMIT_BURST: '3' });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  // Token verification is off in this stack, so the unverified token decides the buckets (see rate-limit.ts).
  const tokenFor = (azp: string) =>
    `Bearer ${[{ alg: 'RS256', typ: 'JWT' }, { azp, sub: azp }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.')}.c2ln`;

  it('answers 429 with Retry-After once a client is over its rate, and other clients are unaffected', async () => {
    const bank = { authorization: tokenFor('bank-bpd') };
    for (let i = 0; i < 3; i++) expect((await post(gateway.url, { query: '{ registryStatus }' }, bank)).status).toBe(200);

    const limited = await refused(() => post(gateway.url, { query: '{ registryStatus }' }, bank));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(limited.headers.get('x-correlation-id')).toBeTruthy();
    expect(limited.body.errors).toEqual([
      {
        message: expect.stringContaining('Too many requests'),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(limited.headers.get('retry-after')), scope: 'user' },
      },
    ]);

    const pln = await post(gateway.url, { query: '{ registryStatus }' }, { authorization: tokenFor('bumn-pln') });
    expect(pln.status).toBe(200);
    expect(pln.body).toEqual({ data: { registryStatus: 'online' } });
  });

  it('counts requests before parsing them: even a malformed body is refused with 429', async () => {
    const client = { authorization: tokenFor('integrator-demo') };
    for (let i = 0; i < 3; i++) await post(gateway.url, { query: '{ registryStatus }' }, client);
    const answer = await send(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...client }, body: '{ not json' });
    expect(answer.status).toBe(429);
  });
});

describe('per-client rate limit shared through Redis (RATE_LIMIT_REDIS_URL)', () => {
  const redisUrl = process.env.RATE_LIMIT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `simpul:test:ratelimit:${randomUUID()}:`;
  const shared = { GATEWAY_RATE_LIMIT_PER_MINUTE: '6', GATEWAY_RATE_LIMIT_BURST: '3', RATE_LIMIT_REDIS_URL: redisUrl, RATE_LIMIT_REDIS_PREFIX: prefix };
  let admin: Redis;
  let replicas: Awaited<ReturnType<typeof startWithEnv>>[] = [];
  const connections = async () =>
    String(await admin.client('LIST'))
      .split('\n')
      .filter((line) => line.includes(`name=${rateLimitConnectionName(prefix)} `)).length;

  beforeAll(async () => {
    admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    replicas = [await startWithEnv(shared), await startWithEnv(shared)];
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  const tokenFor = (azp: string) =>
    `Bearer ${[{ alg: 'RS256', typ: 'JWT' }, { azp, sub: azp }].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.')}.c2ln`;

  it('counts a client once across two gateways: the second one answers 429 once the burst is spent', async () => {
    const [first, second] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const bank = { authorization: tokenFor('bank-bpd') };
    for (const gateway of [first, second, first]) expect((await post(gateway.url, { query: '{ registryStatus }' }, bank)).status).toBe(200);

    const limited = await refused(() => post(second.url, { query: '{ registryStatus }' }, bank));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(limited.body.errors?.[0]?.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: Number(limited.headers.get('retry-after')), scope: 'user' });
    expect((await refused(() => post(first.url, { query: '{ registryStatus }' }, bank))).status).toBe(429);
    expect(await admin.exists(`${prefix}unverified-client:bank-bpd`)).toBe(1);

    expect((await post(second.url, { query: '{ registryStatus }' }, { authorization: tokenFor('bumn-pln') })).status).toBe(200);
  });

  it('closes its Redis connection when the gateway stops', async () => {
    expect(await connections()).toBe(2);
    await Promise.all(replicas.splice(0).map((replica) => replica.stop()));
    for (let attempt = 0; attempt < 40 && (await connections()) > 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await connections()).toBe(0);
  });

  describe('with Redis unreachable', () => {
    let port: number;
    beforeAll(async () => {
      const probe = await listen(() => undefined);
      port = probe.port;
      await probe.close();
    });

    it('RATE_LIMIT_REDIS_FAILURE=closed: 503 RATE_LIMIT_UNAVAILABLE, and no subgraph is called', async () => {
      const gateway = await startWithEnv({ ...shared, RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_REDIS_FAILURE: 'closed' });
      try {
        const answer = await refused(() => post(gateway.url, { query: '{ registryStatus }' }, { authorization: tokenFor('bank-bpd') }));
        expect(answer.status).toBe(503);
        expect(answer.headers.get('retry-after')).toBe('2');
        expect(answer.headers.get('x-correlation-id')).toBeTruthy();
        expect(answer.body.errors).toEqual([
          { message: expect.stringContaining('rate limit cannot be checked'), extensions: { code: 'RATE_LIMIT_UNAVAILABLE', retryAfterSeconds: 2 } },
        ]);
      } finally {
        await gateway.stop();
      }
    });

    it('RATE_LIMIT_REDIS_FAILURE=open (the default): served, and limited by the gateway alone', async () => {
      const gateway = await startWithEnv({ ...shared, RATE_LIMIT_REDIS_URL: `redis://127.0.0.1:${port}` });
      try {
        const client = { authorization: tokenFor('bank-bpd') };
        for (let i = 0; i < 3; i++) expect((await post(gateway.url, { query: '{ registryStatus }' }, client)).body).toEqual({ data: { registryStatus: 'online' } });
        expect((await refused(() => post(gateway.url, { query: '{ registryStatus }' }, client))).status).toBe(429);
      } finally {
        await gateway.stop();
      }
    });
  });
});
