import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type RunningService } from '@simpul/service-kit';
import { freePort } from '@simpul/testing';
import { base64url, exportSPKI, SignJWT, UnsecuredJWT } from 'jose';
import { startGatewayService } from '../src/server';
import { startCountingSubgraph, type CountingSubgraph } from './support/counting-subgraph';
import { createTestKey, TestIdentityProvider, type TestKey } from '@simpul/service-kit/testing';

// The real gateway process entry (env → server → gateway), OIDC on, in front of a subgraph that
// counts every request reaching it: a refused request must leave that count unchanged.

const logger = createLogger('gateway-auth-int-test', 'silent');
const APPLICATION_ID = '0190f5a4-7c1e-7b3a-9d2e-4f6a8b0c1d2e';
const TOLERANCE_SECONDS = 30;

let idp: TestIdentityProvider;
let keyA: TestKey;
let keyB: TestKey;
let otherRealmKey: TestKey;
let rogueKey: TestKey;
let subgraph: CountingSubgraph;
let directory: string;
let supergraphPath: string;
let gateway: RunningService & { port: number };
let origin: string;

const now = () => Math.floor(Date.now() / 1000);

function gatewayEnv(issuer: string): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    SUPERGRAPH_PATH: supergraphPath,
    OIDC_ISSUER_URL: issuer,
    OIDC_CLOCK_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS),
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function ask(base: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(new URL('/graphql', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ ping }' }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

/** The gateway's origin, once it says it is ready. */
async function readyOrigin(service: RunningService): Promise<string> {
  const serviceOrigin = new URL(service.url!).origin;
  for (let waited = 0; (await fetch(`${serviceOrigin}/readyz`)).status !== 200; waited += 50) {
    if (waited > 10_000) throw new Error('gateway never became ready');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return serviceOrigin;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  [keyA, keyB, otherRealmKey, rogueKey] = await Promise.all([
    createTestKey('simpul-2025-a'),
    createTestKey('simpul-2025-b'),
    createTestKey('other-realm-key'),
    createTestKey('rogue-key'),
  ]);
  idp = await TestIdentityProvider.start();
  idp.publish('simpul', [keyA]);
  idp.publish('other', [otherRealmKey]);
  subgraph = await startCountingSubgraph(logger);
  directory = mkdtempSync(join(tmpdir(), 'simpul-gateway-auth-'));
  supergraphPath = join(directory, 'supergraph.graphql');
  writeFileSync(supergraphPath, subgraph.supergraphSdl);
  gateway = await startGatewayService(logger, gatewayEnv(idp.issuer()));
  origin = await readyOrigin(gateway);
});

afterAll(async () => {
  await gateway?.stop();
  await subgraph?.stop();
  await idp?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('bearer tokens at /graphql', () => {
  it('serves a valid officer token and calls the subgraph', async () => {
    const before = subgraph.calls;
    const answer = await ask(origin, bearer(await idp.mint(keyA)));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { ping: 'pong' } });
    expect(subgraph.calls).toBe(before + 1);
  });

  it("serves a client's service-account token", async () => {
    const token = await idp.mint(keyA, {
      azp: 'agency-dukcapil',
      preferred_username: 'service-account-agency-dukcapil',
      realm_access: { roles: ['agency:dukcapil', 'participant:dukcapil'] },
    });
    expect((await ask(origin, bearer(token))).status).toBe(200);
  });

  const refusals: [string, () => Promise<Record<string, string>>, string][] = [
    ['no token', async () => ({}), 'MISSING_TOKEN'],
    ['a Basic credential instead of a bearer token', async () => ({ authorization: 'Basic cGV0dWdhczpkZW1v' }), 'MISSING_TOKEN'],
    ['an expired token', async () => bearer(await idp.mint(keyA, { iat: now() - 3900, exp: now() - 3600 })), 'EXPIRED'],
    [
      'an unsigned token (alg none)',
      async () => bearer(new UnsecuredJWT({ iss: idp.issuer(), aud: 'simpul-gateway', azp: 'mpp-console', sub: 'x', typ: 'Bearer', exp: now() + 300, realm_access: { roles: ['admin'] } }).encode()),
      'ALGORITHM_NOT_ALLOWED',
    ],
    [
      'an HS256 token signed with the public key as the secret',
      async () => {
        const secret = new TextEncoder().encode(await exportSPKI(keyA.publicKey));
        const claims = { iss: idp.issuer(), aud: 'simpul-gateway', azp: 'mpp-console', sub: 'x', typ: 'Bearer', exp: now() + 300, realm_access: { roles: ['admin'] } };
        return bearer(await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: keyA.kid }).sign(secret));
      },
      'ALGORITHM_NOT_ALLOWED',
    ],
    ["another realm's token, signed with that realm's key", async () => bearer(await idp.mint(otherRealmKey, {}, 'other')), 'UNKNOWN_KEY'],
    ["a token naming another realm as issuer", async () => bearer(await idp.mint(keyA, { iss: idp.issuer('other') })), 'WRONG_ISSUER'],
    ['a token for another audience', async () => bearer(await idp.mint(keyA, { aud: ['account', 'mpp-console'] })), 'WRONG_AUDIENCE'],
    ['a token signed with a key the realm never published', async () => bearer(await idp.mint(rogueKey)), 'UNKNOWN_KEY'],
    [
      "a token forged with another key under the realm's kid",
      async () => bearer(await idp.mint({ ...rogueKey, kid: keyA.kid })),
      'BAD_SIGNATURE',
    ],
    [
      'a token whose payload was tampered with',
      async () => {
        const [header, payload, signature] = (await idp.mint(keyA)).split('.');
        const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as Record<string, unknown>;
        claims.realm_access = { roles: ['officer', 'admin'] };
        return bearer(`${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`);
      },
      'BAD_SIGNATURE',
    ],
    ['a token not valid until well beyond the clock tolerance', async () => bearer(await idp.mint(keyA, { nbf: now() + TOLERANCE_SECONDS + 60 })), 'NOT_YET_VALID'],
    ['an ID token', async () => bearer(await idp.mint(keyA, { typ: 'ID', aud: 'simpul-gateway' })), 'WRONG_TOKEN_TYPE'],
    ['a token without azp', async () => bearer(await idp.mint(keyA, { azp: undefined })), 'INVALID_CLAIMS'],
    ['a token without exp', async () => bearer(await idp.mint(keyA, { exp: undefined })), 'INVALID_CLAIMS'],
    ['something that is not a JWT', async () => ({ authorization: 'Bearer not-a-jwt' }), 'MALFORMED'],
  ];

  it.each(refusals)('refuses %s with 401 UNAUTHENTICATED and calls no subgraph', async (_, headers, reason) => {
    const before = subgraph.calls;
    const answer = await ask(origin, await headers());
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason } }] });
    expect(answer.headers.get('www-authenticate')).toBe(
      reason === 'MISSING_TOKEN' ? 'Bearer realm="simpul"' : `Bearer realm="simpul", error="invalid_token", error_description="${reason}"`,
    );
    expect(subgraph.calls).toBe(before);
  });

  it('accepts a token not yet valid or just expired within the clock tolerance', async () => {
    const early = await idp.mint(keyA, { nbf: now() + TOLERANCE_SECONDS - 10 });
    const late = await idp.mint(keyA, { iat: now() - 300, exp: now() - (TOLERANCE_SECONDS - 10) });
    expect((await ask(origin, bearer(early))).status).toBe(200);
    expect((await ask(origin, bearer(late))).status).toBe(200);
  });

  it('refuses a GET query without a token too', async () => {
    const before = subgraph.calls;
    const response = await fetch(`${origin}/graphql?query=${encodeURIComponent('{ ping }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(401);
    expect(subgraph.calls).toBe(before);
  });
});

describe('the live status stream', () => {
  const streamUrl = () => `${origin}/live/applications/${APPLICATION_ID}`;

  it('refuses a request without a bearer header, and a token in the query string', async () => {
    const before = subgraph.calls;
    const none = await fetch(streamUrl());
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'MISSING_TOKEN' } }] });
    const inQuery = await fetch(`${streamUrl()}?access_token=${await idp.mint(keyA)}`);
    expect(inQuery.status).toBe(401);
    expect(await inQuery.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'MISSING_TOKEN' } }] });
    expect(subgraph.calls).toBe(before);
  });

  it('streams with a bearer header', async () => {
    const before = subgraph.calls;
    const response = await fetch(streamUrl(), { headers: bearer(await idp.mint(keyA)) });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('SUBMITTED');
    expect(subgraph.calls).toBe(before + 1);
  });
});

describe('key rotation under load', () => {
  it('answers every valid token while the realm rotates to a new key', async () => {
    idp.publish('simpul', [keyA]);
    const tokensA = await Promise.all(Array.from({ length: 20 }, () => idp.mint(keyA)));
    const tokensB = await Promise.all(Array.from({ length: 20 }, () => idp.mint(keyB)));
    let rotated = false;
    let stop = false;
    const outcomes = { A: new Map<string, number>(), B: new Map<string, number>() };
    const record = (key: 'A' | 'B', outcome: string) => outcomes[key].set(outcome, (outcomes[key].get(outcome) ?? 0) + 1);

    const worker = async (id: number) => {
      for (let i = 0; !stop; i++) {
        // Before the rotation only key A signs; during the overlap old and new tokens are both in use.
        const useB = rotated && (i + id) % 2 === 0;
        const token = (useB ? tokensB : tokensA)[(i * 7 + id) % 20]!;
        try {
          const answer = await ask(origin, bearer(token));
          record(useB ? 'B' : 'A', String(answer.status));
        } catch (error) {
          record(useB ? 'B' : 'A', (error as Error).message);
        }
      }
    };
    const workers = Array.from({ length: 20 }, (_, id) => worker(id));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const fetchedBefore = idp.requests.jwks;
    idp.publish('simpul', [keyA, keyB]);
    rotated = true;
    // Longer than the unknown-kid cooldown: the first new-key tokens may wait for it, none may fail.
    await new Promise((resolve) => setTimeout(resolve, 6500));
    stop = true;
    await Promise.all(workers);

    expect([...outcomes.A.keys()]).toEqual(['200']);
    expect([...outcomes.B.keys()]).toEqual(['200']);
    expect(outcomes.A.get('200')).toBeGreaterThan(100);
    expect(outcomes.B.get('200')).toBeGreaterThan(50);
    // One shared refetch for the new kid, not one per request.
    expect(idp.requests.jwks - fetchedBefore).toBeLessThanOrEqual(2);
  }, 30_000);
});

describe('gateway start before the identity provider is reachable', () => {
  let late: RunningService & { port: number };
  let lateIdp: TestIdentityProvider | undefined;

  afterAll(async () => {
    await late?.stop();
    await lateIdp?.stop();
  });

  it('is not ready and refuses tokens it cannot check until discovery succeeds', async () => {
    const port = await freePort();
    late = await startGatewayService(logger, gatewayEnv(`http://127.0.0.1:${port}/realms/simpul`));
    const lateOrigin = new URL(late.url!).origin;
    const before = subgraph.calls;

    expect((await fetch(`${lateOrigin}/readyz`)).status).toBe(503);
    expect((await fetch(`${lateOrigin}/healthz`)).status).toBe(200);
    expect((await ask(lateOrigin)).status).toBe(401);
    const unverifiable = await ask(lateOrigin, bearer(await idp.mint(keyA)));
    expect(unverifiable.status).toBe(503);
    expect(unverifiable.headers.get('retry-after')).toBe('5');
    expect(unverifiable.body).toMatchObject({ errors: [{ extensions: { code: 'IDENTITY_PROVIDER_UNAVAILABLE' } }] });

    lateIdp = await TestIdentityProvider.start(port);
    lateIdp.publish('simpul', [keyA]);
    for (let waited = 0; (await fetch(`${lateOrigin}/readyz`)).status !== 200; waited += 100) {
      if (waited > 15_000) throw new Error('gateway never became ready');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await ask(lateOrigin, bearer(await lateIdp.mint(keyA)))).status).toBe(200);
    expect(subgraph.calls).toBe(before + 1);
  }, 30_000);
});

