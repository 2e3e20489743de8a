import { INTERNAL_CONTEXT_HEADER, createInternalContextSigner } from '@simpul/service-kit';
import {
  TEST_PURPOSE,
  createTestCallerSigner,
  testCallerClaims,
  createTestInternalContextKeys,
  postGraphQL,
  type TestCallerSigner,
  type TestInternalContextKeys,
} from '@simpul/testing';
import { eventually, startApplicationsService, startEventSide, type ApplicationsHarness, type EventsHarness } from './support/applications-service';
import { EventStream } from './support/event-stream';

const APPLICANT = '3510010502900001';

let service: ApplicationsHarness;
let events: EventsHarness & { stop(): Promise<void> };

beforeAll(async () => {
  service = await startApplicationsService('applications_live');
  events = await startEventSide(service);
});

afterAll(async () => {
  await events?.stop();
  await service?.stop();
});

async function submitBusinessStart(graphqlUrl = service.graphqlUrl, headers: Record<string, string> = {}) {
  const response = await postGraphQL<{ submitApplication: { id: string; tasks: { id: string; stepId: string }[] } }>(
    graphqlUrl,
    `mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { id tasks { id stepId } } }`,
    {
      input: {
        type: 'BUSINESS_START',
        applicantNik: APPLICANT,
        mppOffice: 'MPP Banyuwangi',
        inputs: [
          { name: 'businessName', value: 'Toko Batik Gajah Oling' },
          { name: 'kbli', value: '47711' },
          { name: 'businessAddress', value: 'Jl. Basuki Rahmat 5, Banyuwangi' },
        ],
      },
    },
    headers,
  );
  expect(response.errors).toBeUndefined();
  const application = response.data!.submitApplication;
  const nibTask = application.tasks.find((t) => t.stepId === 'issue-nib')!;
  return { id: application.id, nibTask };
}

const streamUrl = (id: string) => `${service.baseUrl}/applications/${id}/events`;

describe('GET /applications/<id>/events', () => {
  it('sends the current status, then the timeline so far, then each timeline entry as it happens', async () => {
    const application = await submitBusinessStart();
    const { response, stream } = await EventStream.open(streamUrl(application.id));
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const [status] = await stream.take(1);
      expect(status).toMatchObject({
        event: 'status',
        data: { applicationId: application.id, type: 'BUSINESS_START', status: 'SUBMITTED', slaBreached: false },
      });
      expect((status!.data.tasks as { stepId: string; status: string }[]).map((t) => [t.stepId, t.status])).toEqual([
        ['issue-nib', 'ASSIGNED'],
        ['register-npwp', 'PENDING'],
        ['open-business-account', 'PENDING'],
        ['connect-electricity', 'PENDING'],
      ]);
      // A fresh connection: the status stands at position 0, and the timeline so far follows it.
      expect(status!.id).toBe('0');
      const [, submitted, assigned] = await stream.take(3);
      expect(submitted).toMatchObject({ event: 'timeline', data: { kind: 'SUBMITTED', applicationStatus: 'SUBMITTED' } });
      expect(assigned).toMatchObject({ event: 'timeline', data: { kind: 'TASK_ASSIGNED', stepId: 'issue-nib' } });

      await events.reportTaskStatus({ taskId: application.nibTask.id, applicationId: application.id, participant: 'licensing', status: 'RECEIVED' });
      const [, , , received, inProgress] = await stream.take(5);
      expect(received).toMatchObject({ event: 'timeline', data: { kind: 'TASK_STATUS', stepId: 'issue-nib', taskStatus: 'RECEIVED', participant: 'licensing' } });
      expect(inProgress).toMatchObject({ event: 'timeline', data: { kind: 'STATUS_CHANGED', applicationStatus: 'IN_PROGRESS' } });
      expect(received!.id).toBe(received!.data.sequence);

      await events.reportTaskStatus({
        taskId: application.nibTask.id,
        applicationId: application.id,
        participant: 'licensing',
        status: 'APPROVED',
        documents: [{ kind: 'NIB', number: '8120009876543' }],
      });
      const all = await stream.take(9);
      expect(all.slice(5).map((e) => [e.data.kind, e.data.stepId])).toEqual([
        ['TASK_STATUS', 'issue-nib'],
        ['TASK_ASSIGNED', 'register-npwp'],
        ['TASK_ASSIGNED', 'open-business-account'],
        ['TASK_ASSIGNED', 'connect-electricity'],
      ]);
      expect(all[5]!.data.documents).toEqual([{ kind: 'NIB', number: '8120009876543' }]);
      const ids = all.slice(1).map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      await stream.close();
    }
    await eventually(() => expect(service.runtime.watcher.watching).toBe(0));
  });

  it('resumes after Last-Event-ID: the status again, then only the entries after it', async () => {
    const application = await submitBusinessStart();
    const first = await EventStream.open(streamUrl(application.id));
    await first.stream.take(1);
    await events.reportTaskStatus({ taskId: application.nibTask.id, applicationId: application.id, participant: 'licensing', status: 'RECEIVED' });
    // Status, the two entries of the submission, then RECEIVED.
    const [, , , received] = await first.stream.take(4);
    await first.stream.close();

    await events.reportTaskStatus({ taskId: application.nibTask.id, applicationId: application.id, participant: 'licensing', status: 'IN_REVIEW' });
    await eventually(async () => {
      const current = await postGraphQL<{ application: { tasks: { status: string }[] } }>(service.graphqlUrl, `query ($id: ID!) { application(id: $id) { tasks { status } } }`, {
        id: application.id,
      });
      expect(current.data!.application.tasks[0]!.status).toBe('IN_REVIEW');
    });

    const resumed = await EventStream.open(streamUrl(application.id), { 'last-event-id': received!.id! });
    try {
      const [status, inProgress, inReview] = await resumed.stream.take(3);
      expect(status).toMatchObject({ event: 'status', data: { status: 'IN_PROGRESS' } });
      expect(inProgress!.data).toMatchObject({ kind: 'STATUS_CHANGED', applicationStatus: 'IN_PROGRESS' });
      expect(inReview!.data).toMatchObject({ kind: 'TASK_STATUS', taskStatus: 'IN_REVIEW' });
    } finally {
      await resumed.stream.close();
    }
  });

  it('answers 404 for an unknown application and 400 for a malformed id', async () => {
    const unknown = await fetch(streamUrl('0195a1b2-0000-7000-8000-000000000404'));
    expect(unknown.status).toBe(404);
    const malformed = await fetch(streamUrl('not-a-uuid'));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'UUID' });
  });
});

