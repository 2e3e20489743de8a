import { decodeProtectedHeader } from 'jose';
import { DEMO_CREDENTIALS, fetchClientCredentialsToken, loadRealm } from '../src';
import { basic, form, startTestIdentity, verifyWithJwks } from './identity-fixture';

const realm = loadRealm();
const dukcapil = DEMO_CREDENTIALS.clients.find((client) => client.clientId === 'agency-dukcapil');
if (!dukcapil) throw new Error('agency-dukcapil missing from the demo credentials');

describe('client credentials grant', () => {
  let idp: Awaited<ReturnType<typeof startTestIdentity>>;
  let tokenEndpoint: string;

  beforeAll(async () => {
    idp = await startTestIdentity();
    tokenEndpoint = `${idp.issuer}/protocol/openid-connect/token`;
  });
  afterAll(() => idp.cleanup());

  it('issues agency-dukcapil a JWT with the claims Keycloak issues, verifiable against the JWKS', async () => {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basic(dukcapil.clientId, dukcapil.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(300);

    const { payload, protectedHeader } = await verifyWithJwks(idp.issuer, body.access_token);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: idp.signingKeys().activeKid });
    expect(payload).toMatchObject({
      iss: idp.issuer,
      aud: 'simpul-gateway',
      azp: 'agency-dukcapil',
      client_id: 'agency-dukcapil',
      typ: 'Bearer',
      sub: realm.serviceAccounts.get('agency-dukcapil')?.id,
      preferred_username: 'service-account-agency-dukcapil',
      scope: 'profile email',
    });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.exp! - payload.iat!).toBe(300);
    const roles = (payload.realm_access as { roles: string[] }).roles;
    expect(roles).toEqual(expect.arrayContaining(['agency:dukcapil', 'participant:dukcapil']));
    expect(roles).not.toContain('officer');
    expect(payload).not.toHaveProperty('nik');
  });

  it('accepts the secret in the form body too (client_secret_post)', async () => {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials', client_id: dukcapil.clientId, client_secret: dukcapil.clientSecret }),
    });
    expect(response.status).toBe(200);
  });

  it('answers a wrong secret with 401 invalid_client', async () => {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basic(dukcapil.clientId, 'not-the-secret'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers an unknown client with 401 invalid_client', async () => {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { authorization: basic('agency-nowhere', 'x'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses client credentials to the public console client', async () => {
    const response = await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials', client_id: 'mpp-console' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
  });

  it('keeps user info to user tokens: a client token lacks the openid scope, no token is refused', async () => {
    const token = await fetchClientCredentialsToken({ issuer: idp.issuer, clientId: dukcapil.clientId, clientSecret: dukcapil.clientSecret });
    const userinfo = `${idp.issuer}/protocol/openid-connect/userinfo`;

    const withClientToken = await fetch(userinfo, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(withClientToken.status).toBe(403);
    expect(await withClientToken.json()).toMatchObject({ error: 'insufficient_scope' });

    const withoutToken = await fetch(userinfo);
    expect(withoutToken.status).toBe(401);
    expect(withoutToken.headers.get('www-authenticate')).toMatch(/^Bearer realm="simpul"/);
  });

  it.each(DEMO_CREDENTIALS.clients.map((client) => [client.clientId, client] as const))(
    'gives %s a token with its service account roles',
    async (_clientId, client) => {
      const token = await fetchClientCredentialsToken({ issuer: idp.issuer, clientId: client.clientId, clientSecret: client.clientSecret });
      const { payload } = await verifyWithJwks(idp.issuer, token.access_token);
      expect(payload.azp).toBe(client.clientId);
      expect((payload.realm_access as { roles: string[] }).roles).toEqual(expect.arrayContaining(client.roles));
      expect(decodeProtectedHeader(token.access_token).kid).toBe(idp.signingKeys().activeKid);
    },
  );
});
