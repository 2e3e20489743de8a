import { SignJWT, importJWK, type JWK } from 'jose';
import {
  INTERNAL_CONTEXT_ISSUER,
  InternalContextError,
  createInternalContextSigner,
  createInternalContextVerifier,
  generateInternalContextKeys,
  graphqlRequestHash,
  parseInternalContextKey,
  publicInternalContextKey,
  signInternalContext,
  verifyInternalContext,
  type Ed25519Jwk,
  type InternalContextClaims,
} from './internal-context';

const OFFICER: InternalContextClaims = {
  subject: 'user-petugas',
  client: 'mpp-console',
  actorType: 'user',
  roles: ['officer'],
  purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
  correlationId: 'req-1',
  audience: 'dukcapil',
};
const NOW = new Date('2026-03-01T08:00:00Z');
const seconds = (s: number) => new Date(NOW.getTime() + s * 1000);

let keys: { publicKey: Ed25519Jwk; privateKey: Ed25519Jwk };
let otherKeys: { publicKey: Ed25519Jwk; privateKey: Ed25519Jwk };

beforeAll(async () => {
  keys = await generateInternalContextKeys();
  otherKeys = await generateInternalContextKeys();
});

async function problemOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof InternalContextError) return error.problem;
    throw error;
  }
  throw new Error('expected the internal context to be refused');
}

/** A token signed with the gateway's key but claims of the test's choosing (what a buggy or hostile signer could make). */
async function rawToken(payload: Record<string, unknown>, header: Record<string, unknown> = {}, key: Ed25519Jwk = keys.privateKey) {
  const iat = Math.floor(NOW.getTime() / 1000);
  return new SignJWT({ azp: 'mpp-console', act: 'user', roles: ['officer'], cid: 'req-1', iss: INTERNAL_CONTEXT_ISSUER, aud: 'dukcapil', sub: 'user-petugas', iat, exp: iat + 60, ...payload })
    .setProtectedHeader({ alg: 'EdDSA', ...header })
    .sign(await importJWK(key as JWK, 'EdDSA'));
}

describe('generateInternalContextKeys', () => {
  it('gives an Ed25519 JWK pair sharing a thumbprint kid, the public one without "d"', () => {
    expect(keys.publicKey).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.stringMatching(/^[\w-]{43}$/), kid: expect.stringMatching(/^[\w-]{43}$/) });
    expect(keys.privateKey).toEqual({ ...keys.publicKey, d: expect.stringMatching(/^[\w-]{43}$/) });
    expect(publicInternalContextKey(JSON.stringify(keys.privateKey))).toEqual(keys.publicKey);
    expect(otherKeys.publicKey.x).not.toBe(keys.publicKey.x);
  });
});

