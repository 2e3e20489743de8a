/**
 * The live status stream with the real audit service (verifying the gateway's contexts) on Postgres:
 * opening a stream is a recorded READ of the applicant's data, a stream the log cannot record is
 * never opened, and no stream outlives the context it was opened with.
 */
import { randomUUID } from 'node:crypto';
import { hashNik } from '@simpul/events';
import { createInternalContextSigner, INTERNAL_CONTEXT_HEADER, type InternalContextSigner } from '@simpul/service-kit';
import { createTestKey, TestIdentityProvider } from '@simpul/service-kit/testing';
import { createTestInternalContextKeys, postGraphQL, TEST_PURPOSE, testCallerClaims, type TestCaller } from '@simpul/testing';
import { asc, eq } from 'drizzle-orm';
import { applicationTimeline } from '../src/db/schema';
import { eventually, startApplicationsService, startEventSide, TEST_PEPPER, type ApplicationsHarness, type EventsHarness } from './support/applications-service';
import { startAuditService, type RunningAuditService } from './support/audit-service';
import { EventStream, type ServerSentEvent } from './support/event-stream';

const APPLICANT = '3510010502900001';
const SERVICE_ACCOUNT = { sub: 'sa-simpul-applications', azp: 'simpul-applications', preferred_username: 'service-account-simpul-applications', realm_access: { roles: [] } };
const SUPERVISOR: TestCaller = { subject: 'supervisor-3', client: 'mpp-console', roles: ['supervisor'], purpose: TEST_PURPOSE };

let idp: TestIdentityProvider;
let signer: InternalContextSigner;
let audit: RunningAuditService;
let service: ApplicationsHarness;
let events: EventsHarness & { stop(): Promise<void> };

beforeAll(async () => {
  idp = await TestIdentityProvider.start();
  const key = await createTestKey('applications-live-audit-test');
  idp.publish('simpul', [key]);
  const keys = await createTestInternalContextKeys();
  signer = createInternalContextSigner(keys.privateKey);
  audit = await startAuditService({
    internalContextPublicKey: keys.publicKey,
    identityProvider: { issuer: idp.issuer(), serviceToken: () => idp.mint(key, SERVICE_ACCOUNT) },
  });
  service = await startApplicationsService('applications_live_audit', { internalContextPublicKey: keys.publicKey, audit: audit.audit });
  events = await startEventSide(service);
}, 60_000);

afterAll(async () => {
  await events?.stop();
  await service?.stop();
  await audit?.close();
  await idp?.stop();
});

/** The headers the gateway's proxy sends: a context for `caller` (signed `now`, default the clock) and its correlation id. */
/** The stream request a context is bound to, as the gateway binds it. */
const streamOf = (id: string) => ({ method: 'GET', path: `/applications/${id}/events` });

async function gatewayHeaders(caller: TestCaller, options: { now?: Date; correlationId?: string; stream?: { method: string; path: string } } = {}) {
  const correlationId = options.correlationId ?? randomUUID();
  const context = await signer.sign(testCallerClaims({ ...caller, correlationId }, 'applications', options.stream), { now: options.now });
  return { [INTERNAL_CONTEXT_HEADER]: context, 'x-correlation-id': correlationId };
}

async function submitBusinessStart() {
  const response = await postGraphQL<{ submitApplication: { id: string; tasks: { id: string; stepId: string }[] } }>(
    service.graphqlUrl,
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
    await gatewayHeaders({ roles: ['officer'], purpose: TEST_PURPOSE }),
  );
  expect(response.errors).toBeUndefined();
  const application = response.data!.submitApplication;
  return { id: application.id, nibTask: application.tasks.find((t) => t.stepId === 'issue-nib')! };
}

const streamUrl = (id: string) => `${service.baseUrl}/applications/${id}/events`;
const streamReads = async (correlationId: string) => (await audit.records()).filter((record) => record.correlationId === correlationId);