describe('rate limits in production mode: per person, per client, and a ceiling per client', () => {
  let limited: RunningService & { port: number };
  let limitedOrigin: string;
  beforeAll(async () => {
    limited = await startGatewayService(logger, {
      ...gatewayEnv(idp.issuer()),
      GATEWAY_PRODUCTION_MODE: 'true',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '6',
      GATEWAY_RATE_LIMIT_BURST: '3',
      GATEWAY_RATE_LIMIT_CLIENT_PER_MINUTE: '6',
      GATEWAY_RATE_LIMIT_CLIENT_BURST: '8',
    });
    limitedOrigin = await readyOrigin(limited);
  });
  afterAll(async () => {
    await limited?.stop();
  });

  const console = (subject: string, roles: string[]) => idp.mint(keyA, { sub: subject, azp: 'mpp-console', preferred_username: subject, realm_access: { roles } });
  const serviceAccount = (client: string) =>
    idp.mint(keyA, { sub: `sa-${client}`, azp: client, preferred_username: `service-account-${client}`, realm_access: { roles: ['participant'] } });

  it('a citizen flooding through mpp-console is limited alone: the counter officers on the same app are still served', async () => {
    const citizen = bearer(await console('warga-flood', ['citizen']));
    for (let i = 0; i < 3; i++) expect((await ask(limitedOrigin, citizen)).status).toBe(200);
    const refused = await ask(limitedOrigin, citizen);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'user' });
    expect(refused.body.errors?.[0]?.message).toContain('per user');

    const officer = await ask(limitedOrigin, bearer(await console('petugas-counter', ['officer'])));
    expect(officer.status).toBe(200);
    expect(officer.body).toEqual({ data: { ping: 'pong' } });

    // Everyone on mpp-console together still has a ceiling: 8 at once (4 spent above).
    for (const who of ['officer-2', 'officer-3', 'officer-4', 'officer-5']) expect((await ask(limitedOrigin, bearer(await console(who, ['officer'])))).status).toBe(200);
    const ceiling = await ask(limitedOrigin, bearer(await console('officer-6', ['officer'])));
    expect(ceiling.status).toBe(429);
    expect(ceiling.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'client' });
  });

  it('a client-credentials token is counted by its client: the bank over its rate leaves PLN served', async () => {
    for (let i = 0; i < 8; i++) expect((await ask(limitedOrigin, bearer(await serviceAccount('bank-bpd')))).status).toBe(200);
    const bank = await ask(limitedOrigin, bearer(await serviceAccount('bank-bpd')));
    expect(bank.status).toBe(429);
    expect(bank.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'client' });
    expect((await ask(limitedOrigin, bearer(await serviceAccount('bumn-pln')))).status).toBe(200);
  });
});
