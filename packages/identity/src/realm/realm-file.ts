import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/**
 * The Keycloak realm export both identity providers are configured from: Keycloak imports it
 * (`kc.sh import`), the embedded server reads it. Only the parts the embedded server acts on are
 * modelled; everything else in the export is Keycloak's alone and ignored here.
 */
export const DEFAULT_REALM_PATH = resolve(__dirname, '..', '..', '..', '..', 'infra', 'keycloak', 'simpul-realm.json');

export class RealmFileError extends Error {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(`Realm file ${path} is not usable:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'RealmFileError';
  }
}

const protocolMapperSchema = z.looseObject({
  name: z.string(),
  protocol: z.string().default('openid-connect'),
  protocolMapper: z.string(),
  config: z.record(z.string(), z.string()).default({}),
});

export const clientSchema = z.looseObject({
  id: z.string().optional(),
  clientId: z.string().min(1),
  name: z.string().optional(),
  enabled: z.boolean().default(true),
  publicClient: z.boolean().default(false),
  bearerOnly: z.boolean().default(false),
  secret: z.string().optional(),
  redirectUris: z.array(z.string()).default([]),
  webOrigins: z.array(z.string()).default([]),
  standardFlowEnabled: z.boolean().default(true),
  directAccessGrantsEnabled: z.boolean().default(false),
  serviceAccountsEnabled: z.boolean().default(false),
  protocol: z.string().default('openid-connect'),
  attributes: z.record(z.string(), z.string()).default({}),
  protocolMappers: z.array(protocolMapperSchema).default([]),
});

/** Keycloak's ClientRepresentation, the parts the embedded server reads. */
export type ClientRepresentation = z.infer<typeof clientSchema>;

const credentialSchema = z.looseObject({
  type: z.string(),
  value: z.string().optional(),
  temporary: z.boolean().default(false),
});

const userSchema = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  enabled: z.boolean().default(true),
  email: z.string().optional(),
  emailVerified: z.boolean().default(false),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  attributes: z.record(z.string(), z.array(z.string())).default({}),
  credentials: z.array(credentialSchema).default([]),
  realmRoles: z.array(z.string()).default([]),
  clientRoles: z.record(z.string(), z.array(z.string())).default({}),
  serviceAccountClientId: z.string().optional(),
});

const roleSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  composite: z.boolean().default(false),
  composites: z.looseObject({ realm: z.array(z.string()).optional() }).optional(),
});

const realmSchema = z.looseObject({
  realm: z.string().regex(/^[A-Za-z0-9_-]+$/, 'realm names used in URLs are letters, digits, - and _'),
  enabled: z.boolean().default(true),
  accessTokenLifespan: z.number().int().min(1).default(300),
  roles: z.looseObject({ realm: z.array(roleSchema).default([]) }).default({ realm: [] }),
  defaultRole: z.looseObject({ name: z.string() }).optional(),
  clients: z.array(clientSchema).default([]),
  users: z.array(userSchema).default([]),
});

export interface RealmRole {
  name: string;
  description?: string;
  /** Realm roles this role includes (a Keycloak composite role). */
  composites: string[];
}

/** A claim copied from a user attribute (Keycloak's `oidc-usermodel-attribute-mapper`). */
export interface AttributeClaim {
  attribute: string;
  claim: string;
  accessToken: boolean;
  idToken: boolean;
  userinfo: boolean;
}

export interface RealmClient {
  /** Keycloak's internal id (a UUID), the `{id}` of the Admin REST API's client URLs. */
  id: string;
  clientId: string;
  name?: string;
  enabled: boolean;
  publicClient: boolean;
  secret?: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Origins allowed for CORS (`+` expanded to the redirect URIs' origins). */
  webOrigins: string[];
  standardFlowEnabled: boolean;
  serviceAccountsEnabled: boolean;
  /** `S256` when the client must use PKCE (`attributes["pkce.code.challenge.method"]`). */
  pkceMethod?: string;
  /** Seconds; the client's `access.token.lifespan` attribute, else the realm's. */
  accessTokenLifespan: number;
  /** Audiences added to its access tokens by `oidc-audience-mapper`s. */
  audiences: string[];
  attributeClaims: AttributeClaim[];
}

export interface RealmUser {
  id: string;
  username: string;
  enabled: boolean;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
  attributes: Record<string, string[]>;
  /** The password to log in with (the export's import-only `credentials[].value`). */
  password?: string;
  /** Assigned realm roles, as the export lists them (not expanded). */
  realmRoles: string[];
  /**
   * Client roles by client, e.g. `{ "realm-management": ["manage-clients"] }`: what the Admin REST API
   * lets the account do (Keycloak's `resource_access` claim).
   */
  clientRoles: Record<string, string[]>;
  /** Set on a client's service-account user. */
  serviceAccountClientId?: string;
}

export interface Realm {
  name: string;
  path: string;
  accessTokenLifespan: number;
  roles: Map<string, RealmRole>;
  clients: RealmClient[];
  /** People who log in (service-account users excluded). */
  users: RealmUser[];
  /** Service-account users by client id. */
  serviceAccounts: Map<string, RealmUser>;
}

export function loadRealm(path: string = DEFAULT_REALM_PATH): Realm {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RealmFileError(path, [`cannot read it: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RealmFileError(path, [`not JSON: ${(error as Error).message}`]);
  }
  return parseRealm(json, path);
}