describe('GET /applications/<id>/events with the audit log', () => {
  it('records opening a stream as one READ of the applicant’s data it shows, by the caller, before the first event', async () => {
    const application = await submitBusinessStart();
    const correlationId = randomUUID();
    const { response, stream } = await EventStream.open(streamUrl(application.id), await gatewayHeaders(SUPERVISOR, { correlationId, stream: streamOf(application.id) }));
    try {
      expect(response.status).toBe(200);
      expect(await stream.take(1)).toMatchObject([{ event: 'status', data: { applicationId: application.id } }]);
      // Read as soon as the first event is in: the record was committed before it was sent.
      const records = await streamReads(correlationId);
      expect(records).toEqual([
        {
          service: 'applications',
          actor: SUPERVISOR.subject,
          actorType: 'user',
          client: SUPERVISOR.client,
          roles: ['supervisor'],
          purpose: TEST_PURPOSE,
          nikHash: hashNik(APPLICANT, TEST_PEPPER),
          fields: expect.arrayContaining(['Application.status', 'Application.tasks', 'Application.timeline', 'ApplicationTask.status', 'ApplicationTask.documents', 'ApplicationTimelineEntry.documents']),
          kind: 'READ',
          correlationId,
        },
      ]);
      // What the stream shows, not the whole application.
      expect(records[0]!.fields).not.toEqual(expect.arrayContaining(['Application.mppOffice']));
      expect(records[0]!.fields).not.toEqual(expect.arrayContaining(['Application.applicant']));
    } finally {
      await stream.close();
    }
  });

  it('answers 503 AUDIT_UNAVAILABLE, coded JSON and no event, when the audit log cannot record the stream', async () => {
    const application = await submitBusinessStart();
    await eventually(() => expect(service.runtime.watcher.watching).toBe(0));
    const correlationId = randomUUID();
    await audit.stop();
    try {
      const response = await fetch(streamUrl(application.id), { headers: { accept: 'text/event-stream', ...(await gatewayHeaders(SUPERVISOR, { correlationId, stream: streamOf(application.id) })) } });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors).toEqual([{ message: expect.stringContaining('audit log'), extensions: { code: 'AUDIT_UNAVAILABLE' } }]);
      expect(service.runtime.watcher.watching).toBe(0);
    } finally {
      await audit.start();
    }
    expect(await streamReads(correlationId)).toEqual([]);
  });

  it('ends a stream when its context expires; the reconnect (new context, Last-Event-ID) resumes with nothing lost or repeated', async () => {
    const application = await submitBusinessStart();
    const report = (status: 'RECEIVED' | 'IN_REVIEW') =>
      events.reportTaskStatus({ taskId: application.nibTask.id, applicationId: application.id, participant: 'licensing', status });

    // Signed 58 s ago: the context expires within 2 s.
    const firstCorrelation = randomUUID();
    const shortLived = await gatewayHeaders(SUPERVISOR, { now: new Date(Date.now() - 58_000), correlationId: firstCorrelation, stream: streamOf(application.id) });
    const expiresAt = (JSON.parse(Buffer.from(shortLived[INTERNAL_CONTEXT_HEADER]!.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;
    const first = await EventStream.open(streamUrl(application.id), shortLived);
    expect(first.response.status).toBe(200);
    await first.stream.take(1);
    // The submission's entries (replayed), and two more (TASK_STATUS, STATUS_CHANGED), most likely
    // sent before the stream ends.
    await report('RECEIVED');

    // The server ends it (the client did not), once the context has expired.
    const outlived = new Promise((_, reject) => setTimeout(() => reject(new Error('the stream outlived its context by 15 s')), expiresAt - Date.now() + 15_000).unref());
    await Promise.race([first.stream.ended, outlived]);
    const endedAt = Date.now();
    // Timers may fire a few ms early against the wall clock; never a second early.
    expect(endedAt).toBeGreaterThanOrEqual(expiresAt - 50);
    await eventually(() => expect(service.runtime.watcher.watching).toBe(0));

    // Committed while no stream is open.
    await report('IN_REVIEW');
    await eventually(async () => expect(await service.database.db.$count(applicationTimeline, eq(applicationTimeline.applicationId, application.id))).toBe(5));

    // As EventSource reconnects through the gateway: a fresh context and the last id it saw.
    const lastSeen = first.stream.received.at(-1)!.id!;
    const secondCorrelation = randomUUID();
    const second = await EventStream.open(streamUrl(application.id), { ...(await gatewayHeaders(SUPERVISOR, { correlationId: secondCorrelation, stream: streamOf(application.id) })), 'last-event-id': lastSeen });
    try {
      expect(second.response.status).toBe(200);
      const [status] = await second.stream.take(1);
      expect(status).toMatchObject({ event: 'status', id: lastSeen, data: { status: 'IN_PROGRESS' } });
      await eventually(() => expect(second.stream.received.at(-1)).toMatchObject({ event: 'timeline', data: { kind: 'TASK_STATUS', taskStatus: 'IN_REVIEW' } }));

      // Every timeline entry after the first stream's position, exactly once across both streams.
      const timelineIds = (received: ServerSentEvent[]) => received.filter((e) => e.event === 'timeline').map((e) => Number(e.id));
      const delivered = [...timelineIds(first.stream.received), ...timelineIds(second.stream.received)];
      const entries = await service.database.db
        .select({ sequence: applicationTimeline.sequence })
        .from(applicationTimeline)
        .where(eq(applicationTimeline.applicationId, application.id))
        .orderBy(asc(applicationTimeline.sequence));
      // A fresh stream starts at position 0: the whole timeline, the submission's entries included.
      expect(Number(first.stream.received[0]!.id)).toBe(0);
      expect(delivered).toEqual(entries.map((e) => e.sequence));
    } finally {
      await second.stream.close();
    }
    // Each opening was recorded, by its own context.
    expect((await streamReads(firstCorrelation)).map((r) => r.kind)).toEqual(['READ']);
    expect((await streamReads(secondCorrelation)).map((r) => r.kind)).toEqual(['READ']);
  });
});
