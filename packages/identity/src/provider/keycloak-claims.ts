import { effectiveRoles, type Realm, type RealmClient, type RealmUser } from '../realm/realm-file';

/**
 * Access-token and user-info claims shaped as Keycloak issues them for the realm export's clients,
 * users and mappers, so a resource server cannot tell the embedded IdP from Keycloak.
 */

/**
 * Scopes every client of the realm gets by default and that Keycloak lists in `scope`
 * (`roles`, `web-origins`, `acr` and `basic` are default scopes too, kept out of `scope`).
 */
export const DEFAULT_TOKEN_SCOPES = ['profile', 'email'] as const;

/** `preferred_username` of a client's service-account user, as Keycloak names it. */
export function serviceAccountUsername(clientId: string): string {
  return `service-account-${clientId}`;
}

export function tokenScope(requested: Iterable<string>): string {
  const scopes = new Set(requested);
  return [...(scopes.has('openid') ? ['openid'] : []), ...DEFAULT_TOKEN_SCOPES].join(' ');
}

/** `aud` as Keycloak writes it: a string for one audience, an array for several. */
export function audienceClaim(client: RealmClient): string | string[] | undefined {
  if (client.audiences.length === 0) return undefined;
  return client.audiences.length === 1 ? client.audiences[0] : [...new Set(client.audiences)];
}

function profileClaims(user: RealmUser): Record<string, unknown> {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return {
    preferred_username: user.username,
    email_verified: user.emailVerified,
    ...(name ? { name } : {}),
    ...(user.firstName ? { given_name: user.firstName } : {}),
    ...(user.lastName ? { family_name: user.lastName } : {}),
    ...(user.email ? { email: user.email } : {}),
  };
}

function attributeClaims(client: RealmClient, user: RealmUser, use: 'accessToken' | 'idToken' | 'userinfo'): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const mapper of client.attributeClaims) {
    const value = user.attributes[mapper.attribute]?.[0];
    if (mapper[use] && value !== undefined) claims[mapper.claim] = value;
  }
  return claims;
}

function allowedOrigins(client: RealmClient): Record<string, string[]> {
  return client.webOrigins.length ? { 'allowed-origins': client.webOrigins } : {};
}

/** Keycloak's `resource_access`: the account's client roles, per client (absent when it has none). */
function resourceAccess(user: RealmUser | undefined): Record<string, unknown> {
  const entries = Object.entries(user?.clientRoles ?? {}).filter(([, roles]) => roles.length > 0);
  return entries.length ? { resource_access: Object.fromEntries(entries.map(([client, roles]) => [client, { roles }])) } : {};
}

/** The claims a user's access token carries besides the registered ones (iss, sub, aud, exp, iat, jti, scope). */
export function userAccessTokenClaims(realm: Realm, client: RealmClient, user: RealmUser, sessionId?: string): Record<string, unknown> {
  return {
    typ: 'Bearer',
    azp: client.clientId,
    ...(sessionId ? { sid: sessionId } : {}),
    acr: '1',
    ...allowedOrigins(client),
    realm_access: { roles: effectiveRoles(realm, user.realmRoles) },
    ...profileClaims(user),
    ...attributeClaims(client, user, 'accessToken'),
  };
}

/** The claims of a client-credentials token: its service-account user, and `client_id` (Keycloak's service_account scope). */
export function serviceAccountAccessTokenClaims(realm: Realm, client: RealmClient): Record<string, unknown> {
  const account = realm.serviceAccounts.get(client.clientId);
  return {
    typ: 'Bearer',
    azp: client.clientId,
    acr: '1',
    ...allowedOrigins(client),
    realm_access: { roles: effectiveRoles(realm, account?.realmRoles ?? []) },
    ...resourceAccess(account),
    preferred_username: account?.username ?? serviceAccountUsername(client.clientId),
    email_verified: false,
    client_id: client.clientId,
  };
}

/** ID-token and user-info claims of a user (`sub` is the user's id, as in Keycloak). */
export function userProfileClaims(client: RealmClient | undefined, user: RealmUser, use: 'idToken' | 'userinfo'): Record<string, unknown> {
  return {
    sub: user.id,
    ...profileClaims(user),
    ...(client ? attributeClaims(client, user, use) : {}),
  };
}
