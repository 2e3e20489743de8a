import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@simpul/service-kit';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyResult } from 'jose';
import { DEFAULT_REALM_PATH, startIdentityServer, type IdentityServer, type IdentityServerOptions } from '../src';

export const silent = createLogger('identity-test', 'silent');

export function temporaryDir(prefix = 'simpul-identity-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A realm file like the real one with some top-level settings changed (e.g. a short token lifespan). */
export function realmVariant(dir: string, changes: Record<string, unknown>): string {
  const path = join(dir, 'realm.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(DEFAULT_REALM_PATH, 'utf8')), ...changes }));
  return path;
}

export async function startTestIdentity(options: Partial<IdentityServerOptions> = {}): Promise<IdentityServer & { dataDir: string; cleanup(): Promise<void> }> {
  const dir = options.dataDir ? undefined : temporaryDir();
  const dataDir = options.dataDir ?? dir!.path;
  const server = await startIdentityServer({ port: 0, logger: silent, ...options, dataDir });
  return Object.assign(server, {
    dataDir,
    async cleanup() {
      await server.stop();
      dir?.remove();
    },
  });
}

export function verifyWithJwks(issuer: string, token: string): Promise<JWTVerifyResult<JWTPayload>> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/protocol/openid-connect/certs`));
  return jwtVerify(token, jwks, { issuer, audience: 'simpul-gateway', algorithms: ['RS256'] });
}

export function form(values: Record<string, string>): string {
  return new URLSearchParams(values).toString();
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** Just enough of a browser for the login flow: cookies of one site, no automatic redirects. */
export class TestBrowser {
  private readonly cookies = new Map<string, string>();

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (init.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body: init.form ? form(init.form) : undefined,
      redirect: 'manual',
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const separator = pair.indexOf('=');
      const value = pair.slice(separator + 1);
      if (value && !/expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.set(pair.slice(0, separator), value);
      else this.cookies.delete(pair.slice(0, separator));
    }
    return response;
  }
}

export function location(response: Response, base: string): URL {
  const value = response.headers.get('location');
  if (!value) throw new Error(`no redirect (status ${response.status})`);
  return new URL(value, base);
}
