import { generateWorld, type SyntheticCitizen } from '@simpul/synthetic-data';
import { postGraphQL, startStack, type GraphQLResponse, type Stack, type StackProcess } from '@simpul/testing';

// Issue 10, items 1, 4 and 6, through the gateway of the whole stack (identity provider, signed
// contexts, every subgraph enforcing): a declared purpose binds (an application only for its
// citizens and the callers with a part in it, a legal basis only for the roles it is meant for), an
// application names only citizens Dukcapil has registered, alive and of age, and free text with
// control characters or a NIK of an unlisted region is a BAD_USER_INPUT, never an internal error.

const WORLD = { citizens: 60, seed: 20171006 };
const world = generateWorld(WORLD);
/** The demo citizen `warga` of the realm. */
const WARGA = '1408030507760001';
const NO_SUCH_APPLICATION = 'application:00000000-0000-4000-8000-000000000000';

let stack: Stack;
/** A second gateway on the same subgraphs for which every closed application is closed too long. */
let strictGateway: StackProcess;

beforeAll(async () => {
  stack = await startStack({ ...WORLD, participants: false, logLevel: 'warn' });
  strictGateway = await stack.startGateway({ PURPOSE_CLOSED_APPLICATION_DAYS: '0', PURPOSE_CACHE_TTL_MS: '0' });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const age = (c: SyntheticCitizen) => (Date.now() - new Date(c.birthDate).getTime()) / (365.25 * 86_400_000);
const adults = world.citizens.filter((c) => c.nik !== WARGA && age(c) >= 21 && age(c) < 60);
const groom = adults.find((c) => c.sex === 'MALE' && c.maritalStatus === 'SINGLE')!;
const bride = adults.find((c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE')!;
const [owner, stranger] = adults.filter((c) => c !== groom && c !== bride);
const minor = world.citizens.find((c) => c.sex === 'FEMALE' && age(c) >= 10 && age(c) < 18)!;

const CITIZEN = 'query ($nik: String!) { citizen(nik: $nik) { fullName } }';
const SUBMIT = 'mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }';
const APPLICATION = 'query ($id: ID!) { application(id: $id) { id status } }';
const APPLICATIONS_OF = 'query ($nik: String!) { citizen(nik: $nik) { applications { id } } }';

/** `citizen(nik) { fullName }` as `who` with `purpose`, through `url` (default: the stack's gateway). */
async function readCitizen(who: string, purpose: string, nik: string, url = stack.gatewayUrl): Promise<GraphQLResponse<{ citizen: { fullName: string } | null }>> {
  return postGraphQL<{ citizen: { fullName: string } | null }>(url, CITIZEN, { nik }, await stack.authHeaders(who, purpose));
}

function fullNameOf(nik: string): string {
  return world.citizens.find((c) => c.nik === nik)!.fullName;
}

/** The response served the citizen's name, and nothing was refused. */
function expectServed(response: GraphQLResponse<{ citizen: { fullName: string } | null }>, nik: string): void {
  expect(response.errors).toBeUndefined();
  expect(response.data?.citizen).toEqual({ fullName: fullNameOf(nik) });
}

/** The response refused the citizen with FORBIDDEN `rule` and gave no value. */
function expectRefused(response: GraphQLResponse<{ citizen: { fullName: string } | null }>, rule: string): void {
  expect(response.data?.citizen ?? null).toBeNull();
  expect(response.errors?.map((e) => ({ code: e.extensions?.code, rule: e.extensions?.rule }))).toEqual([{ code: 'FORBIDDEN', rule }]);
}

async function submit(type: string, applicantNik: string, inputs: Record<string, string>, mppOffice = 'MPP Siak') {
  return postGraphQL<{ submitApplication: { id: string; status: string } }>(
    stack.gatewayUrl,
    SUBMIT,
    { input: { type, applicantNik, mppOffice, inputs: Object.entries(inputs).map(([name, value]) => ({ name, value })) } },
    await stack.authHeaders(),
  );
}

async function submitted(type: string, applicantNik: string, inputs: Record<string, string>, mppOffice?: string): Promise<string> {
  const response = await submit(type, applicantNik, inputs, mppOffice);
  expect(response.errors).toBeUndefined();
  return response.data!.submitApplication.id;
}

async function waitForStatus(id: string, done: (status: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const response = await postGraphQL<{ application: { status: string } }>(stack.gatewayUrl, APPLICATION, { id }, await stack.authHeaders());
    last = response.data?.application.status ?? JSON.stringify(response.errors);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`application ${id} did not get there; last status ${last}`);
}

async function applicationsOf(nik: string): Promise<string[]> {
  const response = await postGraphQL<{ citizen: { applications: { id: string }[] } }>(stack.gatewayUrl, APPLICATIONS_OF, { nik }, await stack.authHeaders());
  expect(response.errors).toBeUndefined();
  return response.data!.citizen.applications.map((a) => a.id).sort();
}

const businessStart = (name: string) => ({ businessName: name, kbli: '47111', businessAddress: 'Jl. Sultan Syarif Kasim No. 3, Siak', businessScale: 'MICRO' });
const today = () => new Date().toISOString().slice(0, 10);

/** The BAD_USER_INPUT of a refused submission: field and rule of its first problem. */
function refusal(response: GraphQLResponse<unknown>) {
  expect(response.errors).toHaveLength(1);
  const { code, field, rule } = response.errors![0]!.extensions ?? {};
  return { code, field, rule };
}

describe('purpose application:<id>', () => {
  let marriage: string;

  beforeAll(async () => {
    // KUA reads both spouses from Dukcapil under this purpose through the gateway: completing it
    // means the binding serves a participant with a task in the application.
    marriage = await submitted('MARRIAGE_REGISTRATION', groom.nik, { groomNik: groom.nik, brideNik: bride.nik, marriageDate: today() });
    expect(await waitForStatus(marriage, (status) => ['COMPLETED', 'REJECTED', 'PARTIALLY_REJECTED'].includes(status))).toBe('COMPLETED');
  }, 120_000);

  it('refuses every personal field under an application that does not exist (PURPOSE_NOT_APPLICABLE, no value)', async () => {
    expectRefused(await readCitizen('petugas', NO_SUCH_APPLICATION, owner!.nik), 'PURPOSE_NOT_APPLICABLE');
    expectRefused(await readCitizen('supervisor', NO_SUCH_APPLICATION, owner!.nik), 'PURPOSE_NOT_APPLICABLE');
  });

  it("serves the officer the citizens of an open application, and no one else's data under it", async () => {
    const id = await submitted('BUSINESS_START', owner!.nik, businessStart('Kedai Kopi Tujuan'));
    expectServed(await readCitizen('petugas', `application:${id}`, owner!.nik), owner!.nik);
    expectRefused(await readCitizen('petugas', `application:${id}`, stranger!.nik), 'PURPOSE_NOT_APPLICABLE');
    // Another citizen's real application unlocks nobody else either.
    expectRefused(await readCitizen('petugas', `application:${marriage}`, owner!.nik), 'PURPOSE_NOT_APPLICABLE');
  });

  it('serves the members of a family card the application names (a newborn\'s elder sibling), and nobody outside it', async () => {
    const sibling = world.citizens.find((c) => c.familyRelationship === 'CHILD' && world.citizens.some((m) => m.familyCardNumber === c.familyCardNumber && m.sex === 'FEMALE' && m.familyRelationship !== 'CHILD' && age(m) >= 21 && m.nik !== WARGA))!;
    const mother = world.citizens.find((m) => m.familyCardNumber === sibling.familyCardNumber && m.sex === 'FEMALE' && m.familyRelationship !== 'CHILD' && age(m) >= 21)!;
    const birth = {
      childName: 'Bayi Uji Tujuan',
      childSex: 'MALE',
      childBirthDate: today(),
      birthPlace: 'Siak Sri Indrapura',
      motherNik: mother.nik,
      familyCardNumber: mother.familyCardNumber,
    };
    const id = await submitted('BIRTH_REGISTRATION', mother.nik, birth);
    expectServed(await readCitizen('petugas', `application:${id}`, sibling.nik), sibling.nik);
    expectServed(await readCitizen('petugas', `application:${id}`, mother.nik), mother.nik);
    expectRefused(await readCitizen('petugas', `application:${id}`, stranger!.nik), 'PURPOSE_NOT_APPLICABLE');
  });

  it("refuses an officer of another MPP office (the demo officer works at MPP Siak), not the supervisor", async () => {
    const id = await submitted('BUSINESS_START', stranger!.nik, businessStart('Warung Osing'), 'MPP Banyuwangi');
    expectRefused(await readCitizen('petugas', `application:${id}`, stranger!.nik), 'PURPOSE_NOT_APPLICABLE');
    expectServed(await readCitizen('supervisor', `application:${id}`, stranger!.nik), stranger!.nik);
  });

  it('serves a participant with a task in the application, and refuses one without', async () => {
    for (const spouse of [groom, bride]) expectServed(await readCitizen('agency-religious-affairs', `application:${marriage}`, spouse.nik), spouse.nik);
    // The police may read identity basics, but have no task in a marriage.
    expectRefused(await readCitizen('agency-police', `application:${marriage}`, groom.nik), 'PURPOSE_NOT_APPLICABLE');
  });

  it('refuses a citizen who is not a party, even for their own data', async () => {
    expectServed(await readCitizen('warga', 'legal-basis:CITIZEN_OWN_DATA_REQUEST', WARGA), WARGA);
    expectRefused(await readCitizen('warga', `application:${marriage}`, WARGA), 'PURPOSE_NOT_APPLICABLE');
  });

  it('refuses a closed application once PURPOSE_CLOSED_APPLICATION_DAYS have passed', async () => {
    expectServed(await readCitizen('petugas', `application:${marriage}`, groom.nik), groom.nik);
    expectRefused(await readCitizen('petugas', `application:${marriage}`, groom.nik, strictGateway.url), 'PURPOSE_NOT_APPLICABLE');
  });
});

describe('purpose legal-basis:<CODE>', () => {
  it('accepts LAW_ENFORCEMENT only from the police', async () => {
    expectRefused(await readCitizen('petugas', 'legal-basis:LAW_ENFORCEMENT', owner!.nik), 'PURPOSE_NOT_ALLOWED_FOR_ROLE');
    expectRefused(await readCitizen('agency-tax', 'legal-basis:LAW_ENFORCEMENT', owner!.nik), 'PURPOSE_NOT_ALLOWED_FOR_ROLE');
    expectServed(await readCitizen('agency-police', 'legal-basis:LAW_ENFORCEMENT', owner!.nik), owner!.nik);
  });

  it("accepts CITIZEN_OWN_DATA_REQUEST only for the citizen's own NIK", async () => {
    expectRefused(await readCitizen('petugas', 'legal-basis:CITIZEN_OWN_DATA_REQUEST', owner!.nik), 'PURPOSE_NOT_ALLOWED_FOR_ROLE');
    expectServed(await readCitizen('warga', 'legal-basis:CITIZEN_OWN_DATA_REQUEST', WARGA), WARGA);
  });
});

describe('submitApplication checks what it is given', () => {
  it('refuses a citizen Dukcapil has not registered (NIK_NOT_REGISTERED), storing nothing', async () => {
    const unregistered = '3510050308870099';
    expect(world.citizens.some((c) => c.nik === unregistered)).toBe(false);
    expect(refusal(await submit('BUSINESS_START', unregistered, businessStart('Toko Hantu')))).toEqual({ code: 'BAD_USER_INPUT', field: 'applicantNik', rule: 'NIK_NOT_REGISTERED' });
    const before = await applicationsOf(stranger!.nik);
    const marriage = await submit('MARRIAGE_REGISTRATION', stranger!.nik, { groomNik: stranger!.nik, brideNik: unregistered, marriageDate: today() });
    expect(refusal(marriage)).toEqual({ code: 'BAD_USER_INPUT', field: 'inputs.brideNik', rule: 'NIK_NOT_REGISTERED' });
    expect(await applicationsOf(stranger!.nik)).toEqual(before);
  });

  it('refuses a citizen younger than the type allows (CITIZEN_UNDER_AGE)', async () => {
    const response = await submit('MARRIAGE_REGISTRATION', stranger!.nik, { groomNik: stranger!.nik, brideNik: minor.nik, marriageDate: today() });
    expect(refusal(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'inputs.brideNik', rule: 'CITIZEN_UNDER_AGE' });
  });

  it('refuses control characters in free text with TEXT_CONTROL_CHARACTER, not an internal error', async () => {
    const before = await applicationsOf(owner!.nik);
    expect(refusal(await submit('BUSINESS_START', owner!.nik, businessStart('Warung\u0000Kopi')))).toEqual({ code: 'BAD_USER_INPUT', field: 'inputs.businessName', rule: 'TEXT_CONTROL_CHARACTER' });
    expect(refusal(await submit('BUSINESS_START', owner!.nik, businessStart('Warung Kopi'), 'MPP\u0000Siak'))).toEqual({ code: 'BAD_USER_INPUT', field: 'mppOffice', rule: 'TEXT_CONTROL_CHARACTER' });
    expect(await applicationsOf(owner!.nik)).toEqual(before);
  });

  it('refuses a NIK whose regency or district Kemendagri does not list (NIK_REGION)', async () => {
    expect(refusal(await submit('BUSINESS_START', '3510990502900001', businessStart('Toko Kecamatan Hilang')))).toEqual({ code: 'BAD_USER_INPUT', field: 'applicantNik', rule: 'NIK_REGION' });
    const citizen = await postGraphQL(stack.gatewayUrl, CITIZEN, { nik: '1411011705890001' }, await stack.authHeaders());
    expect(citizen.errors?.map((e) => [e.extensions?.code, e.extensions?.rule])).toEqual([['BAD_USER_INPUT', 'NIK_REGION']]);
  });
});
