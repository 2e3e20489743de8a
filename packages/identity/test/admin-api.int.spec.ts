import { DEMO_CREDENTIALS } from '../src';
import { basic, form, startTestIdentity, verifyWithJwks } from './identity-fixture';

const registry = DEMO_CREDENTIALS.clients.find((client) => client.clientId === 'simpul-participants');
const bank = DEMO_CREDENTIALS.clients.find((client) => client.clientId === 'bank-bpd');
if (!registry || !bank) throw new Error('simpul-participants or bank-bpd missing from the demo credentials');

type Idp = Awaited<ReturnType<typeof startTestIdentity>>;

async function tokenResponse(idp: Idp, clientId: string, secret: string): Promise<Response> {
  return fetch(`${idp.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { authorization: basic(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: form({ grant_type: 'client_credentials' }),
  });
}

async function token(idp: Idp, clientId: string, secret: string): Promise<string> {
  const response = await tokenResponse(idp, clientId, secret);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The Keycloak Admin REST API of the test IdP, as the registry's service account. */
function adminApi(idp: Idp, bearer: string) {
  const base = `${idp.url}/admin/realms/simpul`;
  return (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${bearer}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
}

const AUDIENCE_MAPPER = {
  name: 'simpul-gateway audience',
  protocol: 'openid-connect',
  protocolMapper: 'oidc-audience-mapper',
  config: { 'included.custom.audience': 'simpul-gateway', 'access.token.claim': 'true', 'id.token.claim': 'false' },
};

describe('the embedded IdP answers the Keycloak Admin REST API subset the participant registry uses', () => {
  let idp: Idp;

  beforeAll(async () => {
    idp = await startTestIdentity();
  });
  afterAll(() => idp.cleanup());

  it('creates a confidential client with a service account and a realm role; it gets tokens at once, with the role and the gateway audience', async () => {
    const admin = adminApi(idp, await token(idp, registry.clientId, registry.clientSecret));
    const created = await admin('/clients', {
      method: 'POST',
      body: { clientId: 'participant-bank-riau', name: 'Bank Riau Kepri', enabled: true, publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false, protocolMappers: [AUDIENCE_MAPPER] },
    });
    expect(created.status).toBe(201);
    const id = created.headers.get('location')!.split('/').pop()!;
    expect(created.headers.get('location')).toBe(`${idp.url}/admin/realms/simpul/clients/${id}`);

    const found = (await (await admin('/clients?clientId=participant-bank-riau')).json()) as { id: string; clientId: string; enabled: boolean }[];
    expect(found).toEqual([expect.objectContaining({ id, clientId: 'participant-bank-riau', enabled: true })]);

    expect((await admin('/roles', { method: 'POST', body: { name: 'participant:bank-riau', description: 'Bank Riau Kepri' } })).status).toBe(201);
    const role = (await (await admin('/roles/participant%3Abank-riau')).json()) as { name: string };
    const account = (await (await admin(`/clients/${id}/service-account-user`)).json()) as { id: string; username: string };
    expect(account.username).toBe('service-account-participant-bank-riau');
    expect((await admin(`/users/${account.id}/role-mappings/realm`, { method: 'POST', body: [role] })).status).toBe(204);

    const secret = ((await (await admin(`/clients/${id}/client-secret`, { method: 'POST' })).json()) as { type: string; value: string }).value;
    const { payload } = await verifyWithJwks(idp.issuer, await token(idp, 'participant-bank-riau', secret));
    expect(payload).toMatchObject({ azp: 'participant-bank-riau', aud: 'simpul-gateway', sub: account.id, preferred_username: 'service-account-participant-bank-riau' });
    expect((payload.realm_access as { roles: string[] }).roles).toEqual(expect.arrayContaining(['participant:bank-riau', 'default-roles-simpul']));
  });

  it('regenerating the secret refuses the old one from the next token request; disabling refuses the client; enabling lets it back', async () => {
    const admin = adminApi(idp, await token(idp, registry.clientId, registry.clientSecret));
    const created = await admin('/clients', { method: 'POST', body: { clientId: 'participant-pdam', serviceAccountsEnabled: true, standardFlowEnabled: false, protocolMappers: [AUDIENCE_MAPPER] } });
    const id = created.headers.get('location')!.split('/').pop()!;
    const first = ((await (await admin(`/clients/${id}/client-secret`)).json()) as { value: string }).value;
    await token(idp, 'participant-pdam', first);

    const second = ((await (await admin(`/clients/${id}/client-secret`, { method: 'POST' })).json()) as { value: string }).value;
    expect(second).not.toBe(first);
    expect((await tokenResponse(idp, 'participant-pdam', first)).status).toBe(401);
    await token(idp, 'participant-pdam', second);

    expect((await admin(`/clients/${id}`, { method: 'PUT', body: { enabled: false } })).status).toBe(204);
    const refused = await tokenResponse(idp, 'participant-pdam', second);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: 'invalid_client' });
    expect(((await (await admin(`/clients/${id}`)).json()) as { enabled: boolean }).enabled).toBe(false);

    expect((await admin(`/clients/${id}`, { method: 'PUT', body: { enabled: true } })).status).toBe(204);
    await token(idp, 'participant-pdam', second);
  });

  it('refuses without a token (401), with a token lacking realm-management roles (403), a duplicate client or role (409), an unknown client (404)', async () => {
    const anonymous = await fetch(`${idp.url}/admin/realms/simpul/clients`);
    expect(anonymous.status).toBe(401);
    const asBank = adminApi(idp, await token(idp, bank.clientId, bank.clientSecret));
    expect((await asBank('/clients', { method: 'POST', body: { clientId: 'sneaky', serviceAccountsEnabled: true } })).status).toBe(403);
    expect((await asBank('/clients')).status).toBe(403);

    const admin = adminApi(idp, await token(idp, registry.clientId, registry.clientSecret));
    const duplicate = await admin('/clients', { method: 'POST', body: { clientId: 'bank-bpd', serviceAccountsEnabled: true } });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.json()).toEqual({ errorMessage: 'Client bank-bpd already exists' });
    expect((await admin('/roles', { method: 'POST', body: { name: 'officer' } })).status).toBe(409);
    expect((await admin('/clients/no-such-id')).status).toBe(404);
    expect((await admin('/roles/no-such-role')).status).toBe(404);
    expect((await admin('/clients?clientId=sneaky')).status).toBe(200);
    expect(await (await admin('/clients?clientId=sneaky')).json()).toEqual([]);
  });

  it('keeps what the API changed across a restart of the identity provider (same data directory)', async () => {
    const admin = adminApi(idp, await token(idp, registry.clientId, registry.clientSecret));
    const created = await admin('/clients', { method: 'POST', body: { clientId: 'participant-bpn', serviceAccountsEnabled: true, standardFlowEnabled: false, protocolMappers: [AUDIENCE_MAPPER] } });
    const id = created.headers.get('location')!.split('/').pop()!;
    const secret = ((await (await admin(`/clients/${id}/client-secret`)).json()) as { value: string }).value;

    const again = await startTestIdentity({ dataDir: idp.dataDir });
    try {
      const { payload } = await verifyWithJwks(again.issuer, await token(again, 'participant-bpn', secret));
      expect(payload.azp).toBe('participant-bpn');
      // The client disabled before the restart stays disabled.
      expect((await tokenResponse(again, 'participant-pdam', 'whatever')).status).toBe(401);
    } finally {
      await again.stop();
    }
  });
});
