import { createHash, randomBytes } from 'node:crypto';
import { loadRealm, loginWithPassword, DemoTokenError } from '../src';
import { form, location, startTestIdentity, TestBrowser, verifyWithJwks } from './identity-fixture';

const REDIRECT_URI = 'http://127.0.0.1:4000/console/callback';
const realm = loadRealm();
const warga = realm.users.find((user) => user.username === 'warga');

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('authorization code + PKCE for mpp-console', () => {
  let idp: Awaited<ReturnType<typeof startTestIdentity>>;

  beforeAll(async () => {
    idp = await startTestIdentity();
  });
  afterAll(() => idp.cleanup());

  function authorizeUrl(params: Record<string, string>): string {
    const url = new URL(`${idp.issuer}/protocol/openid-connect/auth`);
    url.search = new URLSearchParams({ client_id: 'mpp-console', response_type: 'code', redirect_uri: REDIRECT_URI, scope: 'openid', ...params }).toString();
    return url.href;
  }

  async function token(values: Record<string, string>): Promise<Response> {
    return fetch(`${idp.issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ client_id: 'mpp-console', ...values }),
    });
  }

  it('signs petugas in through the login form and issues an officer token for azp mpp-console', async () => {
    const browser = new TestBrowser();
    const { verifier, challenge } = pkce();
    const state = randomBytes(8).toString('hex');

    const authorize = await browser.request(authorizeUrl({ state, code_challenge: challenge, code_challenge_method: 'S256' }));
    expect(authorize.status).toBe(303);
    const loginPage = location(authorize, idp.issuer);
    expect(loginPage.pathname).toMatch(/^\/realms\/simpul\/login-actions\/authenticate\/[\w-]+$/);

    const formPage = await browser.request(loginPage.href);
    expect(formPage.status).toBe(200);
    expect(await formPage.text()).toContain('name="password"');

    const refused = await browser.request(loginPage.href, { form: { username: 'petugas', password: 'wrong' } });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain('Invalid username or password');

    const accepted = await browser.request(loginPage.href, { form: { username: 'petugas', password: 'demo' } });
    expect(accepted.status).toBe(303);
    const resume = location(accepted, loginPage.href);
    expect(resume.href.startsWith(`${idp.issuer}/protocol/openid-connect/auth/`)).toBe(true);

    const back = location(await browser.request(resume.href), resume.href);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('iss')).toBe(idp.issuer);
    const code = back.searchParams.get('code');
    expect(code).toEqual(expect.any(String));

    const wrongVerifier = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: pkce().verifier });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    const exchanged = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    expect(exchanged.status).toBe(200);
    const tokens = (await exchanged.json()) as { access_token: string; id_token: string; refresh_token: string; token_type: string };
    expect(tokens.token_type).toBe('Bearer');

    const petugas = realm.users.find((user) => user.username === 'petugas');
    const { payload, protectedHeader } = await verifyWithJwks(idp.issuer, tokens.access_token);
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: idp.signingKeys().activeKid });
    expect(payload).toMatchObject({
      iss: idp.issuer,
      sub: petugas?.id,
      aud: 'simpul-gateway',
      azp: 'mpp-console',
      typ: 'Bearer',
      preferred_username: 'petugas',
      scope: 'openid profile email',
    });
    expect((payload.realm_access as { roles: string[] }).roles).toContain('officer');
    expect((payload.realm_access as { roles: string[] }).roles).not.toContain('admin');
    expect(payload).not.toHaveProperty('nik');
    expect(payload).not.toHaveProperty('client_id');

    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(refreshed.status).toBe(200);
    const renewed = await verifyWithJwks(idp.issuer, ((await refreshed.json()) as { access_token: string }).access_token);
    expect(renewed.payload).toMatchObject({ sub: petugas?.id, azp: 'mpp-console', preferred_username: 'petugas' });

    const userinfo = await fetch(`${idp.issuer}/protocol/openid-connect/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: petugas?.id, preferred_username: 'petugas', email: 'petugas@simpul.example' });

    // The code is single use; presenting it again revokes what it was exchanged for.
    const replay = await token({ grant_type: 'authorization_code', code: code!, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    const afterReplay = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
    expect(afterReplay.status).toBe(400);
  });

  it('requires PKCE from the console', async () => {
    const response = await new TestBrowser().request(authorizeUrl({ state: 's' }));
    const back = location(response, idp.issuer);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('never redirects to a URI the client did not register', async () => {
    const { challenge } = pkce();
    const response = await new TestBrowser().request(
      authorizeUrl({ redirect_uri: 'http://127.0.0.1:4666/steal', code_challenge: challenge, code_challenge_method: 'S256' }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it("puts warga's NIK in the token (the console's nik mapper)", async () => {
    const tokens = await loginWithPassword({ issuer: idp.issuer, username: 'warga', password: 'demo' });
    const { payload } = await verifyWithJwks(idp.issuer, tokens.access_token);

    expect(payload.nik).toBe(warga?.attributes.nik?.[0]);
    expect(payload.nik).toMatch(/^\d{16}$/);
    expect(payload).toMatchObject({ preferred_username: 'warga', azp: 'mpp-console' });
    expect((payload.realm_access as { roles: string[] }).roles).toContain('citizen');
  });

  it("uses the seeded world's citizen NIK when told to", async () => {
    const seeded = await startTestIdentity({ demoCitizenNik: '3271041206890001' });
    try {
      const tokens = await loginWithPassword({ issuer: seeded.issuer, username: 'warga', password: 'demo' });
      expect((await verifyWithJwks(seeded.issuer, tokens.access_token)).payload.nik).toBe('3271041206890001');
    } finally {
      await seeded.cleanup();
    }
  });

  it('refuses a wrong password in the login helper', async () => {
    await expect(loginWithPassword({ issuer: idp.issuer, username: 'petugas', password: 'nope' })).rejects.toThrow(DemoTokenError);
  });

  it('lets supervisor in with both supervisor and officer roles', async () => {
    const tokens = await loginWithPassword({ issuer: idp.issuer, username: 'supervisor', password: 'demo' });
    const { payload } = await verifyWithJwks(idp.issuer, tokens.access_token);
    expect((payload.realm_access as { roles: string[] }).roles).toEqual(expect.arrayContaining(['supervisor', 'officer']));
  });
});
