import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Provider } from 'oidc-provider';
import { createLogger, sendMetrics, sendReadiness, type Logger, requestUrl, sendJson } from '@simpul/service-kit';
import { createAdminRoutes } from './admin/admin-routes';
import { RealmAdmin } from './admin/realm-admin';
import { loadOrCreateKeys, rotateSigningKeys, type KeyFile } from './keys/key-store';
import { createLoginRoute } from './login/login-route';
import { MemoryStore } from './provider/memory-store';
import { KEYCLOAK_ROUTES } from './provider/keycloak-routes';
import { createOidcProvider, realmMountPath } from './provider/oidc-provider';
import { DEFAULT_REALM_PATH, loadRealm, type Realm } from './realm/realm-file';
import { createUserinfoRoute } from './userinfo/userinfo-route';

export const DEFAULT_IDENTITY_PORT = 4010;

export interface IdentityServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Default 4010; 0 picks a free port. */
  port?: number;
  /** Where the signing keys live (created on first start). */
  dataDir: string;
  /** The Keycloak realm export to serve (default infra/keycloak/simpul-realm.json). */
  realmPath?: string;
  /**
   * The public origin in the issuer, when clients reach the IdP by another name than
   * http://<host>:<port> (a proxy, a container name). The issuer is `<origin>/realms/<realm>`.
   */
  issuerOrigin?: string;
  /** Honour X-Forwarded-* (behind a reverse proxy that sets them). */
  trustProxy?: boolean;
  /**
   * The NIK of the realm's citizen demo users (role `citizen`), instead of the realm file's: the
   * first sample citizen of the world the stack was seeded with.
   */
  demoCitizenNik?: string;
  logger?: Logger;
}

export interface SigningKeysState {
  /** The key new tokens are signed with. */
  activeKid: string;
  /** Every key in the JWKS (the active one first). */
  publishedKids: string[];
}

export interface IdentityServer {
  /** e.g. http://127.0.0.1:4010/realms/simpul: OIDC_ISSUER_URL of the gateway. */
  issuer: string;
  /** Where the server listens, e.g. http://127.0.0.1:4010. */
  url: string;
  port: number;
  realm: Realm;
  /** The realm as the Admin REST API changes it (clients registered while it runs). */
  admin: RealmAdmin;
  /** Adds a new signing key (it signs from now on); the previous ones stay in the JWKS. */
  rotateKeys(): Promise<SigningKeysState>;
  signingKeys(): SigningKeysState;
  stop(): Promise<void>;
}

function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

function origin(host: string, port: number): string {
  const connect = connectHost(host);
  return `http://${connect.includes(':') && !connect.startsWith('[') ? `[${connect}]` : connect}:${port}`;
}

function withDemoCitizenNik(realm: Realm, nik: string | undefined): Realm {
  if (nik === undefined) return realm;
  if (!/^\d{16}$/.test(nik)) throw new Error(`demoCitizenNik must be 16 digits, got ${JSON.stringify(nik)}`);
  return {
    ...realm,
    users: realm.users.map((user) => (user.realmRoles.includes('citizen') ? { ...user, attributes: { ...user.attributes, nik: [nik] } } : user)),
  };
}

/** JSON never cached (realm documents and errors of an identity provider). */
function sendUncached(res: ServerResponse, status: number, body: unknown): void {
  sendJson(res, status, body, { 'cache-control': 'no-store' });
}

function keysState(keys: KeyFile): SigningKeysState {
  const [active] = keys.signingKeys;
  if (!active) throw new Error('no signing key');
  return { activeKid: active.kid, publishedKids: keys.signingKeys.map((key) => key.kid) };
}

/**
 * The embedded identity provider: an OpenID Connect server (oidc-provider) configured from the
 * Keycloak realm export, answering on Keycloak's URLs (`/realms/<realm>/protocol/openid-connect/…`)
 * with Keycloak-shaped JWT access tokens.
 */
export async function startIdentityServer(options: IdentityServerOptions): Promise<IdentityServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createLogger('identity');
  const realm = withDemoCitizenNik(loadRealm(options.realmPath ?? DEFAULT_REALM_PATH), options.demoCitizenNik);
  const mount = realmMountPath(realm);
  let keys = loadOrCreateKeys(options.dataDir);
  const store = new MemoryStore();
  let provider: Provider | undefined;
  let handleOidc: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  let issuer = '';

  const login = createLoginRoute({
    realm,
    logger,
    provider: () => {
      if (!provider) throw new Error('identity provider not started');
      return provider;
    },
  });
  const userinfo = createUserinfoRoute({ realm, issuer: () => issuer, keys: () => keys });
  // Admin REST API changes (a client created, disabled, re-keyed) take effect for the next token
  // request: the OIDC provider is rebuilt over the changed realm; sessions and grants are in `store`.
  const admin = new RealmAdmin(realm, options.dataDir, () => {
    if (provider) build();
  });
  const adminMount = `/admin${mount}`;
  let url = '';
  const adminRoutes = createAdminRoutes({ admin, mount: adminMount, issuer: () => issuer, keys: () => keys, origin: () => options.issuerOrigin?.replace(/\/+$/, '') ?? url, logger });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsedUrl = requestUrl(req);
    const path = parsedUrl.pathname;
    if (path === '/healthz') return sendUncached(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      return sendReadiness(res, {
        'signing-keys': async () => {
          if (!handleOidc) throw new Error('starting: signing keys not loaded yet');
        },
      });
    }
    if (path === '/metrics' && req.method === 'GET') return sendMetrics(res);
    if (!handleOidc) return sendUncached(res, 503, { error: 'starting' });
    if (path.startsWith(`${adminMount}/`)) return adminRoutes(req, res, path.slice(adminMount.length), parsedUrl.searchParams);
    if (path === mount && (req.method === 'GET' || req.method === 'HEAD')) {
      // Keycloak's realm document (some adapters read it for the token service URL).
      return sendUncached(res, 200, {
        realm: realm.name,
        'token-service': `${issuer}/protocol/openid-connect`,
        'account-service': `${issuer}/account`,
        'tokens-not-before': 0,
      });
    }
    const loginPrefix = `${mount}/login-actions/authenticate/`;
    if (path.startsWith(loginPrefix)) return login(req, res, decodeURIComponent(path.slice(loginPrefix.length)));
    if (path === `${mount}${KEYCLOAK_ROUTES.userinfo}`) return userinfo(req, res);
    if (path.startsWith(`${mount}/`)) {
      // Mounted under the realm path: oidc-provider sees its own paths and builds URLs with the prefix.
      const original = req.url ?? '/';
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
      req.url = original.slice(mount.length) || '/';
      return handleOidc(req, res);
    }
    return sendUncached(res, 404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'identity request failed');
      if (!res.headersSent) sendUncached(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_IDENTITY_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = origin(host, port);
  issuer = `${(options.issuerOrigin ?? url).replace(/\/+$/, '')}${mount}`;

  const build = () => {
    const next = createOidcProvider({ realm, keys, issuer, store, logger });
    next.proxy = options.trustProxy ?? false;
    provider = next;
    handleOidc = next.callback();
  };
  try {
    build();
  } catch (error) {
    server.close();
    throw error;
  }
  logger.info({ issuer, activeKid: keysState(keys).activeKid }, 'identity provider listening');

  return {
    issuer,
    url,
    port,
    realm,
    admin,
    signingKeys: () => keysState(keys),
    async rotateKeys() {
      keys = rotateSigningKeys(options.dataDir);
      build();
      const state = keysState(keys);
      logger.info(state, 'signing keys rotated');
      return state;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
