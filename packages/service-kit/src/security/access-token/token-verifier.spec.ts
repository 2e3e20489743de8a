import { createLogger } from '../../logger';
import { createTestKey, TestIdentityProvider, type TestKey } from '../../testing/test-identity-provider';
import { createTokenVerifier, IdentityProviderUnavailableError, type TokenVerifier, type TokenVerifierOptions } from './token-verifier';

const logger = createLogger('token-verifier-test', 'silent');
let idp: TestIdentityProvider;
let keyA: TestKey;
let keyB: TestKey;
const verifiers: TokenVerifier[] = [];

function verifierFor(issuer: string, options: Partial<TokenVerifierOptions> = {}): TokenVerifier {
  const verifier = createTokenVerifier({
    settings: { issuer, audience: 'simpul-gateway', algorithms: ['RS256'], clockToleranceSeconds: 30 },
    logger,
    retryDelayMs: 50,
    maxRetryDelayMs: 200,
    unknownKeyCooldownMs: 300,
    ...options,
  });
  verifiers.push(verifier);
  return verifier;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  [keyA, keyB] = await Promise.all([createTestKey('key-a'), createTestKey('key-b')]);
  idp = await TestIdentityProvider.start();
});

beforeEach(() => {
  idp.available = true;
  idp.publish('simpul', [keyA]);
});

afterEach(() => {
  for (const verifier of verifiers.splice(0)) verifier.stop();
});

afterAll(() => idp.stop());

describe('token verifier start', () => {
  it('retries discovery until the identity provider answers, and is not ready before', async () => {
    idp.available = false;
    const verifier = verifierFor(idp.issuer());
    await sleep(300);
    expect(verifier.ready).toBe(false);
    await expect(verifier.verify(await idp.mint(keyA))).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
    idp.available = true;
    await verifier.whenReady();
    expect(verifier.ready).toBe(true);
    expect(await verifier.verify(await idp.mint(keyA))).toMatchObject({ ok: true, principal: { client: 'mpp-console', roles: ['officer'] } });
  });

  it('never becomes ready when the discovery document names another issuer', async () => {
    const discoveries = idp.requests.discovery;
    const verifier = verifierFor(`${idp.issuer()}/`);
    await sleep(400);
    expect(idp.requests.discovery - discoveries).toBeGreaterThanOrEqual(2);
    expect(verifier.ready).toBe(false);
  });
});

describe('token verifier keys', () => {
  it('verifies a token of a newly published key with one refetch shared by concurrent requests', async () => {
    const verifier = verifierFor(idp.issuer());
    await verifier.whenReady();
    const fetched = idp.requests.jwks;
    idp.publish('simpul', [keyA, keyB]);
    const tokens = await Promise.all(Array.from({ length: 30 }, () => idp.mint(keyB)));
    const results = await Promise.all(tokens.map((token) => verifier.verify(token)));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(idp.requests.jwks - fetched).toBe(1);
  });

  it('bounds the refetches caused by unknown kids and refuses them as UNKNOWN_KEY', async () => {
    const verifier = verifierFor(idp.issuer());
    await verifier.whenReady();
    const fetched = idp.requests.jwks;
    const rogues = await Promise.all(Array.from({ length: 20 }, (_, i) => createTestKey(`rogue-${i}`)));
    const results = await Promise.all(rogues.map(async (rogue) => verifier.verify(await idp.mint(rogue))));
    expect(results.map((result) => !result.ok && result.reason)).toEqual(rogues.map(() => 'UNKNOWN_KEY'));
    expect(idp.requests.jwks - fetched).toBeLessThanOrEqual(2);
  });

  it('stops verifying a key withdrawn from the JWKS after the next refresh', async () => {
    const verifier = verifierFor(idp.issuer(), { refreshIntervalMs: 200 });
    idp.publish('simpul', [keyA, keyB]);
    await verifier.whenReady();
    const oldToken = await idp.mint(keyA);
    expect(await verifier.verify(oldToken)).toMatchObject({ ok: true });
    idp.publish('simpul', [keyB]);
    await sleep(450);
    expect(await verifier.verify(oldToken)).toMatchObject({ ok: false, reason: 'UNKNOWN_KEY' });
    expect(await verifier.verify(await idp.mint(keyB))).toMatchObject({ ok: true });
  });

  it('remembers a verified token: the same token again gives the same principal without a new check, until it expires', async () => {
    const verifier = verifierFor(idp.issuer(), { settings: { issuer: idp.issuer(), audience: 'simpul-gateway', algorithms: ['RS256'], clockToleranceSeconds: 0 } });
    await verifier.whenReady();
    const token = await idp.mint(keyA, { exp: Math.floor(Date.now() / 1000) + 2 });
    const first = await verifier.verify(token);
    const again = await verifier.verify(token);
    expect(first).toMatchObject({ ok: true });
    expect(again.ok && first.ok && again.principal).toBe(first.ok && first.principal);
    expect(Object.isFrozen(first.ok && first.principal)).toBe(true);
    // Past its exp the remembered token is checked again, and refused like any expired one.
    await sleep(Math.max(0, (Math.floor(Date.now() / 1000) + 3) * 1000 - Date.now()));
    expect(await verifier.verify(token)).toMatchObject({ ok: false, reason: 'EXPIRED' });
  });

  it('remembers nothing that did not verify', async () => {
    const verifier = verifierFor(idp.issuer());
    await verifier.whenReady();
    const token = await idp.mint(keyA);
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`;
    expect(await verifier.verify(forged)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(await verifier.verify(forged)).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(await verifier.verify(token)).toMatchObject({ ok: true });
  });

  it('keeps verifying with the cached keys while the identity provider is down', async () => {
    const verifier = verifierFor(idp.issuer(), { refreshIntervalMs: 100 });
    await verifier.whenReady();
    idp.available = false;
    await sleep(350);
    expect(await verifier.verify(await idp.mint(keyA))).toMatchObject({ ok: true });
    // A key it has never seen cannot be checked while the key set is unreachable: not the caller's fault.
    await expect(verifier.verify(await idp.mint(keyB))).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });
});
