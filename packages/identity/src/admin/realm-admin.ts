import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { clientFromRepresentation, clientSchema, type Realm, type RealmClient, type RealmRole, type RealmUser } from '../realm/realm-file';
import { serviceAccountUsername } from '../provider/keycloak-claims';

/** Where the changes made through the Admin REST API are kept, beside the signing keys. */
export const REALM_CHANGES_FILE = 'realm-changes.json';

/** A refusal of the Admin REST API, with the status Keycloak answers it with. */
export class RealmAdminError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'RealmAdminError';
  }
}

/** What the admin API changed, as saved: the clients, service accounts and roles it created or modified. */
interface RealmChanges {
  clients: RealmClient[];
  serviceAccounts: RealmUser[];
  roles: RealmRole[];
}

const changesSchema = z.object({
  clients: z.array(z.looseObject({ id: z.string(), clientId: z.string() })),
  serviceAccounts: z.array(z.looseObject({ id: z.string(), serviceAccountClientId: z.string() })),
  roles: z.array(z.looseObject({ name: z.string() })),
});

/** A new client secret: 32 random bytes, base64url (Keycloak's are 32 alphanumerics). */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The realm as the Admin REST API changes it, in memory and in `<dataDir>/realm-changes.json`, so
 * a client registered while the identity provider runs is there after a restart too. Every change
 * calls `onChange` (the server rebuilds its OIDC provider: a disabled client or an old secret is
 * refused from the next token request).
 */
export class RealmAdmin {
  private readonly changes: RealmChanges = { clients: [], serviceAccounts: [], roles: [] };

  constructor(
    readonly realm: Realm,
    private readonly dataDir: string | undefined,
    private readonly onChange: () => void,
  ) {
    this.load();
  }

  get defaultRole(): string {
    return `default-roles-${this.realm.name}`;
  }

  clients(clientId?: string): RealmClient[] {
    return this.realm.clients.filter((client) => clientId === undefined || client.clientId === clientId);
  }

  client(id: string): RealmClient {
    const client = this.realm.clients.find((candidate) => candidate.id === id);
    if (!client) throw new RealmAdminError(404, 'Could not find client');
    return client;
  }

  /** POST /clients: a confidential or public OIDC client, with its service-account user when asked. */
  createClient(representation: unknown): RealmClient {
    const parsed = clientSchema.safeParse(representation);
    if (!parsed.success) throw new RealmAdminError(400, `Invalid client representation: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const rep = parsed.data;
    if (rep.protocol !== 'openid-connect' || rep.bearerOnly) throw new RealmAdminError(400, 'Only openid-connect clients that obtain tokens are supported here');
    if (this.realm.clients.some((client) => client.clientId === rep.clientId)) throw new RealmAdminError(409, `Client ${rep.clientId} already exists`);
    const problems: string[] = [];
    const client = clientFromRepresentation({ ...rep, id: randomUUID(), secret: rep.publicClient ? undefined : (rep.secret ?? newSecret()) }, this.realm.accessTokenLifespan, problems);
    if (problems.length) throw new RealmAdminError(400, problems.join('; '));
    this.realm.clients.push(client);
    this.changes.clients.push(client);
    if (client.serviceAccountsEnabled && !client.publicClient) {
      const account: RealmUser = {
        id: randomUUID(),
        username: serviceAccountUsername(client.clientId),
        enabled: true,
        emailVerified: false,
        attributes: {},
        realmRoles: [this.defaultRole],
        clientRoles: {},
        serviceAccountClientId: client.clientId,
      };
      this.realm.serviceAccounts.set(client.clientId, account);
      this.changes.serviceAccounts.push(account);
    }
    this.commit();
    return client;
  }

  /** PUT /clients/{id}: here only `enabled` and `name` are applied (what the registry changes). */
  updateClient(id: string, representation: unknown): void {
    const parsed = z.looseObject({ enabled: z.boolean().optional(), name: z.string().optional() }).safeParse(representation);
    if (!parsed.success) throw new RealmAdminError(400, 'Invalid client representation');
    const client = this.client(id);
    if (parsed.data.enabled !== undefined) client.enabled = parsed.data.enabled;
    if (parsed.data.name !== undefined) client.name = parsed.data.name;
    this.changed(client);
  }

  /** POST /clients/{id}/client-secret: a new secret; the old one is refused from now on. */
  regenerateSecret(id: string): string {
    const client = this.client(id);
    if (client.publicClient) throw new RealmAdminError(400, 'A public client has no secret');
    client.secret = newSecret();
    this.changed(client);
    return client.secret;
  }

  serviceAccountUser(id: string): RealmUser {
    const client = this.client(id);
    const account = this.realm.serviceAccounts.get(client.clientId);
    if (!client.serviceAccountsEnabled || !account) throw new RealmAdminError(400, 'Service account not enabled for the client');
    return account;
  }

  role(name: string): RealmRole {
    const role = this.realm.roles.get(name);
    if (!role) throw new RealmAdminError(404, 'Could not find role');
    return role;
  }

  /** POST /roles: a plain (not composite) realm role. */
  createRole(representation: unknown): RealmRole {
    const parsed = z.looseObject({ name: z.string().min(1).max(255), description: z.string().optional() }).safeParse(representation);
    if (!parsed.success) throw new RealmAdminError(400, 'Invalid role representation: a name is required');
    if (this.realm.roles.has(parsed.data.name)) throw new RealmAdminError(409, `Role with name ${parsed.data.name} already exists`);
    const role: RealmRole = { name: parsed.data.name, description: parsed.data.description, composites: [] };
    this.realm.roles.set(role.name, role);
    this.changes.roles.push(role);
    this.commit();
    return role;
  }

  /** POST /users/{id}/role-mappings/realm, for service-account users (the only users this server changes). */
  addRealmRoles(userId: string, roleNames: string[]): void {
    const account = [...this.realm.serviceAccounts.values()].find((user) => user.id === userId);
    if (!account) throw new RealmAdminError(404, 'User not found');
    for (const name of roleNames) this.role(name);
    account.realmRoles = [...new Set([...account.realmRoles, ...roleNames])];
    if (!this.changes.serviceAccounts.includes(account)) this.changes.serviceAccounts.push(account);
    this.commit();
  }

  private changed(client: RealmClient): void {
    if (!this.changes.clients.includes(client)) this.changes.clients.push(client);
    this.commit();
  }

  private commit(): void {
    if (this.dataDir) {
      // Written whole to a temporary file and renamed: a crash leaves the old or the new file, never half.
      const path = join(this.dataDir, REALM_CHANGES_FILE);
      writeFileSync(`${path}.tmp`, `${JSON.stringify(this.changes, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
    }
    this.onChange();
  }

  /** Applies the saved changes over the realm export: created or modified clients, accounts and roles replace the export's. */
  private load(): void {
    if (!this.dataDir) return;
    const path = join(this.dataDir, REALM_CHANGES_FILE);
    if (!existsSync(path)) return;
    const saved = changesSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) as unknown as RealmChanges;
    for (const role of saved.roles) {
      this.realm.roles.set(role.name, role);
      this.changes.roles.push(role);
    }
    for (const client of saved.clients) {
      const index = this.realm.clients.findIndex((candidate) => candidate.clientId === client.clientId);
      if (index >= 0) this.realm.clients[index] = client;
      else this.realm.clients.push(client);
      this.changes.clients.push(client);
    }
    for (const account of saved.serviceAccounts) {
      this.realm.serviceAccounts.set(account.serviceAccountClientId!, account);
      this.changes.serviceAccounts.push(account);
    }
  }
}
