import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@simpul/service-kit';
import type { KeyFile } from '../keys/key-store';
import type { RealmClient, RealmRole, RealmUser } from '../realm/realm-file';
import { AccessTokenError, verifyOwnAccessToken } from '../userinfo/access-token-verifier';
import { RealmAdmin, RealmAdminError } from './realm-admin';

/**
 * The subset of Keycloak's Admin REST API (`/admin/realms/{realm}/…`) the participant registry
 * uses, answered as Keycloak 26 answers it, so the registry's code runs unchanged against Keycloak:
 *
 *   POST /clients · GET /clients[?clientId=] · GET|PUT /clients/{id}
 *   GET|POST /clients/{id}/client-secret · GET /clients/{id}/service-account-user
 *   POST /roles · GET /roles/{name} · POST /users/{id}/role-mappings/realm
 *
 * Callers authenticate with an access token of this realm whose `resource_access.realm-management`
 * roles allow the operation (manage-clients / view-clients, manage-realm / view-realm, manage-users),
 * as Keycloak checks them; `realm-admin` allows everything.
 */
export const REALM_MANAGEMENT_CLIENT = 'realm-management';

const MAX_BODY_BYTES = 64 * 1024;

type Permission = 'manage-clients' | 'view-clients' | 'manage-realm' | 'view-realm' | 'manage-users';
/** A `view-` permission is also given by its `manage-` role, as in Keycloak. */
const IMPLIED_BY: Record<Permission, Permission[]> = {
  'manage-clients': [],
  'view-clients': ['manage-clients'],
  'manage-realm': [],
  'view-realm': ['manage-realm'],
  'manage-users': [],
};

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, { 'cache-control': 'no-store', ...headers });
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RealmAdminError(400, 'Request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RealmAdminError(400, 'Request body is not JSON');
  }
}

function clientRepresentation(client: RealmClient): Record<string, unknown> {
  return {
    id: client.id,
    clientId: client.clientId,
    ...(client.name ? { name: client.name } : {}),
    enabled: client.enabled,
    protocol: 'openid-connect',
    publicClient: client.publicClient,
    bearerOnly: false,
    clientAuthenticatorType: 'client-secret',
    ...(client.secret ? { secret: client.secret } : {}),
    standardFlowEnabled: client.standardFlowEnabled,
    serviceAccountsEnabled: client.serviceAccountsEnabled,
    redirectUris: client.redirectUris,
    webOrigins: client.webOrigins,
  };
}

function userRepresentation(user: RealmUser): Record<string, unknown> {
  return { id: user.id, username: user.username, enabled: user.enabled, emailVerified: user.emailVerified, ...(user.serviceAccountClientId ? { serviceAccountClientId: user.serviceAccountClientId } : {}) };
}

function roleRepresentation(role: RealmRole, realmName: string): Record<string, unknown> {
  return { id: role.name, name: role.name, ...(role.description ? { description: role.description } : {}), composite: role.composites.length > 0, clientRole: false, containerId: realmName };
}

export interface AdminRoutesInput {
  admin: RealmAdmin;
  /** `/admin/realms/<realm>` */
  mount: string;
  issuer: () => string;
  keys: () => KeyFile;
  /** Where the server is reached (Location headers). */
  origin: () => string;
  logger: Logger;
}

