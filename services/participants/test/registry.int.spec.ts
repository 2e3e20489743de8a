import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createLogger } from '@simpul/service-kit';
import { fetchClientCredentialsToken, startIdentityServer, type IdentityServer } from '@simpul/identity';
import { postGraphQL, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres, type TestCaller } from '@simpul/testing';
import { createParticipantsSubgraph, identityAdminOf, participantsService } from '../src/app';
import type { ParticipantsSchema } from '../src/db/schema';
import type { IdentityAdmin } from '../src/modules/credentials/keycloak-admin';

const ADMIN: TestCaller = { roles: ['admin'], subject: 'admin-siti', client: 'mpp-console', actorType: 'user', correlationId: 'corr-registry-1' };
const OFFICER: TestCaller = { roles: ['officer'] };

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterParticipantInput!) {
    registerParticipant(input: $input) {
      clientSecret webhookSecret
      participant { code status clientId kind regionsServed connection { kind webhookUrl } webhookSecrets { id active } changes { action actor client correlationId details } }
    }
  }
`;
const STATUS = /* GraphQL */ `
  mutation Status($code: String!, $status: ParticipantStatus!) { changeParticipantStatus(code: $code, status: $status, reason: "test") { code status } }
`;

function bankInput(code: string, changes: Record<string, unknown> = {}) {
  return {
    code,
    name: 'Bank Riau Kepri',
    kind: 'BANK',
    regionsServed: ['1405'],
    contacts: [{ name: 'Tim Integrasi', email: 'integrasi@brk.example', role: 'technical' }],
    connection: { kind: 'WEBHOOK', webhookUrl: 'https://api.brk.example/simpul/tasks' },
    ...changes,
  };
}

describe('the participant registry on Postgres, with the embedded identity provider behind the Admin REST API', () => {
  let idp: IdentityServer;
  let dataDir: string;
  let registry: SecuredSubgraphOnPostgres<ParticipantsSchema>;
  const clock = new Date('2026-12-07T08:00:00Z');

  const as = async (caller: TestCaller, query: string, variables?: Record<string, unknown>) => postGraphQL(registry.url, query, variables, await registry.headersFor(caller));
  const tokenStatus = async (clientId: string, clientSecret: string) => {
    try {
      await fetchClientCredentialsToken({ issuer: idp.issuer, clientId, clientSecret });
      return 200;
    } catch (error) {
      return (error as { status?: number }).status ?? 0;
    }
  };
  const count = async (table: string, code: string) =>
    Number(((await registry.db.execute(sql.raw(`select count(*)::int as n from participants.${table} where participant_code = '${code}'`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);
  const participantRows = async (code: string) =>
    Number(((await registry.db.execute(sql.raw(`select count(*)::int as n from participants.participant where code = '${code}'`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);

  function serviceWith(identity: IdentityAdmin | undefined) {
    return {
      ...participantsService,
      demoData: { seed: async () => undefined },
      createSubgraph: (deps: Parameters<typeof createParticipantsSubgraph>[0]) => createParticipantsSubgraph({ ...deps, identity, now: () => clock }),
    };
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'simpul-participants-idp-'));
    idp = await startIdentityServer({ port: 0, dataDir, logger: createLogger('identity', 'silent') });
    const identity = identityAdminOf({ OIDC_ISSUER_URL: idp.issuer, OIDC_CLIENT_ID: 'simpul-participants', OIDC_CLIENT_SECRET: 'simpul-participants-demo-secret', IDENTITY_ADMIN_URL: undefined });
    registry = await startSecuredSubgraphOnPostgres(serviceWith(identity), { citizens: 0, seed: 1 });
  });
  afterAll(async () => {
    await registry?.stop();
    await idp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers a bank over webhooks: its client gets tokens with its role at once; the history names the administrator and the request', async () => {
    const { data, errors } = await as(ADMIN, REGISTER, { input: bankInput('bank-riau-kepri') });
    expect(errors).toBeUndefined();
    const registration = (data as { registerParticipant: { clientSecret: string; webhookSecret: string; participant: Record<string, unknown> } }).registerParticipant;
    expect(registration.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(registration.participant).toMatchObject({
      code: 'bank-riau-kepri',
      status: 'REGISTERED',
      clientId: 'participant-bank-riau-kepri',
      connection: { kind: 'WEBHOOK', webhookUrl: 'https://api.brk.example/simpul/tasks' },
      webhookSecrets: [{ id: expect.any(String), active: true }],
      changes: [{ action: 'REGISTERED', actor: 'admin-siti', client: 'mpp-console', correlationId: 'corr-registry-1', details: expect.stringContaining('"roles":["participant:bank-riau-kepri"]') }],
    });
    expect(JSON.stringify(registration.participant)).not.toContain(registration.clientSecret);

    const token = await fetchClientCredentialsToken({ issuer: idp.issuer, clientId: 'participant-bank-riau-kepri', clientSecret: registration.clientSecret });
    const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString()) as { azp: string; aud: string; realm_access: { roles: string[] } };
    expect(claims).toMatchObject({ azp: 'participant-bank-riau-kepri', aud: 'simpul-gateway' });
    expect(claims.realm_access.roles).toContain('participant:bank-riau-kepri');
  });

  it('refuses bad input with a code and changes nothing, here or at the identity provider', async () => {
    const duplicate = await as(ADMIN, REGISTER, { input: bankInput('bank-riau-kepri', { name: 'Another bank' }) });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'PARTICIPANT_CODE_TAKEN' });
    expect(await count('participant_change', 'bank-riau-kepri')).toBe(1);
    expect(await count('webhook_secret', 'bank-riau-kepri')).toBe(1);

    const ftp = await as(ADMIN, REGISTER, { input: bankInput('bank-nagari', { connection: { kind: 'WEBHOOK', webhookUrl: 'ftp://bank-nagari.example/tasks' } }) });
    expect(ftp.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'WEBHOOK_URL_SCHEME' });
    expect(await participantRows('bank-nagari')).toBe(0);
    expect(idp.admin.clients('participant-bank-nagari')).toEqual([]);

    // PLN's role comes with the realm export: registering "pln" would hand its access to someone else.
    const takeover = await as(ADMIN, REGISTER, { input: bankInput('pln', { kind: 'BUMN' }) });
    expect(takeover.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'IDENTITY_ROLE_EXISTS' });
    expect(await participantRows('pln')).toBe(0);
    expect(idp.admin.clients('participant-pln')).toEqual([]);

    const officer = await as(OFFICER, REGISTER, { input: bankInput('bank-jambi') });
    expect(officer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await participantRows('bank-jambi')).toBe(0);
    const list = await as(OFFICER, '{ participants { code } }');
    expect(list.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('follows the lifecycle: an illegal move is refused; suspending refuses the next token request; reinstating lets it back; retired stays retired', async () => {
    const { data } = await as(ADMIN, REGISTER, { input: bankInput('pdam-siak', { kind: 'BUMN', connection: { kind: 'EVENTS' } }) });
    const { clientSecret, webhookSecret } = (data as { registerParticipant: { clientSecret: string; webhookSecret: string | null } }).registerParticipant;
    expect(webhookSecret).toBeNull();
    const move = (status: string) => as(ADMIN, STATUS, { code: 'pdam-siak', status });

    expect((await move('ACTIVE')).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'ILLEGAL_TRANSITION', from: 'REGISTERED', to: 'ACTIVE' });
    expect((await move('SANDBOX')).data).toEqual({ changeParticipantStatus: { code: 'pdam-siak', status: 'SANDBOX' } });
    expect((await move('ACTIVE')).data).toEqual({ changeParticipantStatus: { code: 'pdam-siak', status: 'ACTIVE' } });
    expect(await tokenStatus('participant-pdam-siak', clientSecret)).toBe(200);

    expect((await move('SUSPENDED')).data).toEqual({ changeParticipantStatus: { code: 'pdam-siak', status: 'SUSPENDED' } });
    expect(await tokenStatus('participant-pdam-siak', clientSecret)).toBe(401);
    expect((await move('ACTIVE')).data).toEqual({ changeParticipantStatus: { code: 'pdam-siak', status: 'ACTIVE' } });
    expect(await tokenStatus('participant-pdam-siak', clientSecret)).toBe(200);

    expect((await move('RETIRED')).data).toEqual({ changeParticipantStatus: { code: 'pdam-siak', status: 'RETIRED' } });
    expect(await tokenStatus('participant-pdam-siak', clientSecret)).toBe(401);
    expect((await move('ACTIVE')).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'ILLEGAL_TRANSITION', allowed: [] });
    const history = await as(ADMIN, '{ participant(code: "pdam-siak") { changes { action details } } }');
    expect((history.data as { participant: { changes: { action: string }[] } }).participant.changes.map((change) => change.action)).toEqual([
      'REGISTERED',
      'STATUS_CHANGED',
      'STATUS_CHANGED',
      'STATUS_CHANGED',
      'STATUS_CHANGED',
      'STATUS_CHANGED',
    ]);
    expect((await as(ADMIN, STATUS, { code: 'nobody', status: 'SANDBOX' })).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', rule: 'PARTICIPANT_UNKNOWN' });
  });

  it('rotates the client secret (the old one is refused at once) and the webhook secret (the old one valid through the overlap)', async () => {
    const { data } = await as(ADMIN, REGISTER, { input: bankInput('bank-bengkulu') });
    const first = (data as { registerParticipant: { clientSecret: string } }).registerParticipant.clientSecret;
    const rotated = await as(ADMIN, 'mutation { rotateParticipantClientSecret(code: "bank-bengkulu") { clientSecret } }');
    const second = (rotated.data as { rotateParticipantClientSecret: { clientSecret: string } }).rotateParticipantClientSecret.clientSecret;
    expect(await tokenStatus('participant-bank-bengkulu', first)).toBe(401);
    expect(await tokenStatus('participant-bank-bengkulu', second)).toBe(200);

    const webhook = await as(ADMIN, 'mutation { rotateParticipantWebhookSecret(code: "bank-bengkulu", overlapHours: 6) { webhookSecret previousRetireAt } }');
    expect(webhook.data).toEqual({ rotateParticipantWebhookSecret: { webhookSecret: expect.stringMatching(/^[0-9a-f]{64}$/), previousRetireAt: '2026-12-07T14:00:00.000Z' } });
    const secrets = await registry.db.execute(sql.raw(`select retires_at from participants.webhook_secret where participant_code = 'bank-bengkulu' order by created_at, retires_at nulls last`));
    expect((secrets as unknown as { rows: { retires_at: Date | string | null }[] }).rows.map((row) => (row.retires_at ? new Date(row.retires_at).toISOString() : null))).toEqual(['2026-12-07T14:00:00.000Z', null]);

    const events = await as(ADMIN, 'mutation { rotateParticipantWebhookSecret(code: "pdam-siak") { secretId } }');
    expect(events.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'NOT_A_WEBHOOK_PARTICIPANT' });
  });

  it('refuses to register while the identity provider cannot be reached, and keeps nothing', async () => {
    const down = identityAdminOf({ OIDC_ISSUER_URL: 'http://127.0.0.1:9/realms/simpul', OIDC_CLIENT_ID: 'simpul-participants', OIDC_CLIENT_SECRET: 'x', IDENTITY_ADMIN_URL: undefined });
    const unreachable = await startSecuredSubgraphOnPostgres(serviceWith(down), { citizens: 0, seed: 1 });
    try {
      const answer = await postGraphQL(unreachable.url, REGISTER, { input: bankInput('bank-sumut') }, await unreachable.headersFor(ADMIN));
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', rule: 'IDENTITY_ADMIN' });
      const rows = await unreachable.db.execute(sql.raw(`select (select count(*) from participants.participant)::int as participants, (select count(*) from participants.participant_change)::int as changes`));
      expect((rows as unknown as { rows: unknown[] }).rows[0]).toEqual({ participants: 0, changes: 0 });
    } finally {
      await unreachable.stop();
    }
  });
});