describe('signInternalContext / verifyInternalContext', () => {
  it('round-trips the caller, with the header and claims of the contract', async () => {
    const token = await signInternalContext({ ...OFFICER, roles: ['citizen'], nik: '3510011501900001' }, keys.privateKey, { now: NOW });
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part!, 'base64url').toString('utf8')) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: keys.privateKey.kid });
    expect(payload).toEqual({
      iss: 'simpul-gateway',
      aud: 'dukcapil',
      sub: 'user-petugas',
      azp: 'mpp-console',
      act: 'user',
      roles: ['citizen'],
      purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
      cid: 'req-1',
      nik: '3510011501900001',
      iat: NOW.getTime() / 1000,
      exp: NOW.getTime() / 1000 + 60,
    });
    await expect(verifyInternalContext(token, JSON.stringify(keys.publicKey), 'dukcapil', { now: seconds(30) })).resolves.toEqual({
      subject: 'user-petugas',
      client: 'mpp-console',
      actorType: 'user',
      roles: ['citizen'],
      purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
      correlationId: 'req-1',
      nik: '3510011501900001',
      audience: 'dukcapil',
    });
  });

  it('leaves purpose and nik out when the request has none', async () => {
    const { purpose: _purpose, ...withoutPurpose } = OFFICER;
    const caller = await verifyInternalContext(await signInternalContext(withoutPurpose, keys.privateKey, { now: NOW }), keys.publicKey, 'dukcapil', { now: NOW });
    expect(caller).toEqual({ subject: 'user-petugas', client: 'mpp-console', actorType: 'user', roles: ['officer'], correlationId: 'req-1', audience: 'dukcapil' });
  });

  it("carries an application purpose's parties, and will not sign anything but NIKs there", async () => {
    const bound = { ...OFFICER, purpose: 'application:0193c4b2-7c1e-7d4a-9f3e-2b8c1d0e5f6a', purposeParties: ['3510011501900001', '3510014101920002'] };
    const caller = await verifyInternalContext(await signInternalContext(bound, keys.privateKey, { now: NOW }), keys.publicKey, 'dukcapil', { now: NOW });
    expect(caller.purposeParties).toEqual(['3510011501900001', '3510014101920002']);
    await expect(signInternalContext({ ...bound, purposeParties: ['not-a-nik'] }, keys.privateKey, { now: NOW })).rejects.toThrow(/purposeParties/);
  });

  it('accepts a few seconds of clock skew either way, and nothing beyond', async () => {
    const token = await signInternalContext(OFFICER, keys.privateKey, { now: NOW });
    await expect(verifyInternalContext(token, keys.publicKey, 'dukcapil', { now: seconds(-4) })).resolves.toMatchObject({ subject: 'user-petugas' });
    await expect(verifyInternalContext(token, keys.publicKey, 'dukcapil', { now: seconds(64) })).resolves.toMatchObject({ subject: 'user-petugas' });
    expect(await problemOf(verifyInternalContext(token, keys.publicKey, 'dukcapil', { now: seconds(-10) }))).toBe('CLAIMS');
    expect(await problemOf(verifyInternalContext(token, keys.publicKey, 'dukcapil', { now: seconds(66) }))).toBe('EXPIRED');
  });

  it('refuses a context signed with another key', async () => {
    const token = await signInternalContext(OFFICER, otherKeys.privateKey, { now: NOW });
    expect(await problemOf(verifyInternalContext(token, keys.publicKey, 'dukcapil', { now: NOW }))).toBe('SIGNATURE');
  });

  it('refuses a tampered payload (roles raised after signing)', async () => {
    const [header, payload, signature] = (await signInternalContext(OFFICER, keys.privateKey, { now: NOW })).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const raised = Buffer.from(JSON.stringify({ ...claims, roles: ['officer', 'supervisor', 'agency:dukcapil'] })).toString('base64url');
    expect(await problemOf(verifyInternalContext(`${header}.${raised}.${signature}`, keys.publicKey, 'dukcapil', { now: NOW }))).toBe('SIGNATURE');
  });

  it('refuses another audience or issuer: a context signed for one subgraph opens no other', async () => {
    expect(await problemOf(verifyInternalContext(await signInternalContext({ ...OFFICER, audience: 'tax' }, keys.privateKey, { now: NOW }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
    expect(await problemOf(verifyInternalContext(await rawToken({ aud: 'simpul-gateway' }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
    expect(await problemOf(verifyInternalContext(await rawToken({ aud: 'simpul-subgraph' }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
    expect(await problemOf(verifyInternalContext(await rawToken({ aud: ['other', 'elsewhere'] }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
    expect(await problemOf(verifyInternalContext(await rawToken({ iss: 'https://keycloak.example/realms/simpul' }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
    await expect(verifyInternalContext(await rawToken({}), keys.publicKey, 'dukcapil', { now: NOW })).resolves.toMatchObject({ roles: ['officer'] });
  });

  it('refuses a context that lives longer than 60 s or lacks its times', async () => {
    const iat = NOW.getTime() / 1000;
    expect(await problemOf(verifyInternalContext(await rawToken({ exp: iat + 3600 }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
    expect(await problemOf(verifyInternalContext(await rawToken({ iat: undefined }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
  });

  it('refuses claims of the wrong shape, even correctly signed', async () => {
    for (const payload of [
      { act: 'robot' },
      { roles: 'officer' },
      { roles: [1] },
      { cid: undefined },
      { nik: '12345' },
      { purpose: 'because' },
      { azp: undefined },
    ]) {
      expect([JSON.stringify(payload), await problemOf(verifyInternalContext(await rawToken(payload), keys.publicKey, 'dukcapil', { now: NOW }))]).toEqual([JSON.stringify(payload), 'CLAIMS']);
    }
  });

  it('refuses other algorithms and garbage', async () => {
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url')}.`;
    const hmac = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('0123456789abcdef0123456789abcdef'));
    expect(await problemOf(verifyInternalContext(unsigned, keys.publicKey, 'dukcapil', { now: NOW }))).toBe('MALFORMED');
    expect(await problemOf(verifyInternalContext(hmac, keys.publicKey, 'dukcapil', { now: NOW }))).toBe('MALFORMED');
    expect(await problemOf(verifyInternalContext('not.a.jws', keys.publicKey, 'dukcapil', { now: NOW }))).toBe('MALFORMED');
    expect(await problemOf(verifyInternalContext(undefined, keys.publicKey, 'dukcapil'))).toBe('MISSING');
    expect(await problemOf(verifyInternalContext('', keys.publicKey, 'dukcapil'))).toBe('MISSING');
  });

  it('will not sign claims a verifier would refuse', async () => {
    await expect(signInternalContext({ ...OFFICER, purpose: 'application:42' }, keys.privateKey)).rejects.toThrow(/UUID/);
    await expect(signInternalContext({ ...OFFICER, nik: '35100115' }, keys.privateKey)).rejects.toThrow(/16 digits/);
    await expect(signInternalContext({ ...OFFICER, correlationId: 'has spaces' }, keys.privateKey)).rejects.toThrow(/correlationId/);
  });

  it('reuses one imported key across verifications', async () => {
    const verifier = createInternalContextVerifier(keys.publicKey, { audience: 'dukcapil' });
    const tokens = await Promise.all([1, 2, 3].map((n) => signInternalContext({ ...OFFICER, correlationId: `req-${n}` }, keys.privateKey)));
    await expect(Promise.all(tokens.map((token) => verifier.verify(token)))).resolves.toMatchObject([{ correlationId: 'req-1' }, { correlationId: 'req-2' }, { correlationId: 'req-3' }]);
  });
});

describe('binding a context to its request', () => {
  it('carries the hash of the fetch it was signed for; the audit log verifies contexts of any service and reads their audience', async () => {
    const requestHash = graphqlRequestHash('query($nik:String!){citizen(nik:$nik){fullName}}', { nik: '3510011501900001' });
    const token = await createInternalContextSigner(keys.privateKey).sign({ ...OFFICER, audience: 'tax', requestHash }, { now: NOW });
    const caller = await createInternalContextVerifier(keys.publicKey, { anyAudience: true }).verify(token, { now: NOW });
    expect(caller).toMatchObject({ audience: 'tax', requestHash });
    expect(graphqlRequestHash('query($nik:String!){citizen(nik:$nik){fullName}}', { nik: '3510011501900002' })).not.toBe(requestHash);
    expect(await problemOf(verifyInternalContext(await rawToken({ rqh: 42 }), keys.publicKey, 'dukcapil', { now: NOW }))).toBe('CLAIMS');
  });

  it('signs tokens that jose verifies, as any JOSE library would', async () => {
    const { jwtVerify } = await import('jose');
    const token = await signInternalContext(OFFICER, keys.privateKey);
    const { payload } = await jwtVerify(token, await importJWK(keys.publicKey as JWK, 'EdDSA'), { issuer: INTERNAL_CONTEXT_ISSUER, audience: 'dukcapil', algorithms: ['EdDSA'] });
    expect(payload).toMatchObject({ sub: 'user-petugas', roles: ['officer'] });
  });
});

describe('parseInternalContextKey', () => {
  it('takes JSON or an object, and keeps only the key members', () => {
    expect(parseInternalContextKey(JSON.stringify({ ...keys.publicKey, use: 'sig', alg: 'EdDSA' }), 'public')).toEqual(keys.publicKey);
    expect(parseInternalContextKey(keys.privateKey, 'private')).toEqual(keys.privateKey);
  });

  it('says what is wrong with a bad key', () => {
    expect(() => parseInternalContextKey('{nope', 'public')).toThrow(/not JSON/);
    expect(() => parseInternalContextKey('[]', 'public')).toThrow(/JWK object/);
    expect(() => parseInternalContextKey(JSON.stringify({ kty: 'RSA', n: 'x', e: 'AQAB' }), 'public')).toThrow(/Ed25519/);
    expect(() => parseInternalContextKey(JSON.stringify(keys.privateKey), 'public')).toThrow(/holds a private key/);
    expect(() => parseInternalContextKey(JSON.stringify(keys.publicKey), 'private')).toThrow(/no valid "d"/);
    expect(() => parseInternalContextKey(JSON.stringify({ ...keys.publicKey, x: 'short' }), 'public')).toThrow(/"x"/);
  });
});
