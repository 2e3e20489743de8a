import { serviceClientId } from '@simpul/service-kit';
import { loadRealm, type Realm } from './realm/realm-file';

/** Who can sign in to the demo realm, and with what: for `npm start`'s banner and for tests. Never for production. */
export interface DemoCredentials {
  users: { username: string; password: string; roles: string[]; nik?: string }[];
  /** Confidential clients (client credentials grant). */
  clients: { clientId: string; clientSecret: string; roles: string[] }[];
  /** The public console client (authorization code + PKCE). */
  console: { clientId: string; redirectUris: string[] };
}

/** Roles Keycloak gives every account (`default-roles-<realm>`), left out of the listing. */
function assignedRoles(realm: Realm, roles: string[]): string[] {
  return roles.filter((role) => role !== `default-roles-${realm.name}`);
}

export function demoCredentials(realm: Realm): DemoCredentials {
  const consoleClient = realm.clients.find((client) => client.publicClient && client.standardFlowEnabled);
  return {
    users: realm.users
      .filter((user) => user.enabled && user.password !== undefined)
      .map((user) => ({
        username: user.username,
        password: user.password ?? '',
        roles: assignedRoles(realm, user.realmRoles),
        ...(user.attributes.nik?.[0] ? { nik: user.attributes.nik[0] } : {}),
      })),
    clients: realm.clients
      .filter((client) => client.enabled && client.serviceAccountsEnabled && client.secret)
      .map((client) => ({
        clientId: client.clientId,
        clientSecret: client.secret ?? '',
        roles: assignedRoles(realm, realm.serviceAccounts.get(client.clientId)?.realmRoles ?? []),
      })),
    console: { clientId: consoleClient?.clientId ?? 'mpp-console', redirectUris: consoleClient?.redirectUris ?? [] },
  };
}

/** The demo credentials of infra/keycloak/simpul-realm.json. */
export const DEMO_CREDENTIALS: DemoCredentials = demoCredentials(loadRealm());

/** The contract lives in service-kit, where the audit log checks records against it. */
export { serviceClientId };

/** The demo credentials of that client (serviceClientId), if the realm has one. */
export function demoServiceClient(subgraph: string, credentials: DemoCredentials = DEMO_CREDENTIALS): DemoCredentials['clients'][number] | undefined {
  return credentials.clients.find((client) => client.clientId === serviceClientId(subgraph));
}

/** Lines for a banner: the issuer, then who can sign in with what. */
export function formatDemoCredentials(credentials: DemoCredentials, issuer: string): string[] {
  return [
    `Identity provider ${issuer} (demo credentials, development only)`,
    `  Users (password; console client ${credentials.console.clientId}, authorization code + PKCE):`,
    ...credentials.users.map(
      (user) => `    ${user.username.padEnd(12)} ${user.password.padEnd(6)} ${user.roles.join(', ')}${user.nik ? ` (NIK ${user.nik})` : ''}`,
    ),
    '  Clients (client credentials: client id / secret):',
    ...credentials.clients.map((client) => `    ${client.clientId.padEnd(26)} ${client.clientSecret.padEnd(40)} ${client.roles.join(', ')}`),
  ];
}
