import { fetchClientCredentialsToken } from '@simpul/identity';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startStack, type Stack } from '@simpul/testing';

// Issue 12, items 1, 2 and 3, through the gateway of a running stack: an administrator registers a
// bank; the bank gets credentials from the identity provider at once; it may verify a citizen only
// once Dukcapil approved its grant under an active agreement, and no longer once Dukcapil revoked
// it; the administrator suspends it and its next token request fails. No process is restarted.
const WORLD = { citizens: 10, seed: 20261207 };
const world = generateWorld(WORLD);

let stack: Stack;

beforeAll(async () => {
  // Dukcapil asks the registry at every check (no reuse of its answer), so a revocation shows at once
  // here; deployments keep the default of seconds.
  stack = await startStack({ ...WORLD, logLevel: 'warn', participants: false, serviceEnv: { dukcapil: { ACCESS_GRANT_CACHE_TTL_MS: '1' } } });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterParticipantInput!) {
    registerParticipant(input: $input) { clientSecret participant { code status clientId changes { action client } } }
  }
`;
const STATUS = 'mutation ($code: String!, $status: ParticipantStatus!) { changeParticipantStatus(code: $code, status: $status) { status } }';
const VERIFY = 'query ($nik: String!, $claims: CitizenClaimsInput!) { verifyCitizen(nik: $nik, claims: $claims) { registered fullNameMatches birthDateMatches } }';

const input = {
  code: 'bank-riau-kepri',
  name: 'Bank Riau Kepri',
  kind: 'BANK',
  regionsServed: ['1405'],
  contacts: [{ name: 'Tim Integrasi', email: 'integrasi@brk.example', role: 'technical' }],
  connection: { kind: 'WEBHOOK', webhookUrl: 'https://api.brk.example/simpul/tasks' },
};

it('registers a bank through the gateway; it gets a token at once, verifies a citizen only under a grant Dukcapil approved, not once revoked; suspended, it gets no token; no process restarted', async () => {
  const pids = () => [stack.gateway.pid, stack.identity?.pid, stack.subgraphs.participants.pid, stack.subgraphs.dukcapil.pid];
  const before = pids();
  const admin = await stack.authHeaders('admin', null);

  const refused = await postGraphQL(stack.gatewayUrl, REGISTER, { input }, await stack.authHeaders('petugas', null));
  expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });

  const registered = await postGraphQL<{ registerParticipant: { clientSecret: string; participant: { clientId: string; changes: { action: string; client: string }[] } } }>(
    stack.gatewayUrl,
    REGISTER,
    { input },
    admin,
  );
  expect(registered.errors).toBeUndefined();
  const { clientSecret, participant } = registered.data!.registerParticipant;
  expect(participant).toEqual({ code: 'bank-riau-kepri', status: 'REGISTERED', clientId: 'participant-bank-riau-kepri', changes: [{ action: 'REGISTERED', client: 'mpp-console' }] });

  const issuer = stack.identity!.issuer;
  const token = (await fetchClientCredentialsToken({ issuer, clientId: participant.clientId, clientSecret })).access_token;
  const citizen = world.citizens[2]!;
  const bankVerifies = () =>
    postGraphQL(
      stack.gatewayUrl,
      VERIFY,
      { nik: citizen.nik, claims: { fullName: citizen.fullName, birthDate: citizen.birthDate } },
      { authorization: `Bearer ${token}`, 'x-simpul-purpose': 'legal-basis:CONTRACT_PERFORMANCE' },
    );
  for (const status of ['SANDBOX', 'ACTIVE']) {
    const moved = await postGraphQL(stack.gatewayUrl, STATUS, { code: 'bank-riau-kepri', status }, admin);
    expect(moved.data).toEqual({ changeParticipantStatus: { status } });
  }
  // Within the SDL's ceiling (participant:*), but without a grant.
  expect((await bankVerifies()).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'GRANT_REQUIRED' });

  const agreement = await postGraphQL<{ recordAgreement: { id: string } }>(
    stack.gatewayUrl,
    'mutation ($input: AgreementInput!) { recordAgreement(input: $input) { id } }',
    { input: { number: '470/0007/Dukcapil/2026', participantCode: 'bank-riau-kepri', ownerAgency: 'dukcapil', signedOn: '2026-01-05', validFrom: '2026-01-05', validUntil: '2099-12-31' } },
    admin,
  );
  const agreementId = agreement.data!.recordAgreement.id;
  const grant = await postGraphQL<{ requestAccessGrant: { id: string } }>(
    stack.gatewayUrl,
    'mutation ($input: AccessGrantInput!) { requestAccessGrant(input: $input) { id } }',
    { input: { agreementId, item: 'Query.verifyCitizen', claims: ['fullName', 'birthDate'], purposes: ['legal-basis:CONTRACT_PERFORMANCE'] } },
    admin,
  );
  const grantId = grant.data!.requestAccessGrant.id;
  const dukcapil = await stack.authHeaders('agency-dukcapil', null);
  const approveAs = (headers: Record<string, string>) => postGraphQL(stack.gatewayUrl, 'mutation ($id: ID!) { approveAccessGrant(id: $id) { status } }', { id: grantId }, headers);
  expect((await approveAs(await stack.authHeaders('agency-tax', null))).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'GRANT_WRONG_APPROVER' });
  expect((await approveAs(dukcapil)).data).toEqual({ approveAccessGrant: { status: 'APPROVED' } });
  expect((await postGraphQL(stack.gatewayUrl, 'mutation ($id: ID!) { changeAgreementStatus(id: $id, status: ACTIVE) { status } }', { id: agreementId }, admin)).errors).toBeUndefined();

  const verified = await bankVerifies();
  expect(verified.errors).toBeUndefined();
  expect(verified.data).toEqual({ verifyCitizen: { registered: true, fullNameMatches: true, birthDateMatches: true } });

  expect((await postGraphQL(stack.gatewayUrl, 'mutation ($id: ID!) { revokeAccessGrant(id: $id) { status } }', { id: grantId }, dukcapil)).data).toEqual({ revokeAccessGrant: { status: 'REVOKED' } });
  expect((await bankVerifies()).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'GRANT_REQUIRED' });

  // A partner of the realm export (not the registry's) is governed by the SDL alone, as before.
  const bpd = await postGraphQL(stack.gatewayUrl, VERIFY, { nik: citizen.nik, claims: { fullName: citizen.fullName } }, await stack.authHeaders('bank-bpd', 'legal-basis:CONTRACT_PERFORMANCE'));
  expect(bpd.errors).toBeUndefined();

  for (const status of ['SUSPENDED']) {
    const moved = await postGraphQL(stack.gatewayUrl, STATUS, { code: 'bank-riau-kepri', status }, admin);
    expect(moved.data).toEqual({ changeParticipantStatus: { status } });
  }
  await expect(fetchClientCredentialsToken({ issuer, clientId: participant.clientId, clientSecret })).rejects.toMatchObject({ status: 401 });

  expect(pids()).toEqual(before);
}, 120_000);