describe('GET /applications/<id>/events with INTERNAL_CONTEXT_PUBLIC_KEY', () => {
  const SOMEONE_ELSE = '3510015005900001';
  let secured: ApplicationsHarness;
  let keys: TestInternalContextKeys;
  let gateway: TestCallerSigner;
  let applicationId: string;
  const securedUrl = (id: string) => `${secured.baseUrl}/applications/${id}/events`;
  /** The stream request a context is bound to, as the gateway binds it. */
  const streamOf = (id: string) => ({ method: 'GET', path: `/applications/${id}/events` });

  beforeAll(async () => {
    keys = await createTestInternalContextKeys();
    gateway = createTestCallerSigner(keys.privateKey, 'applications');
    secured = await startApplicationsService('applications_live_secured', { internalContextPublicKey: keys.publicKey });
    applicationId = (await submitBusinessStart(secured.graphqlUrl, await gateway.headers({ roles: ['officer'], purpose: TEST_PURPOSE }))).id;
  });

  afterAll(async () => {
    await secured?.stop();
  });

  /** A refused request's answer, checked to be coded JSON and never a stream; and how many queries it ran. */
  async function refused(headers: Record<string, string>, id = applicationId) {
    await eventually(() => expect(secured.runtime.watcher.watching).toBe(0));
    const queriesBefore = secured.counter.count;
    const response = await fetch(securedUrl(id), { headers: { accept: 'text/event-stream', ...headers } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(secured.runtime.watcher.watching).toBe(0);
    return { status: response.status, error: body.errors[0]!, queries: secured.counter.count - queriesBefore };
  }

  it('refuses a direct request without a context: 401, coded, nothing read and no event', async () => {
    const answer = await refused({});
    expect(answer.status).toBe(401);
    expect(answer.error.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(answer.error.message).toContain('x-simpul-context');
    expect(answer.queries).toBe(0);
  });

  it('refuses a context not signed by the gateway’s key, or expired', async () => {
    const rogue = createTestCallerSigner((await createTestInternalContextKeys()).privateKey, 'applications');
    const forged = await refused(await rogue.headers({ roles: ['officer'], purpose: TEST_PURPOSE }, streamOf(applicationId)));
    expect(forged.status).toBe(401);
    expect(forged.error.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(forged.error.message).toContain('SIGNATURE');
    expect(forged.queries).toBe(0);
    expect((await refused({ [INTERNAL_CONTEXT_HEADER]: 'not-a-jws' })).status).toBe(401);

    const twoMinutesAgo = new Date(Date.now() - 120_000);
    const stale = await createInternalContextSigner(keys.privateKey).sign(testCallerClaims({ roles: ['officer'], purpose: TEST_PURPOSE }, 'applications', streamOf(applicationId)), { now: twoMinutesAgo });
    const expired = await refused({ [INTERNAL_CONTEXT_HEADER]: stale });
    expect(expired.status).toBe(401);
    expect(expired.error.message).toContain('EXPIRED');
    expect(expired.queries).toBe(0);
  });

  it('streams to a caller the SDL lets read the application, with a purpose', async () => {
    const { response, stream } = await EventStream.open(securedUrl(applicationId), await gateway.headers({ roles: ['supervisor'], purpose: TEST_PURPOSE }, streamOf(applicationId)));
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const [status] = await stream.take(1);
      expect(status).toMatchObject({ event: 'status', data: { applicationId, type: 'BUSINESS_START', status: 'SUBMITTED' } });
    } finally {
      await stream.close();
    }
  });

  it('streams to the applicant (a citizen user, `self`), and refuses another citizen after reading whose application it is', async () => {
    const own = await EventStream.open(securedUrl(applicationId), await gateway.headers({ roles: ['citizen'], nik: APPLICANT, purpose: 'legal-basis:CITIZEN_OWN_DATA_REQUEST' }, streamOf(applicationId)));
    try {
      expect(own.response.status).toBe(200);
      expect(await own.stream.take(1)).toMatchObject([{ event: 'status', data: { applicationId } }]);
    } finally {
      await own.stream.close();
    }

    const other = await refused(await gateway.headers({ roles: ['citizen'], nik: SOMEONE_ELSE, purpose: 'legal-basis:CITIZEN_OWN_DATA_REQUEST' }, streamOf(applicationId)));
    expect(other.status).toBe(403);
    expect(other.error.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'FIELD_ACCESS' });
    // Whose application it is had to be read; nothing of it was sent.
    expect(other.queries).toBeGreaterThan(0);
  });

  it.each([
    ['an auditor', { roles: ['auditor'] }],
    ['a participant', { roles: ['participant:licensing', 'agency:licensing'] }],
    ['an integrator', { roles: ['integrator'] }],
    ['a citizen client without a NIK', { roles: ['citizen'] }],
    ['no role at all (anonymous)', { roles: [] }],
  ])('refuses %s with 403 FIELD_ACCESS before reading anything', async (_who, caller) => {
    const answer = await refused(await gateway.headers({ ...caller, purpose: TEST_PURPOSE }, streamOf(applicationId)));
    expect(answer.status).toBe(403);
    expect(answer.error.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'FIELD_ACCESS', field: 'Application.id' });
    expect(answer.queries).toBe(0);
  });

  it('refuses an allowed role without a purpose (the application is personal data): 403 PURPOSE_REQUIRED', async () => {
    const answer = await refused(await gateway.headers({ roles: ['officer'] }, streamOf(applicationId)));
    expect(answer.status).toBe(403);
    expect(answer.error.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'PURPOSE_REQUIRED' });
    expect(answer.queries).toBe(0);
  });

  it('still answers 404 for an unknown application to an allowed caller', async () => {
    const unknown = '0195a1b2-0000-7000-8000-000000000404';
    const response = await fetch(securedUrl(unknown), { headers: await gateway.headers({ roles: ['officer'], purpose: TEST_PURPOSE }, streamOf(unknown)) });
    expect(response.status).toBe(404);
  });

  it('refuses a context the gateway signed for another request: another stream, or a GraphQL fetch (a captured context replayed)', async () => {
    const officer = { roles: ['officer'], purpose: TEST_PURPOSE };
    for (const headers of [await gateway.headers(officer, streamOf('0195a1b2-0000-7000-8000-000000000404')), await gateway.headers(officer)]) {
      const answer = await refused(headers);
      expect(answer.status).toBe(401);
      expect(answer.error.message).toContain('REQUEST');
      expect(answer.queries).toBe(0);
    }
  });
});