/** The handler of every path under `mount`, or undefined when the path is not the API's. */
export function createAdminRoutes(input: AdminRoutesInput) {
  const { admin, mount } = input;

  const authorize = (req: IncomingMessage, permission: Permission): void => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AdminHttpError(401, { error: 'HTTP 401 Unauthorized' });
    let claims: Record<string, unknown>;
    try {
      claims = verifyOwnAccessToken(match[1]!, input.keys(), input.issuer());
    } catch (error) {
      if (error instanceof AccessTokenError) throw new AdminHttpError(401, { error: 'HTTP 401 Unauthorized' });
      throw error;
    }
    const access = (claims.resource_access as Record<string, { roles?: unknown }> | undefined)?.[REALM_MANAGEMENT_CLIENT]?.roles;
    const roles = Array.isArray(access) ? access.filter((role): role is string => typeof role === 'string') : [];
    const allowed = roles.includes('realm-admin') || roles.includes(permission) || IMPLIED_BY[permission].some((role) => roles.includes(role));
    if (!allowed) throw new AdminHttpError(403, { error: 'HTTP 403 Forbidden' });
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> => {
    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const [collection, id, sub, sub2] = parts;
    const location = (suffix: string) => `${input.origin()}${mount}/${suffix}`;

    if (collection === 'clients' && id === undefined) {
      if (method === 'GET') {
        authorize(req, 'view-clients');
        return send(res, 200, admin.clients(query.get('clientId') ?? undefined).map(clientRepresentation));
      }
      if (method === 'POST') {
        authorize(req, 'manage-clients');
        const client = admin.createClient(await readJson(req));
        input.logger.info({ clientId: client.clientId }, 'client created through the admin API');
        return send(res, 201, undefined, { location: location(`clients/${client.id}`) });
      }
    }
    if (collection === 'clients' && id !== undefined) {
      if (sub === undefined && method === 'GET') {
        authorize(req, 'view-clients');
        return send(res, 200, clientRepresentation(admin.client(id)));
      }
      if (sub === undefined && method === 'PUT') {
        authorize(req, 'manage-clients');
        admin.updateClient(id, await readJson(req));
        input.logger.info({ clientId: admin.client(id).clientId, enabled: admin.client(id).enabled }, 'client updated through the admin API');
        return send(res, 204);
      }
      if (sub === 'client-secret' && sub2 === undefined && method === 'GET') {
        authorize(req, 'view-clients');
        return send(res, 200, { type: 'secret', value: admin.client(id).secret ?? null });
      }
      if (sub === 'client-secret' && sub2 === undefined && method === 'POST') {
        authorize(req, 'manage-clients');
        const value = admin.regenerateSecret(id);
        input.logger.info({ clientId: admin.client(id).clientId }, 'client secret regenerated through the admin API');
        return send(res, 200, { type: 'secret', value });
      }
      if (sub === 'service-account-user' && sub2 === undefined && method === 'GET') {
        authorize(req, 'view-clients');
        return send(res, 200, userRepresentation(admin.serviceAccountUser(id)));
      }
    }
    if (collection === 'roles') {
      if (id === undefined && method === 'POST') {
        authorize(req, 'manage-realm');
        const role = admin.createRole(await readJson(req));
        return send(res, 201, undefined, { location: location(`roles/${encodeURIComponent(role.name)}`) });
      }
      if (id !== undefined && sub === undefined && method === 'GET') {
        authorize(req, 'view-realm');
        return send(res, 200, roleRepresentation(admin.role(id), admin.realm.name));
      }
    }
    if (collection === 'users' && id !== undefined && sub === 'role-mappings' && sub2 === 'realm' && method === 'POST') {
      authorize(req, 'manage-users');
      const body = await readJson(req);
      if (!Array.isArray(body) || !body.every((role) => role && typeof role === 'object' && typeof (role as { name?: unknown }).name === 'string')) {
        throw new RealmAdminError(400, 'Expected a list of role representations with names');
      }
      admin.addRealmRoles(id, body.map((role) => (role as { name: string }).name));
      return send(res, 204);
    }
    return send(res, 404, { error: 'HTTP 404 Not Found' });
  };

  return async (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> => {
    try {
      await route(req, res, path, query);
    } catch (error) {
      if (error instanceof AdminHttpError) return send(res, error.status, error.body);
      // Keycloak's shapes: `errorMessage` for conflicts and validation, `error` for a missing resource.
      if (error instanceof RealmAdminError) return send(res, error.status, error.status === 404 ? { error: error.message } : { errorMessage: error.message });
      throw error;
    }
  };
}

class AdminHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`admin API ${status}`);
  }
}
