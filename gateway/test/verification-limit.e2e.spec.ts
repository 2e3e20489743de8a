import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startStack, type Stack } from '@simpul/testing';

// Issue 10, item 5, through the gateway: a bank guessing a citizen's birthplace with verifyCitizen
// gets a few wrong answers, then FORBIDDEN (VERIFICATION_LIMIT), and each check is in the audit log.
const WORLD = { citizens: 40, seed: 20251207 };
const world = generateWorld(WORLD);
const PER_NIK = 2;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    ...WORLD,
    logLevel: 'warn',
    participants: false,
    serviceEnv: { dukcapil: { VERIFICATION_FAILED_CLAIMS_PER_NIK: String(PER_NIK), VERIFICATION_FAILED_CLAIMS_PER_CLIENT_PER_DAY: '50' } },
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const VERIFY = 'query ($nik: String!, $claims: CitizenClaimsInput!) { verifyCitizen(nik: $nik, claims: $claims) { registered birthPlaceMatches } }';
const BANK_PURPOSE = 'legal-basis:CONTRACT_PERFORMANCE';

async function bankVerifies(nik: string, birthPlace: string) {
  return postGraphQL<{ verifyCitizen: { registered: boolean; birthPlaceMatches: boolean | null } }>(
    stack.gatewayUrl,
    VERIFY,
    { nik, claims: { birthPlace } },
    await stack.authHeaders('bank-bpd', BANK_PURPOSE),
  );
}

it('answers a bank guessing a birthplace only until its limit, then refuses with VERIFICATION_LIMIT; every check is audited as a read of the birthplace', async () => {
  const citizen = world.citizens[3]!;
  for (let i = 0; i < PER_NIK; i++) {
    const wrong = await bankVerifies(citizen.nik, `Kota Tebakan ${i}`);
    expect(wrong.errors).toBeUndefined();
    expect(wrong.data!.verifyCitizen).toEqual({ registered: true, birthPlaceMatches: false });
  }
  const right = await bankVerifies(citizen.nik, citizen.birthPlace);
  expect(right.data?.verifyCitizen ?? null).toBeNull();
  expect(right.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', rule: 'VERIFICATION_LIMIT' })]);

  // Another citizen is still answered.
  const other = world.citizens[4]!;
  expect((await bankVerifies(other.nik, other.birthPlace)).data!.verifyCitizen).toEqual({ registered: true, birthPlaceMatches: true });

  const log = await postGraphQL<{ dataAccessLog: { records: { client: string; kind: string; fields: string[] }[] } }>(
    stack.gatewayUrl,
    'query ($nik: String!) { dataAccessLog(nik: $nik, first: 100) { records { client kind fields } } }',
    { nik: citizen.nik },
    await stack.authHeaders('auditor', 'legal-basis:AUDIT_OVERSIGHT'),
  );
  expect(log.errors).toBeUndefined();
  const checks = log.data!.dataAccessLog.records.filter((record) => record.client === 'bank-bpd' && record.fields.includes('Citizen.birthPlace'));
  expect(checks).toHaveLength(PER_NIK);
  for (const check of checks) expect(check).toMatchObject({ kind: 'READ', fields: expect.arrayContaining(['Citizen.nik', 'Citizen.birthPlace']) });
}, 60_000);
