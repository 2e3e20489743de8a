import { readFileSync } from 'node:fs';
import { effectiveRoles, loadRealm, parseRealm, RealmFileError, DEFAULT_REALM_PATH } from './realm-file';

// The security contract (/work/notes/security-contract.md, ARCHITECTURE.md §6): every client, role and
// demo user the gateway and the agencies rely on must be in the realm export Keycloak imports.

const CONFIDENTIAL_CLIENTS: Record<string, string[]> = {
  'agency-dukcapil': ['agency:dukcapil', 'participant:dukcapil'],
  'agency-licensing': ['agency:licensing', 'participant:licensing'],
  'agency-tax': ['agency:tax', 'participant:tax'],
  'agency-immigration': ['agency:immigration', 'participant:immigration'],
  'agency-police': ['agency:police', 'participant:police'],
  'agency-religious-affairs': ['agency:religious-affairs', 'participant:religious-affairs'],
  'bumn-pln': ['participant:pln'],
  'bumn-bpjs-kesehatan': ['participant:bpjs-kesehatan'],
  'bank-bpd': ['participant:bank-bpd'],
  'integrator-demo': ['integrator'],
  // The applications service's account: the audit records of its own work, and checking with Dukcapil
  // (identity basics, through the gateway) the citizens an application names.
  'simpul-applications': ['agency:mpp'],
  // The participant registry's account: no realm role (it reads nothing through the gateway); its
  // realm-management client roles let it create, disable and re-key participants' clients.
  'simpul-participants': [],
};

const DEMO_USERS: Record<string, string[]> = {
  petugas: ['officer'],
  supervisor: ['supervisor', 'officer'],
  auditor: ['auditor'],
  admin: ['admin'],
  warga: ['citizen'],
};

const REQUIRED_ROLES = ['officer', 'supervisor', 'auditor', 'admin', 'citizen', 'integrator'];

interface RawClient {
  clientId: string;
  publicClient?: boolean;
  secret?: string;
  serviceAccountsEnabled?: boolean;
  standardFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  redirectUris?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: { protocolMapper: string; config: Record<string, string> }[];
}
const raw = JSON.parse(readFileSync(DEFAULT_REALM_PATH, 'utf8')) as {
  realm: string;
  clients: RawClient[];
  users: { username: string; serviceAccountClientId?: string; credentials?: { type: string; value?: string; temporary?: boolean }[] }[];
};

