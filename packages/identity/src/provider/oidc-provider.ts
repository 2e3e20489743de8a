import { errors, Provider, type Account, type ClientMetadata, type Grant, type IssuedToken, type KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from '@simpul/service-kit';
import { providerJwks, SIGNING_ALG, type KeyFile } from '../keys/key-store';
import type { Realm, RealmClient, RealmUser } from '../realm/realm-file';
import {
  audienceClaim,
  serviceAccountAccessTokenClaims,
  tokenScope,
  userAccessTokenClaims,
  userProfileClaims,
} from './keycloak-claims';
import { KEYCLOAK_ROUTES } from './keycloak-routes';
import { redirectUriMatches } from './redirect-uris';
import { htmlPage, escapeHtml } from '../login/html';
import type { MemoryStore } from './memory-store';

/**
 * The one resource server of the realm: the gateway. Every access token is issued for it (as a
 * JWT); its `aud` comes from the client's audience mappers (`simpul-gateway`).
 */
export const GATEWAY_RESOURCE = 'urn:simpul:resource-server:gateway';
const RESOURCE_SCOPE = 'openid profile email';

export function realmMountPath(realm: Realm): string {
  return `/realms/${realm.name}`;
}

export function loginPath(realm: Realm, uid: string): string {
  return `${realmMountPath(realm)}/login-actions/authenticate/${encodeURIComponent(uid)}`;
}

function clientMetadata(client: RealmClient): ClientMetadata {
  const grantTypes = [
    ...(client.standardFlowEnabled ? ['authorization_code', 'refresh_token'] : []),
    ...(client.serviceAccountsEnabled && !client.publicClient ? ['client_credentials'] : []),
  ];
  return {
    client_id: client.clientId,
    ...(client.name ? { client_name: client.name } : {}),
    ...(client.publicClient ? { token_endpoint_auth_method: 'none' } : { client_secret: client.secret, token_endpoint_auth_method: 'client_secret_basic' }),
    grant_types: grantTypes,
    response_types: client.standardFlowEnabled ? ['code'] : [],
    redirect_uris: client.standardFlowEnabled ? client.redirectUris : [],
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    application_type: 'web',
  };
}

export interface ProviderInput {
  realm: Realm;
  keys: KeyFile;
  issuer: string;
  store: MemoryStore;
  logger: Logger;
}

/** An oidc-provider instance configured from the realm export: clients, users, roles, mappers, lifespans. */
export function createOidcProvider({ realm, keys, issuer, store, logger }: ProviderInput): Provider {
  const clients = new Map(realm.clients.filter((client) => client.enabled).map((client) => [client.clientId, client]));
  const usersById = new Map(realm.users.map((user) => [user.id, user]));
  const clientOf = (clientId: string): RealmClient => {
    const client = clients.get(clientId);
    if (!client) throw new Error(`client ${clientId} is not in the realm`);
    return client;
  };
  const lifespanOf = (clientId: string | undefined) => (clientId ? clients.get(clientId)?.accessTokenLifespan : undefined) ?? realm.accessTokenLifespan;

  const account = (user: RealmUser): Account => ({
    accountId: user.id,
    claims: (use) => userProfileClaims(undefined, user, use === 'id_token' ? 'idToken' : 'userinfo'),
  });

  const configuration = {
    adapter: store.adapter(),
    clients: [...clients.values()].map(clientMetadata),
    responseTypes: ['code', 'none'],
    jwks: providerJwks(keys),
    cookies: { keys: keys.cookieKeys },
    routes: KEYCLOAK_ROUTES,
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    clientDefaults: { id_token_signed_response_alg: SIGNING_ALG, grant_types: ['authorization_code'], response_types: ['code'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = htmlPage(
            'Keluar · Sign out',
            `${form}<p>Keluar dari Simpul? · Sign out of Simpul?</p><button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Keluar · Sign out</button>`,
          );
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = htmlPage('Keluar · Signed out', '<p>Anda telah keluar. · You are signed out.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => GATEWAY_RESOURCE,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: KoaContextWithOIDC, indicator: string, client: { clientId: string }) => {
          if (indicator !== GATEWAY_RESOURCE) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          const audience = clientOf(client.clientId).audiences[0];
          return {
            scope: RESOURCE_SCOPE,
            ...(audience ? { audience } : {}),
            accessTokenTTL: lifespanOf(client.clientId),
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    pkce: {
      // Keycloak: PKCE is required when the client's pkce.code.challenge.method is set; public clients always.
      required: (_ctx: KoaContextWithOIDC, client: { clientId: string; clientAuthMethod: string }) =>
        client.clientAuthMethod === 'none' || Boolean(clients.get(client.clientId)?.pkceMethod),
    },
    findAccount: async (_ctx: KoaContextWithOIDC, id: string) => {
      const user = usersById.get(id);
      return user?.enabled ? account(user) : undefined;
    },
    // Realm clients are first party (Keycloak's consentRequired: false): grant what they ask, never prompt.
    loadExistingGrant: async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
      const { oidc } = ctx;
      const accountId = oidc.session.accountId;
      const clientId = oidc.client?.clientId;
      if (!accountId || !clientId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
      const grant = (grantId ? await oidc.provider.Grant.find(grantId) : undefined) ?? new oidc.provider.Grant({ accountId, clientId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      for (const [indicator, server] of Object.entries(oidc.resourceServers)) {
        grant.addResourceScope(indicator, server.scope ?? RESOURCE_SCOPE);
      }
      await grant.save();
      return grant;
    },
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => loginPath(realm, interaction.uid),
    },
    issueRefreshToken: async (_ctx: KoaContextWithOIDC, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    extraTokenClaims: async (_ctx: KoaContextWithOIDC, token: IssuedToken) => {
      const client = clientOf(token.clientId);
      if (token.accountId) {
        const user = usersById.get(token.accountId);
        return user ? userAccessTokenClaims(realm, client, user, token.sid) : undefined;
      }
      return serviceAccountAccessTokenClaims(realm, client);
    },
    formats: {
      customizers: {
        // The registered claims as Keycloak writes them (oidc-provider's RFC 9068 defaults differ).
        jwt: async (_ctx: KoaContextWithOIDC, token: IssuedToken & { scopes?: Set<string> }, jwt: { header?: Record<string, unknown>; payload: Record<string, unknown> }) => {
          const client = clientOf(token.clientId);
          jwt.header = { ...jwt.header, typ: 'JWT' };
          const audience = audienceClaim(client);
          if (audience) jwt.payload.aud = audience;
          jwt.payload.scope = tokenScope(token.scope?.split(' ') ?? []);
          if (token.accountId) {
            delete jwt.payload.client_id;
          } else {
            // Client credentials: the subject is the client's service-account user.
            const serviceAccount = realm.serviceAccounts.get(client.clientId);
            if (serviceAccount) jwt.payload.sub = serviceAccount.id;
          }
        },
      },
    },
    ttl: {
      AccessToken: (_ctx: unknown, _token: unknown, client: { clientId: string }) => lifespanOf(client?.clientId),
      ClientCredentials: (_ctx: unknown, _token: unknown, client: { clientId: string }) => lifespanOf(client?.clientId),
      IdToken: (_ctx: unknown, _token: unknown, client: { clientId: string }) => lifespanOf(client?.clientId),
      AuthorizationCode: 60,
      Interaction: 30 * 60,
      Session: 10 * 60 * 60,
      Grant: 10 * 60 * 60,
      RefreshToken: 30 * 60,
    },
    clientBasedCORS: (_ctx: unknown, origin: string, client: { clientId: string }) => {
      const origins = clients.get(client.clientId)?.webOrigins ?? [];
      return origins.includes('*') || origins.includes(origin);
    },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = htmlPage(
        'Kesalahan · Error',
        `<h1>Permintaan tidak dapat diproses · The request cannot be processed</h1>${Object.entries(out)
          .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(String(value))}</p>`)
          .join('')}`,
      );
    },
  };

  const provider = new Provider(issuer, configuration);

  // Keycloak accepts `*`-terminated redirect URIs; oidc-provider only exact ones.
  const { redirectUriAllowed, postLogoutRedirectUriAllowed } = provider.Client.prototype;
  provider.Client.prototype.redirectUriAllowed = function (this: { clientId: string }, value: string) {
    return redirectUriAllowed.call(this, value) || redirectUriMatches(clients.get(this.clientId)?.redirectUris ?? [], value);
  };
  provider.Client.prototype.postLogoutRedirectUriAllowed = function (this: { clientId: string }, value: string) {
    return postLogoutRedirectUriAllowed.call(this, value) || redirectUriMatches(clients.get(this.clientId)?.postLogoutRedirectUris ?? [], value);
  };

  provider.on('server_error', (_ctx, error) => logger.error({ err: error }, 'identity provider error'));
  for (const event of ['grant.error', 'authorization.error', 'end_session.error', 'userinfo.error']) {
    provider.on(event, (_ctx, error) => logger.debug({ err: error, event }, 'request refused'));
  }
  return provider;
}
