import { DomainError, type ClientCredentialsTokenSource } from '@simpul/service-kit';

/**
 * A participant's credentials at the identity provider, through Keycloak's Admin REST API
 * (`/admin/realms/{realm}/…`). The embedded IdP of `npm start` answers the same subset
 * (packages/identity/src/admin), so this code runs unchanged against Keycloak in production.
 */
export interface IdentityAdmin {
  /**
   * Creates the participant's confidential client (client credentials only, tokens for the
   * gateway), gives its service account `roles` (created when missing), and returns its secret.
   * Refuses (CONFLICT) a client id or a participant role the realm already has: another
   * institution's identity is never taken over.
   */
  createParticipantClient(input: { clientId: string; name: string; roles: string[]; sharedRoles: string[] }): Promise<{ clientSecret: string }>;
  /** A new secret; the previous one is refused from the next token request. */
  regenerateSecret(clientId: string): Promise<string>;
  /** Enables or disables the client: a disabled client gets no token. */
  setEnabled(clientId: string, enabled: boolean): Promise<void>;
}

/** Every access token the client gets is for the gateway (`aud: simpul-gateway`), as the realm export's clients. */
const GATEWAY_AUDIENCE_MAPPER = {
  name: 'simpul-gateway audience',
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: { 'included.custom.audience': 'simpul-gateway', 'access.token.claim': 'true', 'id.token.claim': 'false', 'introspection.token.claim': 'true' },
};

function unavailable(what: string, status?: number, detail?: string): DomainError {
  return new DomainError('SERVICE_UNAVAILABLE', `The identity provider could not ${what}${status ? ` (HTTP ${status})` : ''}; nothing was changed`, {
    rule: 'IDENTITY_ADMIN',
    ...(detail ? { detail } : {}),
  });
}

export function createKeycloakAdmin(options: { adminUrl: string; tokens: ClientCredentialsTokenSource; timeoutMs?: number }): IdentityAdmin {
  const base = options.adminUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;

  const call = async (what: string, method: string, path: string, body?: unknown): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${await options.tokens.token()}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unavailable(what, undefined, (error as Error).message);
    }
    if (response.status === 401) options.tokens.invalidate();
    return response;
  };
  const json = async <T>(what: string, method: string, path: string, body?: unknown): Promise<T> => {
    const response = await call(what, method, path, body);
    if (!response.ok) throw unavailable(what, response.status);
    return (await response.json()) as T;
  };
  const expect = async (what: string, status: number, method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await call(what, method, path, body);
    if (response.status !== status) throw unavailable(what, response.status);
    return response;
  };
  const clientIdOf = async (clientId: string): Promise<string | undefined> => {
    const found = await json<{ id: string; clientId: string }[]>(`look up client ${clientId}`, 'GET', `/clients?clientId=${encodeURIComponent(clientId)}`);
    return found.find((client) => client.clientId === clientId)?.id;
  };
  const internalIdOf = async (clientId: string): Promise<string> => {
    const id = await clientIdOf(clientId);
    if (!id) throw new DomainError('CONFLICT', `The identity provider has no client ${clientId}`, { rule: 'IDENTITY_CLIENT_MISSING', clientId });
    return id;
  };
  const roleExists = async (name: string): Promise<boolean> => {
    const response = await call(`look up role ${name}`, 'GET', `/roles/${encodeURIComponent(name)}`);
    if (response.status === 404) return false;
    if (!response.ok) throw unavailable(`look up role ${name}`, response.status);
    return true;
  };

  return {
    async createParticipantClient({ clientId, name, roles, sharedRoles }) {
      if (await clientIdOf(clientId)) {
        throw new DomainError('CONFLICT', `The identity provider already has a client ${clientId}`, { rule: 'IDENTITY_CLIENT_EXISTS', clientId });
      }
      for (const role of roles) {
        const shared = sharedRoles.includes(role);
        const exists = await roleExists(role);
        if (exists && !shared) {
          throw new DomainError('CONFLICT', `The realm already has the role ${role}: it belongs to another institution`, { rule: 'IDENTITY_ROLE_EXISTS', role });
        }
        if (!exists && shared) throw unavailable(`find the shared role ${role}`, 404);
      }
      for (const role of roles) {
        if (!sharedRoles.includes(role)) await expect(`create role ${role}`, 201, 'POST', '/roles', { name: role, description: `${name} (participant registry)` });
      }
      const created = await call(`create client ${clientId}`, 'POST', '/clients', {
        clientId,
        name,
        enabled: true,
        protocol: 'openid-connect',
        publicClient: false,
        clientAuthenticatorType: 'client-secret',
        serviceAccountsEnabled: true,
        standardFlowEnabled: false,
        directAccessGrantsEnabled: false,
        implicitFlowEnabled: false,
        protocolMappers: [GATEWAY_AUDIENCE_MAPPER],
      });
      if (created.status === 409) throw new DomainError('CONFLICT', `The identity provider already has a client ${clientId}`, { rule: 'IDENTITY_CLIENT_EXISTS', clientId });
      if (created.status !== 201) throw unavailable(`create client ${clientId}`, created.status);
      const id = created.headers.get('location')?.split('/').pop() ?? (await internalIdOf(clientId));
      const account = await json<{ id: string }>(`find the service account of ${clientId}`, 'GET', `/clients/${encodeURIComponent(id)}/service-account-user`);
      const representations = [];
      for (const role of roles) representations.push(await json<Record<string, unknown>>(`read role ${role}`, 'GET', `/roles/${encodeURIComponent(role)}`));
      await expect(`give ${clientId} its roles`, 204, 'POST', `/users/${encodeURIComponent(account.id)}/role-mappings/realm`, representations);
      const secret = await json<{ value?: string }>(`issue a secret to ${clientId}`, 'POST', `/clients/${encodeURIComponent(id)}/client-secret`);
      if (!secret.value) throw unavailable(`issue a secret to ${clientId}`);
      return { clientSecret: secret.value };
    },

    async regenerateSecret(clientId) {
      const id = await internalIdOf(clientId);
      const secret = await json<{ value?: string }>(`regenerate the secret of ${clientId}`, 'POST', `/clients/${encodeURIComponent(id)}/client-secret`);
      if (!secret.value) throw unavailable(`regenerate the secret of ${clientId}`);
      return secret.value;
    },

    async setEnabled(clientId, enabled) {
      const id = await internalIdOf(clientId);
      // Keycloak's PUT takes the representation; the fields not sent keep their values.
      const current = await json<Record<string, unknown>>(`read client ${clientId}`, 'GET', `/clients/${encodeURIComponent(id)}`);
      await expect(`${enabled ? 'enable' : 'disable'} client ${clientId}`, 204, 'PUT', `/clients/${encodeURIComponent(id)}`, { ...current, enabled });
    },
  };
}
