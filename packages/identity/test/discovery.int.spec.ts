import { startTestIdentity } from './identity-fixture';

describe('embedded identity provider: Keycloak URL layout', () => {
  let idp: Awaited<ReturnType<typeof startTestIdentity>>;

  beforeAll(async () => {
    idp = await startTestIdentity();
  });
  afterAll(() => idp.cleanup());

  it('has the issuer <origin>/realms/simpul', () => {
    expect(idp.issuer).toBe(`http://127.0.0.1:${idp.port}/realms/simpul`);
    expect(idp.url).toBe(`http://127.0.0.1:${idp.port}`);
  });

  it('serves discovery at <issuer>/.well-known/openid-configuration with Keycloak endpoint paths', async () => {
    const response = await fetch(`${idp.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const discovery = (await response.json()) as Record<string, unknown>;

    expect(discovery).toMatchObject({
      issuer: idp.issuer,
      authorization_endpoint: `${idp.issuer}/protocol/openid-connect/auth`,
      token_endpoint: `${idp.issuer}/protocol/openid-connect/token`,
      jwks_uri: `${idp.issuer}/protocol/openid-connect/certs`,
      userinfo_endpoint: `${idp.issuer}/protocol/openid-connect/userinfo`,
      end_session_endpoint: `${idp.issuer}/protocol/openid-connect/logout`,
    });
    expect(discovery.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']));
    expect(discovery.grant_types_supported).not.toContain('implicit');
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
  });

  it('publishes its RS256 signing key (public parts only) at /protocol/openid-connect/certs', async () => {
    const response = await fetch(`${idp.issuer}/protocol/openid-connect/certs`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };

    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: idp.signingKeys().activeKid });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it("answers Keycloak's realm document and the health checks", async () => {
    const realm = (await (await fetch(idp.issuer)).json()) as Record<string, unknown>;
    expect(realm).toMatchObject({ realm: 'simpul', 'token-service': `${idp.issuer}/protocol/openid-connect` });

    expect((await fetch(`${idp.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${idp.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${idp.url}/realms/other/.well-known/openid-configuration`)).status).toBe(404);
  });

  it('puts an overridden public origin in the issuer', async () => {
    const proxied = await startTestIdentity({ issuerOrigin: 'https://id.mpp.example.go.id/' });
    try {
      expect(proxied.issuer).toBe('https://id.mpp.example.go.id/realms/simpul');
      const discovery = (await (await fetch(`${proxied.url}/realms/simpul/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(discovery.issuer).toBe('https://id.mpp.example.go.id/realms/simpul');
    } finally {
      await proxied.cleanup();
    }
  });
});
