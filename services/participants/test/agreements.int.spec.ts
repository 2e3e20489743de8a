import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@simpul/service-kit';
import { startIdentityServer, type IdentityServer } from '@simpul/identity';
import { postGraphQL, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres, type TestCaller } from '@simpul/testing';
import { createParticipantsSubgraph, identityAdminOf, participantsService } from '../src/app';
import type { ParticipantsSchema } from '../src/db/schema';

const ADMIN: TestCaller = { roles: ['admin'], subject: 'admin-siti', client: 'mpp-console', actorType: 'user' };
const DUKCAPIL: TestCaller = { roles: ['agency:dukcapil', 'participant:dukcapil'], subject: 'sa-dukcapil', client: 'agency-dukcapil' };
const TAX: TestCaller = { roles: ['agency:tax', 'participant:tax'], subject: 'sa-tax', client: 'agency-tax' };

const AGREEMENT = 'mutation ($input: AgreementInput!) { recordAgreement(input: $input) { id number status } }';
const REQUEST = 'mutation ($input: AccessGrantInput!) { requestAccessGrant(input: $input) { id status item claims purposes } }';
const ACCESS = 'query ($clientId: String!) { clientAccess(clientId: $clientId) { registered participantCode grants { agreementNumber item claims purposes } } }';

describe('agreements and access grants as data', () => {
  let idp: IdentityServer;
  let dataDir: string;
  let registry: SecuredSubgraphOnPostgres<ParticipantsSchema>;
  const as = async (caller: TestCaller, query: string, variables?: Record<string, unknown>) => postGraphQL(registry.url, query, variables, await registry.headersFor(caller));
  const rule = (answer: { errors?: { extensions?: Record<string, unknown> }[] }) => ({ code: answer.errors?.[0]?.extensions?.code, rule: answer.errors?.[0]?.extensions?.rule });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'simpul-agreements-idp-'));
    idp = await startIdentityServer({ port: 0, dataDir, logger: createLogger('identity', 'silent') });
    const identity = identityAdminOf({ OIDC_ISSUER_URL: idp.issuer, OIDC_CLIENT_ID: 'simpul-participants', OIDC_CLIENT_SECRET: 'simpul-participants-demo-secret', IDENTITY_ADMIN_URL: undefined });
    registry = await startSecuredSubgraphOnPostgres(
      {
        ...participantsService,
        demoData: { seed: async () => undefined },
        createSubgraph: (deps: Parameters<typeof createParticipantsSubgraph>[0]) => createParticipantsSubgraph({ ...deps, identity, now: () => new Date('2026-12-07T08:00:00Z') }),
      },
      { citizens: 0, seed: 1 },
    );
    const registered = await as(ADMIN, 'mutation ($input: RegisterParticipantInput!) { registerParticipant(input: $input) { clientSecret } }', {
      input: {
        code: 'bank-riau-kepri',
        name: 'Bank Riau Kepri',
        kind: 'BANK',
        regionsServed: ['1405'],
        contacts: [{ name: 'Tim Integrasi', email: 'integrasi@brk.example', role: 'technical' }],
        connection: { kind: 'EVENTS' },
      },
    });
    expect(registered.errors).toBeUndefined();
    for (const status of ['SANDBOX', 'ACTIVE']) await as(ADMIN, 'mutation ($s: ParticipantStatus!) { changeParticipantStatus(code: "bank-riau-kepri", status: $s) { status } }', { s: status });
  });
  afterAll(async () => {
    await registry?.stop();
    await idp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records an agreement, grants verifyCitizen of fullName and birthDate within the SDL ceiling; only Dukcapil approves; in force only while the agreement is ACTIVE; revoked, gone', async () => {
    const agreementInput = { number: '470/0007/Dukcapil/2026', participantCode: 'bank-riau-kepri', ownerAgency: 'dukcapil', signedOn: '2026-11-30', validFrom: '2026-12-01', validUntil: '2027-11-30' };
    const recorded = await as(ADMIN, AGREEMENT, { input: agreementInput });
    expect(recorded.errors).toBeUndefined();
    const agreement = (recorded.data as { recordAgreement: { id: string; status: string } }).recordAgreement;
    expect(agreement.status).toBe('DRAFT');

    expect(rule(await as(ADMIN, AGREEMENT, { input: agreementInput }))).toEqual({ code: 'CONFLICT', rule: 'AGREEMENT_NUMBER_TAKEN' });
    expect(rule(await as(ADMIN, AGREEMENT, { input: { ...agreementInput, number: 'x-1', ownerAgency: 'bpn' } }))).toEqual({ code: 'BAD_USER_INPUT', rule: 'OWNER_AGENCY_UNKNOWN' });
    expect(rule(await as(ADMIN, AGREEMENT, { input: { ...agreementInput, number: 'x-2', validUntil: '2026-01-01' } }))).toEqual({ code: 'BAD_USER_INPUT', rule: 'AGREEMENT_PERIOD' });
    expect(rule(await as(ADMIN, AGREEMENT, { input: { ...agreementInput, number: 'x-3', participantCode: 'bank-nobody' } }))).toEqual({ code: 'NOT_FOUND', rule: 'PARTICIPANT_UNKNOWN' });

    const purposes = ['legal-basis:CONTRACT_PERFORMANCE'];
    const request = (changes: Record<string, unknown>) => as(ADMIN, REQUEST, { input: { agreementId: agreement.id, item: 'Query.verifyCitizen', claims: ['fullName', 'birthDate'], purposes, ...changes } });
    expect(rule(await request({ item: 'Citizen.fullName', claims: [] }))).toEqual({ code: 'FORBIDDEN', rule: 'GRANT_ABOVE_CEILING' });
    expect(rule(await request({ item: 'Citizen.religion' }))).toEqual({ code: 'BAD_USER_INPUT', rule: 'GRANT_ITEM_UNKNOWN' });
    expect(rule(await request({ claims: ['fullName', 'religion'] }))).toEqual({ code: 'BAD_USER_INPUT', rule: 'GRANT_CLAIM_UNKNOWN' });
    expect(rule(await request({ purposes: ['legal-basis:LAW_ENFORCEMENT'] }))).toEqual({ code: 'BAD_USER_INPUT', rule: 'GRANT_PURPOSE' });
    const requested = await request({});
    expect(requested.errors).toBeUndefined();
    const grant = (requested.data as { requestAccessGrant: { id: string; status: string } }).requestAccessGrant;
    expect(grant.status).toBe('PENDING');

    const approve = 'mutation ($id: ID!) { approveAccessGrant(id: $id) { status approvedBy } }';
    expect(rule(await as(TAX, approve, { id: grant.id }))).toEqual({ code: 'FORBIDDEN', rule: 'GRANT_WRONG_APPROVER' });
    expect((await as(ADMIN, approve, { id: grant.id })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await as(DUKCAPIL, approve, { id: grant.id })).data).toEqual({ approveAccessGrant: { status: 'APPROVED', approvedBy: 'sa-dukcapil' } });

    const access = async (caller: TestCaller, clientId = 'participant-bank-riau-kepri') => (await as(caller, ACCESS, { clientId })).data as { clientAccess: { registered: boolean; grants: unknown[] } };
    // Approved, but the agreement is still a draft: nothing in force.
    expect((await access(DUKCAPIL)).clientAccess).toEqual({ registered: true, participantCode: 'bank-riau-kepri', grants: [] });
    await as(ADMIN, 'mutation ($id: ID!) { changeAgreementStatus(id: $id, status: ACTIVE) { status } }', { id: agreement.id });
    const inForce = [{ agreementNumber: '470/0007/Dukcapil/2026', item: 'Query.verifyCitizen', claims: ['fullName', 'birthDate'], purposes }];
    expect((await access(DUKCAPIL)).clientAccess.grants).toEqual(inForce);
    // Another agency sees none of Dukcapil's grants; a client of the realm export is not the registry's.
    expect((await access(TAX)).clientAccess.grants).toEqual([]);
    expect((await access(DUKCAPIL, 'bank-bpd')).clientAccess).toEqual({ registered: false, participantCode: null, grants: [] });
    expect((await as(ADMIN, ACCESS, { clientId: 'participant-bank-riau-kepri' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    await as(ADMIN, 'mutation ($id: ID!) { changeAgreementStatus(id: $id, status: SUSPENDED) { status } }', { id: agreement.id });
    expect((await access(DUKCAPIL)).clientAccess.grants).toEqual([]);
    await as(ADMIN, 'mutation ($id: ID!) { changeAgreementStatus(id: $id, status: ACTIVE) { status } }', { id: agreement.id });
    expect((await access(DUKCAPIL)).clientAccess.grants).toEqual(inForce);

    expect((await as(DUKCAPIL, 'mutation ($id: ID!) { revokeAccessGrant(id: $id) { status revokedBy } }', { id: grant.id })).data).toEqual({ revokeAccessGrant: { status: 'REVOKED', revokedBy: 'sa-dukcapil' } });
    expect((await access(DUKCAPIL)).clientAccess.grants).toEqual([]);
    expect(rule(await as(DUKCAPIL, approve, { id: grant.id }))).toEqual({ code: 'CONFLICT', rule: 'ILLEGAL_TRANSITION' });

    const history = await as(ADMIN, '{ participant(code: "bank-riau-kepri") { changes { action details } } }');
    const actions = (history.data as { participant: { changes: { action: string; details: string }[] } }).participant.changes;
    expect(actions.map((change) => change.action)).toEqual([
      'REGISTERED', 'STATUS_CHANGED', 'STATUS_CHANGED', 'AGREEMENT_RECORDED', 'GRANT_REQUESTED', 'GRANT_APPROVED',
      'AGREEMENT_STATUS_CHANGED', 'AGREEMENT_STATUS_CHANGED', 'AGREEMENT_STATUS_CHANGED', 'GRANT_REVOKED',
    ]);
    expect(actions.filter((change) => change.action.startsWith('GRANT_')).every((change) => change.details.includes('470/0007/Dukcapil/2026'))).toBe(true);
  });
});