/** A client as the embedded server acts on it, from its representation (the export's, or the Admin REST API's). */
export function clientFromRepresentation(clientRep: ClientRepresentation, realmLifespan: number, problems: string[]): RealmClient {
  const lifespan = Number(clientRep.attributes['access.token.lifespan']);
  return {
    id: clientRep.id ?? clientRep.clientId,
    clientId: clientRep.clientId,
    name: clientRep.name,
    enabled: clientRep.enabled,
    publicClient: clientRep.publicClient,
    secret: clientRep.publicClient ? undefined : clientRep.secret,
    redirectUris: clientRep.redirectUris,
    postLogoutRedirectUris: expandPostLogoutRedirectUris(clientRep.attributes['post.logout.redirect.uris'], clientRep.redirectUris),
    webOrigins: expandWebOrigins(clientRep.webOrigins, clientRep.redirectUris),
    standardFlowEnabled: clientRep.standardFlowEnabled,
    serviceAccountsEnabled: clientRep.serviceAccountsEnabled,
    pkceMethod: clientRep.attributes['pkce.code.challenge.method'] || undefined,
    accessTokenLifespan: Number.isInteger(lifespan) && lifespan > 0 ? lifespan : realmLifespan,
    audiences: clientRep.protocolMappers
      .filter((mapper) => mapper.protocolMapper === 'oidc-audience-mapper' && mapper.config['access.token.claim'] !== 'false')
      .flatMap((mapper) => [mapper.config['included.custom.audience'], mapper.config['included.client.audience']])
      .filter((audience): audience is string => Boolean(audience)),
    attributeClaims: clientRep.protocolMappers
      .filter((mapper) => mapper.protocolMapper === 'oidc-usermodel-attribute-mapper')
      .flatMap((mapper) => {
        const attribute = mapper.config['user.attribute'];
        const claim = mapper.config['claim.name'];
        if (!attribute || !claim) {
          problems.push(`client ${clientRep.clientId}: mapper ${mapper.name} needs user.attribute and claim.name`);
          return [];
        }
        return [
          {
            attribute,
            claim,
            accessToken: mapper.config['access.token.claim'] === 'true',
            idToken: mapper.config['id.token.claim'] === 'true',
            userinfo: mapper.config['userinfo.token.claim'] === 'true',
          },
        ];
      }),
  };
}

