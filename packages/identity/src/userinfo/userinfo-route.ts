import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyFile } from '../keys/key-store';
import { userProfileClaims } from '../provider/keycloak-claims';
import type { Realm } from '../realm/realm-file';
import { AccessTokenError, verifyOwnAccessToken } from './access-token-verifier';

export interface UserinfoRouteOptions {
  realm: Realm;
  issuer: () => string;
  keys: () => KeyFile;
}

function refuse(res: ServerResponse, realm: Realm, status: 401 | 403, error: string, description: string): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'www-authenticate': `Bearer realm="${realm.name}", error="${error}", error_description="${description.replace(/"/g, "'")}"`,
  });
  res.end(JSON.stringify({ error, error_description: description }));
}

/**
 * `/protocol/openid-connect/userinfo` for this IdP's JWT access tokens, as Keycloak answers it:
 * the token's user, with the claims the client's mappers put in user info.
 */
export function createUserinfoRoute({ realm, issuer, keys }: UserinfoRouteOptions) {
  const anyClientOrigins = new Set(realm.clients.flatMap((client) => client.webOrigins));
  return (req: IncomingMessage, res: ServerResponse): void => {
    const origin = req.headers.origin;
    if (req.method === 'OPTIONS') {
      // Preflight: the client is unknown until the token is read; the answer below checks its origins.
      const allowed = origin !== undefined && (anyClientOrigins.has(origin) || anyClientOrigins.has('*'));
      res.writeHead(204, {
        ...(allowed ? { 'access-control-allow-origin': origin, 'access-control-allow-headers': 'authorization', 'access-control-allow-methods': 'GET, POST', vary: 'origin' } : {}),
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' });
      res.end();
      return;
    }
    const authorization = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) return refuse(res, realm, 401, 'invalid_request', 'missing bearer token');
    let claims: Record<string, unknown>;
    try {
      claims = verifyOwnAccessToken(match[1], keys(), issuer());
    } catch (error) {
      if (error instanceof AccessTokenError) return refuse(res, realm, 401, 'invalid_token', `token verification failed: ${error.message}`);
      throw error;
    }
    if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes('openid')) {
      return refuse(res, realm, 403, 'insufficient_scope', 'missing openid scope');
    }
    const user = realm.users.find((candidate) => candidate.id === claims.sub);
    if (!user?.enabled) return refuse(res, realm, 401, 'invalid_token', 'user not found or disabled');
    const client = realm.clients.find((candidate) => candidate.clientId === claims.azp);
    const corsAllowed = origin !== undefined && client !== undefined && (client.webOrigins.includes(origin) || client.webOrigins.includes('*'));
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...(corsAllowed ? { 'access-control-allow-origin': origin, vary: 'origin' } : {}),
    });
    res.end(JSON.stringify(userProfileClaims(client, user, 'userinfo')));
  };
}
