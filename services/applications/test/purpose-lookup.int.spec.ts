import { PURPOSE_LOOKUP_CALLER } from '@simpul/service-kit';
import { TEST_PURPOSE, createTestCallerSigner, createTestInternalContextKeys, postGraphQL, type TestCallerSigner } from '@simpul/testing';
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