describe('infra/keycloak/simpul-realm.json', () => {
  const realm = loadRealm();

  it('is the simpul realm', () => {
    expect(realm.name).toBe('simpul');
    expect(raw.realm).toBe('simpul');
  });

  // Every participant of the applications service's catalogue has its roles and client: checked in
  // services/applications (catalogue-realm.spec.ts), beside the catalogue.
  it('has the roles of the contract, and those the confidential clients carry', () => {
    const expected = [...REQUIRED_ROLES, ...Object.values(CONFIDENTIAL_CLIENTS).flat()];
    for (const role of expected) expect(realm.roles.has(role) ? role : `missing ${role}`).toBe(role);
  });

  it.each(Object.entries(CONFIDENTIAL_CLIENTS))('has confidential client %s with a service account carrying %j', (clientId, roles) => {
    const client = realm.clients.find((candidate) => candidate.clientId === clientId);
    expect(client).toBeDefined();
    expect(client).toMatchObject({ publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false });
    expect(client?.secret).toEqual(expect.any(String));
    expect(client?.audiences).toContain('simpul-gateway');

    const rep = raw.clients.find((candidate) => candidate.clientId === clientId);
    expect(rep).toMatchObject({ directAccessGrantsEnabled: false, implicitFlowEnabled: false });

    const account = realm.serviceAccounts.get(clientId);
    expect(account?.username).toBe(`service-account-${clientId}`);
    expect([...(account?.realmRoles ?? [])].filter((role) => role !== 'default-roles-simpul').sort()).toEqual([...roles].sort());
  });

  it('has the public console client: authorization code with PKCE S256 only, back to the gateway origin', () => {
    const client = realm.clients.find((candidate) => candidate.clientId === 'mpp-console');
    expect(client).toMatchObject({ publicClient: true, standardFlowEnabled: true, serviceAccountsEnabled: false, pkceMethod: 'S256' });
    expect(client?.secret).toBeUndefined();
    expect(client?.redirectUris).toEqual(expect.arrayContaining(['http://127.0.0.1:4000/*', 'http://localhost:4000/*']));
    expect(client?.audiences).toContain('simpul-gateway');
    expect(client?.attributeClaims).toContainEqual(expect.objectContaining({ attribute: 'nik', claim: 'nik', accessToken: true }));

    const rep = raw.clients.find((candidate) => candidate.clientId === 'mpp-console');
    expect(rep?.attributes?.['pkce.code.challenge.method']).toBe('S256');
    expect(rep).toMatchObject({ directAccessGrantsEnabled: false, implicitFlowEnabled: false });
  });

  it('lists no client outside the contract', () => {
    expect(realm.clients.map((client) => client.clientId).sort()).toEqual(['mpp-console', ...Object.keys(CONFIDENTIAL_CLIENTS)].sort());
  });

  it.each(Object.entries(DEMO_USERS))('has demo user %s (password demo, not temporary) with roles %j', (username, roles) => {
    const user = realm.users.find((candidate) => candidate.username === username);
    expect(user?.enabled).toBe(true);
    expect(user?.password).toBe('demo');
    expect(raw.users.find((candidate) => candidate.username === username)?.credentials).toEqual([
      expect.objectContaining({ type: 'password', value: 'demo', temporary: false }),
    ]);
    expect(user?.realmRoles.filter((role) => role !== 'default-roles-simpul').sort()).toEqual([...roles].sort());
    expect(user?.email).toBeDefined();
  });

  it('gives the citizen demo user a 16-digit NIK attribute', () => {
    const warga = realm.users.find((candidate) => candidate.username === 'warga');
    expect(warga?.attributes.nik).toEqual([expect.stringMatching(/^\d{16}$/)]);
    const others = realm.users.filter((candidate) => candidate.username !== 'warga');
    for (const user of others) expect(user.attributes.nik).toBeUndefined();
  });
});

describe('parseRealm', () => {
  const minimal = {
    realm: 'test',
    roles: { realm: [{ name: 'officer' }, { name: 'default-roles-test', composite: true, composites: { realm: ['offline_access'] } }, { name: 'offline_access' }] },
    clients: [{ clientId: 'svc', secret: 's', serviceAccountsEnabled: true, standardFlowEnabled: false }],
    users: [
      { id: 'u1', username: 'petugas', realmRoles: ['default-roles-test', 'officer'], credentials: [{ type: 'password', value: 'pw' }] },
      { id: 'u2', username: 'service-account-svc', serviceAccountClientId: 'svc', realmRoles: ['officer'] },
    ],
  };

  it('separates people from service accounts and expands composite roles', () => {
    const realm = parseRealm(minimal);
    expect(realm.users.map((user) => user.username)).toEqual(['petugas']);
    expect(realm.serviceAccounts.get('svc')?.id).toBe('u2');
    expect(effectiveRoles(realm, realm.users[0]?.realmRoles ?? [])).toEqual(['default-roles-test', 'offline_access', 'officer']);
  });

  it('lists every problem: unknown roles, confidential clients without a secret, missing service accounts', () => {
    const broken = {
      ...minimal,
      clients: [...minimal.clients, { clientId: 'nosecret', serviceAccountsEnabled: true }],
      users: [...minimal.users, { id: 'u3', username: 'x', realmRoles: ['ghost'] }],
    };
    expect(() => parseRealm(broken)).toThrow(RealmFileError);
    try {
      parseRealm(broken);
    } catch (error) {
      expect((error as RealmFileError).problems).toEqual(
        expect.arrayContaining([
          'confidential client nosecret has no secret',
          'user x has unknown role ghost',
          'client nosecret has service accounts enabled but no service-account user',
        ]),
      );
    }
  });

  it('refuses a file that is not a realm export', () => {
    expect(() => parseRealm({ clients: 'none' })).toThrow(/realm/);
  });
});
