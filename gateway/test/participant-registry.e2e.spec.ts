import { fetchClientCredentialsToken } from '@simpul/identity';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startStack, type Stack } from '@simpul/testing';

// Issue 12, items 1 and 3, through the gateway of a running stack: an administrator registers a
// bank; the bank gets credentials from the identity provider at once and verifies a citizen; the
// administrator suspends it and its next token request fails. No process is restarted.
const WORLD = { citizens: 10, seed: 20261207 };
const world = generateWorld(WORLD);

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ...WORLD, logLevel: 'warn', participants: false });
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

it('registers a bank through the gateway; it gets a token and verifies a citizen at once; suspended, it gets no token; no process restarted', async () => {
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
  const verified = await postGraphQL(
    stack.gatewayUrl,
    VERIFY,
    { nik: citizen.nik, claims: { fullName: citizen.fullName, birthDate: citizen.birthDate } },
    { authorization: `Bearer ${token}`, 'x-simpul-purpose': 'legal-basis:CONTRACT_PERFORMANCE' },
  );
  expect(verified.errors).toBeUndefined();
  expect(verified.data).toEqual({ verifyCitizen: { registered: true, fullNameMatches: true, birthDateMatches: true } });

  for (const status of ['SANDBOX', 'ACTIVE', 'SUSPENDED']) {
    const moved = await postGraphQL(stack.gatewayUrl, STATUS, { code: 'bank-riau-kepri', status }, admin);
    expect(moved.data).toEqual({ changeParticipantStatus: { status } });
  }
  await expect(fetchClientCredentialsToken({ issuer, clientId: participant.clientId, clientSecret })).rejects.toMatchObject({ status: 401 });

  expect(pids()).toEqual(before);
}, 120_000);