export function parseRealm(json: unknown, path = '(inline)'): Realm {
  const parsed = realmSchema.safeParse(json);
  if (!parsed.success) {
    throw new RealmFileError(
      path,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const rep = parsed.data;
  const problems: string[] = [];

  const roles = new Map<string, RealmRole>();
  for (const role of rep.roles.realm) {
    roles.set(role.name, { name: role.name, description: role.description, composites: role.composites?.realm ?? [] });
  }
  for (const role of roles.values()) {
    for (const included of role.composites) if (!roles.has(included)) problems.push(`role ${role.name} includes unknown role ${included}`);
  }

  const clients: RealmClient[] = [];
  const clientIds = new Set<string>();
  for (const clientRep of rep.clients) {
    if (clientRep.protocol !== 'openid-connect' || clientRep.bearerOnly) continue;
    if (clientIds.has(clientRep.clientId)) problems.push(`client ${clientRep.clientId} appears twice`);
    clientIds.add(clientRep.clientId);
    if (!clientRep.publicClient && !clientRep.secret) problems.push(`confidential client ${clientRep.clientId} has no secret`);
    clients.push(clientFromRepresentation(clientRep, rep.accessTokenLifespan, problems));
  }

  const users: RealmUser[] = [];
  const serviceAccounts = new Map<string, RealmUser>();
  const usernames = new Set<string>();
  for (const userRep of rep.users) {
    if (usernames.has(userRep.username)) problems.push(`user ${userRep.username} appears twice`);
    usernames.add(userRep.username);
    for (const role of userRep.realmRoles) if (!roles.has(role)) problems.push(`user ${userRep.username} has unknown role ${role}`);
    const user: RealmUser = {
      id: userRep.id,
      username: userRep.username,
      enabled: userRep.enabled,
      email: userRep.email,
      emailVerified: userRep.emailVerified,
      firstName: userRep.firstName,
      lastName: userRep.lastName,
      attributes: userRep.attributes,
      password: userRep.credentials.find((credential) => credential.type === 'password' && credential.value !== undefined)?.value,
      realmRoles: userRep.realmRoles,
      clientRoles: userRep.clientRoles,
      serviceAccountClientId: userRep.serviceAccountClientId,
    };
    if (user.serviceAccountClientId) {
      if (!clientIds.has(user.serviceAccountClientId)) problems.push(`service account ${user.username} belongs to unknown client ${user.serviceAccountClientId}`);
      serviceAccounts.set(user.serviceAccountClientId, user);
    } else {
      users.push(user);
    }
  }
  for (const client of clients) {
    if (client.serviceAccountsEnabled && !serviceAccounts.has(client.clientId)) {
      problems.push(`client ${client.clientId} has service accounts enabled but no service-account user`);
    }
  }

  if (problems.length) throw new RealmFileError(path, problems);
  return {
    name: rep.realm,
    path,
    accessTokenLifespan: rep.accessTokenLifespan,
    roles,
    clients,
    users,
    serviceAccounts,
  };
}

/**
 * A user's effective realm roles as Keycloak puts them in `realm_access.roles`: the assigned roles
 * and, transitively, the roles composite roles include.
 */
export function effectiveRoles(realm: Realm, assigned: readonly string[]): string[] {
  const result: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    result.push(name);
    for (const included of realm.roles.get(name)?.composites ?? []) visit(included);
  };
  for (const name of assigned) visit(name);
  return result;
}

/** Keycloak's `webOrigins`: `+` means the origins of the redirect URIs, `*` any origin. */
function expandWebOrigins(webOrigins: string[], redirectUris: string[]): string[] {
  const origins = new Set<string>();
  for (const entry of webOrigins) {
    if (entry === '+') {
      for (const uri of redirectUris) {
        const origin = URL.parse(uri)?.origin;
        if (origin && origin !== 'null') origins.add(origin);
      }
    } else {
      origins.add(entry);
    }
  }
  return [...origins];
}

/** Keycloak's `post.logout.redirect.uris` attribute: `##`-separated, `+` meaning the redirect URIs. */
function expandPostLogoutRedirectUris(attribute: string | undefined, redirectUris: string[]): string[] {
  if (!attribute) return [];
  return attribute.split('##').flatMap((entry) => (entry === '+' ? redirectUris : [entry])).filter(Boolean);
}
