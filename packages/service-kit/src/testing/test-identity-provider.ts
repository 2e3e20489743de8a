import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A signing key of the test identity provider. */
export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function createTestKey(kid: string, alg = 'RS256'): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

/**
 * A Keycloak-shaped identity provider for tests: per realm, `/realms/<realm>/.well-known/openid-configuration`
 * and the JWKS at `/realms/<realm>/protocol/openid-connect/certs`, with the published keys settable at
 * any time (rotation) and counters of what was fetched.
 */
export class TestIdentityProvider {
  readonly requests = { discovery: 0, jwks: 0 };
  /** When false every request is answered 503, as by an identity provider that is down. */
  available = true;
  private readonly published = new Map<string, JWK[]>();

  private readonly server: Server = createServer((req, res) => this.handle(req.url ?? '/', res));

  private constructor() {}

  static async start(port = 0): Promise<TestIdentityProvider> {
    const provider = new TestIdentityProvider();
    await new Promise<void>((resolve, reject) => {
      provider.server.once('error', reject);
      provider.server.listen(port, '127.0.0.1', () => resolve());
    });
    return provider;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  issuer(realm = 'simpul'): string {
    return `${this.origin}/realms/${realm}`;
  }

  /** Replaces the realm's published key set. */
  publish(realm: string, keys: TestKey[]): void {
    this.published.set(realm, keys.map((key) => key.publicJwk));
  }

  /** A Keycloak-like access token of the `mpp-console` officer `petugas`, with `claims` overriding. */
  async mint(key: TestKey, claims: JWTPayload = {}, realm = 'simpul'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      iss: this.issuer(realm),
      sub: randomUUID(),
      aud: ['simpul-gateway', 'account'],
      azp: 'mpp-console',
      typ: 'Bearer',
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      scope: 'openid profile',
      realm_access: { roles: ['officer'] },
      preferred_username: 'petugas',
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' }).sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(url: string, res: ServerResponse): void {
    if (!this.available) {
      res.writeHead(503).end();
      return;
    }
    const match = /^\/realms\/([^/]+)\/(\.well-known\/openid-configuration|protocol\/openid-connect\/certs)$/.exec(url);
    const realm = match?.[1];
    if (!realm || !this.published.has(realm)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (match[2] === 'protocol/openid-connect/certs') {
      this.requests.jwks++;
      res.end(JSON.stringify({ keys: this.published.get(realm) }));
      return;
    }
    this.requests.discovery++;
    const issuer = this.issuer(realm);
    res.end(
      JSON.stringify({
        issuer,
        authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${issuer}/protocol/openid-connect/token`,
        jwks_uri: `${issuer}/protocol/openid-connect/certs`,
        id_token_signing_alg_values_supported: ['RS256'],
      }),
    );
  }
}
