import { ClientCredentialsError, createClientCredentialsTokenSource } from '@simpul/service-kit';
import { DEMO_CREDENTIALS } from '../src';
import { realmVariant, startTestIdentity, temporaryDir, verifyWithJwks } from './identity-fixture';

// @simpul/service-kit's token source (what KUA, the police and the banks call the gateway with)
// against the real embedded IdP.

const kua = DEMO_CREDENTIALS.clients.find((client) => client.clientId === 'agency-religious-affairs');
if (!kua) throw new Error('agency-religious-affairs missing from the demo credentials');

describe('createClientCredentialsTokenSource against the embedded IdP', () => {
  let idp: Awaited<ReturnType<typeof startTestIdentity>>;
  const realmDir = temporaryDir();
  let tokenRequests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (String(input).endsWith('/protocol/openid-connect/token')) tokenRequests += 1;
    return fetch(input, init);
  };

  beforeAll(async () => {
    // Tokens that live 60 s, so that "after expiry" is reachable with a test clock.
    idp = await startTestIdentity({ realmPath: realmVariant(realmDir.path, { accessTokenLifespan: 60 }) });
  });
  afterAll(async () => {
    await idp.cleanup();
    realmDir.remove();
  });
  beforeEach(() => {
    tokenRequests = 0;
  });

  it('gets a token the gateway accepts and reuses it while it is valid', async () => {
    const tokens = createClientCredentialsTokenSource({ issuerUrl: idp.issuer, clientId: kua.clientId, clientSecret: kua.clientSecret, fetch: countingFetch });

    const token = await tokens.token();
    const { payload } = await verifyWithJwks(idp.issuer, token);
    expect(payload.azp).toBe('agency-religious-affairs');
    expect(payload.exp! - payload.iat!).toBe(60);

    expect(await tokens.token()).toBe(token);
    expect(tokenRequests).toBe(1);
  });

  it('fetches a new token once the cached one is about to expire', async () => {
    let clock = Date.now();
    const tokens = createClientCredentialsTokenSource({
      issuerUrl: idp.issuer,
      clientId: kua.clientId,
      clientSecret: kua.clientSecret,
      fetch: countingFetch,
      now: () => clock,
      refreshSkewSeconds: 10,
    });

    const first = await tokens.token();
    clock += 49_000;
    expect(await tokens.token()).toBe(first);
    clock += 2_000; // 51 s of 60: inside the 10 s skew
    const second = await tokens.token();

    expect(second).not.toBe(first);
    expect(tokenRequests).toBe(2);
    await expect(verifyWithJwks(idp.issuer, second)).resolves.toBeDefined();
  });

  it('fails with INVALID_CLIENT on a wrong secret', async () => {
    const tokens = createClientCredentialsTokenSource({ issuerUrl: idp.issuer, clientId: kua.clientId, clientSecret: 'wrong' });
    const error = await tokens.token().then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(ClientCredentialsError);
    expect(error).toMatchObject({ code: 'INVALID_CLIENT', transient: false, details: { status: 401, oauthError: 'invalid_client' } });
  });
});
