import { DEMO_CREDENTIALS } from '@simpul/identity';
import { DEFAULT_OIDC_ALGORITHMS } from '@simpul/service-kit';
import { createTestKey, TestIdentityProvider, type TestKey } from '@simpul/service-kit/testing';
import { auditRecord, gatewayKeys, postRecords, startAudit, type RunningAudit } from './audit-harness';

// A service acting on its own (a task worker) appends records with its client-credentials token.
jest.setTimeout(30_000);

const APPLICATION = 'application:0193c4b2-7c1e-7d4a-9f3e-2b8c1d0e5f6a';

describe('records of a service account (POST /records with an access token)', () => {
  let idp: TestIdentityProvider;
  let key: TestKey;
  let audit: RunningAudit;

  /** A Keycloak client-credentials token of `agency-licensing` (its service account's username says so). */
  const serviceToken = (claims: Record<string, unknown> = {}) =>
    idp.mint(key, { sub: 'sa-licensing', azp: 'agency-licensing', preferred_username: 'service-account-agency-licensing', realm_access: { roles: ['agency:licensing', 'participant:licensing'] }, ...claims });
  const ownRecord = (overrides: Parameters<typeof auditRecord>[0] = {}) =>
    auditRecord({ actor: 'sa-licensing', actorType: 'client', client: 'agency-licensing', roles: ['agency:licensing', 'participant:licensing'], purpose: APPLICATION, kind: 'CHANGE', fields: ['Business.nib'], ...overrides });
  const post = async (records: unknown[], token?: string) =>
    postRecords(audit.origin, { service: 'licensing', records }, token ? { authorization: `Bearer ${token}` } : {});

  beforeAll(async () => {
    idp = await TestIdentityProvider.start();
    key = await createTestKey('k1');
    idp.publish('simpul', [key]);
    const gateway = await gatewayKeys();
    audit = await startAudit({
      internalContextPublicKey: gateway.publicJwk,
      oidc: { issuer: idp.issuer(), audience: 'simpul-gateway', algorithms: [...DEFAULT_OIDC_ALGORITHMS], clockToleranceSeconds: 30 },
    });
  });
  afterAll(async () => {
    await audit?.stop();
    await idp?.stop();
  });

  it('appends records naming the service account of a valid token, with the application as purpose', async () => {
    const { status, body } = await post([ownRecord()], await serviceToken());
    expect({ status, appended: body.appended }).toEqual({ status: 201, appended: 1 });
  });

  it('refuses records naming anyone else, or without a purpose', async () => {
    const token = await serviceToken();
    expect((await post([ownRecord({ actor: 'officer-7' })], token)).status).toBe(403);
    expect((await post([ownRecord({ client: 'agency-tax' })], token)).status).toBe(403);
    expect((await post([ownRecord({ roles: ['agency:licensing', 'auditor', 'participant:licensing'] })], token)).status).toBe(403);
    const noPurpose = await post([ownRecord({ purpose: null })], token);
    expect(noPurpose).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringContaining('purpose') } } });
    expect((await post([ownRecord({ purpose: 'because' })], token)).status).toBe(403);
  });

  it('lets every client of the realm append only its own service\'s records: participants, integrators and other agencies are refused', async () => {
    // What the outside probe did: the bank's, PLN's or the integrator's token appending a CHANGE "by immigration".
    const outcomes: Record<string, number> = {};
    for (const client of DEMO_CREDENTIALS.clients) {
      const subject = `sa-${client.clientId}`;
      const token = await serviceToken({ sub: subject, azp: client.clientId, preferred_username: `service-account-${client.clientId}`, realm_access: { roles: client.roles } });
      const record = ownRecord({ actor: subject, client: client.clientId, roles: [...client.roles].sort() });
      outcomes[client.clientId] = (await postRecords(audit.origin, { service: 'immigration', records: [record] }, { authorization: `Bearer ${token}` })).status;
    }
    const expected = Object.fromEntries(DEMO_CREDENTIALS.clients.map((client) => [client.clientId, client.clientId === 'agency-immigration' ? 201 : 403]));
    expect(outcomes).toEqual(expected);
    expect(Object.keys(outcomes)).toEqual(expect.arrayContaining(['agency-immigration', 'bank-bpd', 'bumn-pln', 'integrator-demo', 'agency-tax', 'simpul-applications']));
  });

  it('refuses records dated outside minutes of now (a CHANGE "from 2020")', async () => {
    const strict = await startAudit({
      internalContextPublicKey: (await gatewayKeys()).publicJwk,
      oidc: { issuer: idp.issuer(), audience: 'simpul-gateway', algorithms: [...DEFAULT_OIDC_ALGORITHMS], clockToleranceSeconds: 30 },
      occurredAtWindowSeconds: 300,
    });
    try {
      const token = await serviceToken();
      const post = (occurredAt: string) => postRecords(strict.origin, { service: 'licensing', records: [ownRecord({ occurredAt })] }, { authorization: `Bearer ${token}` });
      expect(await post('2020-01-15T10:00:00.000Z')).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', rule: 'OCCURRED_AT_WINDOW' } } });
      expect((await post(new Date(Date.now() + 3_600_000).toISOString())).status).toBe(400);
      expect((await post(new Date().toISOString())).status).toBe(201);
      expect(await strict.sql('select count(*)::int as n from audit.audit_record')).toEqual([{ n: 1 }]);
    } finally {
      await strict.stop();
    }
  });

  it('refuses a user token, a token of another issuer, and no credential at all', async () => {
    const officer = await idp.mint(key, { sub: 'officer-7' });
    expect((await post([auditRecord({ actor: 'officer-7', actorType: 'user', client: 'mpp-console', roles: ['officer'], purpose: APPLICATION })], officer)).status).toBe(401);
    const foreign = await serviceToken({ iss: 'https://sso.example.go.id/realms/other' });
    expect((await post([ownRecord()], foreign)).status).toBe(401);
    const unsigned = `${(await serviceToken()).split('.').slice(0, 2).join('.')}.`;
    expect((await post([ownRecord()], unsigned)).status).toBe(401);
    expect((await post([ownRecord()])).status).toBe(401);
  });
});

describe('an audit log without an identity provider', () => {
  it('accepts no access tokens: only gateway requests may append', async () => {
    const idp = await TestIdentityProvider.start();
    const key = await createTestKey('k1');
    idp.publish('simpul', [key]);
    const gateway = await gatewayKeys();
    const audit = await startAudit({ internalContextPublicKey: gateway.publicJwk });
    try {
      const token = await idp.mint(key, { sub: 'sa-licensing', azp: 'agency-licensing', preferred_username: 'service-account-agency-licensing', realm_access: { roles: [] } });
      const record = auditRecord({ actor: 'sa-licensing', actorType: 'client', client: 'agency-licensing', purpose: APPLICATION });
      const { status } = await postRecords(audit.origin, { service: 'licensing', records: [record] }, { authorization: `Bearer ${token}` });
      expect(status).toBe(401);
    } finally {
      await audit.stop();
      await idp.stop();
    }
  });
});
