import { PURPOSE_LOOKUP_CALLER } from '@simpul/service-kit';
import { TEST_PURPOSE, createTestCallerSigner, createTestInternalContextKeys, postGraphQL, type TestCallerSigner } from '@simpul/testing';
import { applicationPurposeFacts } from '../src/modules/application/application-purpose.route';
import { eventually, startApplicationsService, startEventSide, type ApplicationsHarness, type EventsHarness } from './support/applications-service';

// GET /purposes/applications/<id>: what the gateway binds an application purpose with (issue 10,
// item 1), on real Postgres with the gateway's signed contexts verified.
const GROOM = '3510010502900001';
const BRIDE = '3510015407920002';
const UNKNOWN = '0193c4b2-7c1e-7d4a-9f3e-2b8c1d0e5f6a';

let service: ApplicationsHarness;
let events: EventsHarness & { stop(): Promise<void> };
let gateway: TestCallerSigner;
let marriage: { id: string; tasks: { id: string; stepId: string; participant: string }[] };

const lookupPath = (id: string) => `/purposes/applications/${id}`;
const route = (id: string) => ({ method: 'GET', path: lookupPath(id) });
const lookupCaller = { ...PURPOSE_LOOKUP_CALLER, roles: [] };

async function lookUp(id: string, headers: Record<string, string>) {
  const response = await fetch(`${service.baseUrl}${lookupPath(id)}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  const keys = await createTestInternalContextKeys();
  gateway = createTestCallerSigner(keys.privateKey, 'applications');
  service = await startApplicationsService('applications_purpose_lookup', { internalContextPublicKey: keys.publicKey });
  events = await startEventSide(service);
  const response = await postGraphQL<{ submitApplication: typeof marriage }>(
    service.graphqlUrl,
    'mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { id tasks { id stepId participant } } }',
    {
      input: {
        type: 'MARRIAGE_REGISTRATION',
        applicantNik: GROOM,
        mppOffice: 'MPP Banyuwangi',
        inputs: [
          { name: 'groomNik', value: GROOM },
          { name: 'brideNik', value: BRIDE },
          { name: 'marriageDate', value: '2026-04-10' },
        ],
      },
    },
    await gateway.headers({ roles: ['officer'], purpose: TEST_PURPOSE }),
  );
  expect(response.errors).toBeUndefined();
  marriage = response.data!.submitApplication;
}, 60_000);

afterAll(async () => {
  await events?.stop();
  await service?.stop();
});

describe('GET /purposes/applications/<id>', () => {
  it("serves only the gateway's own look-up context, bound to this request", async () => {
    expect((await lookUp(marriage.id, {})).status).toBe(401);
    expect((await lookUp(marriage.id, await gateway.headers({ roles: ['officer'], purpose: TEST_PURPOSE }, route(marriage.id)))).status).toBe(403);
    // A look-up context made for another application is not this request's.
    expect((await lookUp(marriage.id, await gateway.headers(lookupCaller, route(UNKNOWN)))).status).toBe(401);
  });

  it('names the parties and the participants of an open application, and no application for an unknown id', async () => {
    const open = await lookUp(marriage.id, await gateway.headers(lookupCaller, route(marriage.id)));
    expect(open).toEqual({
      status: 200,
      body: { application: { id: marriage.id, status: 'SUBMITTED', closedAt: null, mppOffice: 'MPP Banyuwangi', parties: [GROOM, BRIDE], participants: ['religious-affairs', 'dukcapil'] } },
    });
    expect(await lookUp(UNKNOWN, await gateway.headers(lookupCaller, route(UNKNOWN)))).toEqual({ status: 200, body: { application: null } });
  });

  it('says when the application closed: its last task decided', async () => {
    const kua = marriage.tasks.find((task) => task.participant === 'religious-affairs')!;
    await events.reportTaskStatus({ taskId: kua.id, applicationId: marriage.id, participant: 'religious-affairs', status: 'REJECTED', reason: 'Mempelai pria masih terikat perkawinan' });
    const closed = await eventually(async () => {
      const answer = await lookUp(marriage.id, await gateway.headers(lookupCaller, route(marriage.id)));
      expect((answer.body.application as { closedAt: string | null }).closedAt).not.toBeNull();
      return answer.body.application as { status: string; closedAt: string };
    }, 30_000);
    expect(closed.status).toBe('REJECTED');
    expect(new Date(closed.closedAt).toISOString()).toBe(closed.closedAt);
  }, 60_000);
});

describe('GET /purposes/applications/<id> of an application naming a family card', () => {
  const MOTHER = '3510014107900002';
  const SIBLING = '3510015012150003';
  const CARD = '3510010101150001';
  let withRegistry: ApplicationsHarness;
  let officer: TestCallerSigner;

  beforeAll(async () => {
    const keys = await createTestInternalContextKeys();
    officer = createTestCallerSigner(keys.privateKey, 'applications');
    // Dukcapil's register as the gateway would answer: the mother is registered, the card has her and an elder child.
    const civilRegistry = {
      lookUp: async (niks: readonly string[]) => new Map(niks.filter((nik) => nik === MOTHER).map((nik) => [nik, { nik, birthDate: '1990-07-01', diedOn: null }])),
      familyMembers: async (cards: readonly string[]) => (cards.includes(CARD) ? [MOTHER, SIBLING] : []),
    };
    withRegistry = await startApplicationsService('applications_purpose_family', { internalContextPublicKey: keys.publicKey, civilRegistry });
  }, 60_000);
  afterAll(() => withRegistry?.stop());

  it('counts the members of the family card it names as its parties (issue 10: family-card members)', async () => {
    const facts = await applicationPurposeFacts(withRegistry.runtime.db, withRegistry.runtime.catalogue, (await submitBirth()).id, { civilRegistry: withRegistry.runtime.civilRegistry });
    expect(facts?.parties).toEqual(expect.arrayContaining([MOTHER, SIBLING]));
    expect(facts?.parties).not.toContain('3510019999990001');
  });

  it('counts only the named citizens when the card cannot be read', async () => {
    const down = { lookUp: async () => new Map(), familyMembers: () => Promise.reject(new Error('gateway down')) };
    const facts = await applicationPurposeFacts(withRegistry.runtime.db, withRegistry.runtime.catalogue, (await submitBirth()).id, { civilRegistry: down });
    expect(facts?.parties).toEqual([MOTHER]);
  });

  async function submitBirth(): Promise<{ id: string }> {
    const inputs = { childName: 'Bayi Uji', childSex: 'FEMALE', childBirthDate: '2026-11-30', birthPlace: 'Banyuwangi', motherNik: MOTHER, familyCardNumber: CARD };
    const response = await postGraphQL<{ submitApplication: { id: string } }>(
      withRegistry.graphqlUrl,
      'mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }',
      { input: { type: 'BIRTH_REGISTRATION', applicantNik: MOTHER, mppOffice: 'MPP Banyuwangi', inputs: Object.entries(inputs).map(([name, value]) => ({ name, value })) } },
      await officer.headers({ roles: ['officer'], purpose: TEST_PURPOSE }),
    );
    expect(response.errors).toBeUndefined();
    return response.data!.submitApplication;
  }
});
