/**
 * Changes to applications are in the audit log before they commit, on the real audit service
 * (verifying the gateway's contexts and the service account's token) and Postgres: a submission by
 * the officer who filed it, a participant's report (over events or the webhook route) by the
 * applications service's own account. While the log is down nothing changes; the report is applied
 * once it is back.
 */
import { randomUUID } from 'node:crypto';
import { hashNik, signWebhook, uuidv7, WEBHOOK_HEADERS, type SimpulEvent } from '@simpul/events';
import { createTestKey, TestIdentityProvider, type TestKey } from '@simpul/service-kit/testing';
import { createTestCallerSigner, createTestInternalContextKeys, postGraphQL, TEST_PURPOSE, type TestCallerSigner } from '@simpul/testing';
import { and, eq } from 'drizzle-orm';
import { applications, applicationTasks, applicationTimeline, inbox, outbox } from '../src/db/schema';
import { TASK_STATUS_CONSUMER_GROUP } from '../src/modules/task/task-status.consumer';
import { eventually, startApplicationsService, startEventSide, TEST_PEPPER, type ApplicationsHarness, type EventsHarness } from './support/applications-service';
import { startAuditService, type RunningAuditService, type StoredAuditRecord } from './support/audit-service';
import { WebhookParticipantServer } from './support/webhook-participant';

const APPLICANT = '3510011203850001';
const GROOM = '3510010502900001';
const BRIDE = '3510015407920002';
const BANK_SECRET = 'bank-bpd-webhook-secret-0123456789';
/** The applications service's service account, as a Keycloak client-credentials token names it. */
const SERVICE_ACCOUNT = { sub: 'sa-simpul-applications', azp: 'simpul-applications', preferred_username: 'service-account-simpul-applications', realm_access: { roles: [] } };
const OFFICER = { subject: 'officer-7', client: 'mpp-console', roles: ['officer'], purpose: TEST_PURPOSE };

const bank = new WebhookParticipantServer();
let idp: TestIdentityProvider;
let key: TestKey;
let gateway: TestCallerSigner;
let audit: RunningAuditService;
let service: ApplicationsHarness;
let events: EventsHarness & { stop(): Promise<void> };

beforeAll(async () => {
  idp = await TestIdentityProvider.start();
  key = await createTestKey('applications-audit-test');
  idp.publish('simpul', [key]);
  const keys = await createTestInternalContextKeys();
  gateway = createTestCallerSigner(keys.privateKey, 'applications');
  audit = await startAuditService({
    internalContextPublicKey: keys.publicKey,
    identityProvider: { issuer: idp.issuer(), serviceToken: () => idp.mint(key, SERVICE_ACCOUNT) },
  });
  const webhooks = new Map([['bank-bpd', { code: 'bank-bpd', url: await bank.start(), secret: BANK_SECRET }]]);
  service = await startApplicationsService('applications_audit_changes', { internalContextPublicKey: keys.publicKey, audit: audit.audit, webhooks });
  // Retried for as long as a test keeps the audit log down.
  events = await startEventSide(service, { consumer: { maxAttempts: 400, backoff: { initialMs: 50, maxMs: 100 } } });
}, 60_000);

afterAll(async () => {
  await events?.stop();
  await service?.stop();
  await audit?.close();
  await bank.stop();
  await idp?.stop();
});

interface SubmittedApplication {
  id: string;
  tasks: { id: string; stepId: string }[];
}

async function submit(input: Record<string, unknown>, correlationId = randomUUID()) {
  const headers = { ...(await gateway.headers({ ...OFFICER, correlationId })), 'x-correlation-id': correlationId };
  return postGraphQL<{ submitApplication: SubmittedApplication }>(
    service.graphqlUrl,
    `mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status tasks { id stepId status } } }`,
    { input },
    headers,
  );
}

/** Filed by APPLICANT (a relative at the counter) for GROOM and BRIDE: three citizens. */
const marriage = {
  type: 'MARRIAGE_REGISTRATION',
  applicantNik: APPLICANT,
  mppOffice: 'MPP Banyuwangi',
  inputs: [
    { name: 'groomNik', value: GROOM },
    { name: 'brideNik', value: BRIDE },
    { name: 'marriageDate', value: '2026-04-10' },
  ],
};

async function submitted(input: Record<string, unknown>): Promise<SubmittedApplication> {
  const response = await submit(input);
  expect(response.errors).toBeUndefined();
  return response.data!.submitApplication;
}

const taskOf = (application: SubmittedApplication, stepId: string) => application.tasks.find((t) => t.stepId === stepId)!;

/** What is stored, read from the database (GraphQL reads need the audit log too). */
async function stored() {
  const { db } = service.database;
  return { applications: await db.$count(applications), tasks: await db.$count(applicationTasks), timeline: await db.$count(applicationTimeline), outbox: await db.$count(outbox) };
}

async function taskStatus(taskId: string) {
  const [task] = await service.database.db.select({ status: applicationTasks.status }).from(applicationTasks).where(eq(applicationTasks.id, taskId));
  return task?.status;
}

async function timelineKinds(applicationId: string) {
  const rows = await service.database.db
    .select({ kind: applicationTimeline.kind })
    .from(applicationTimeline)
    .where(eq(applicationTimeline.applicationId, applicationId))
    .orderBy(applicationTimeline.sequence);
  return rows.map((row) => row.kind);
}

async function applied(eventId: string) {
  return (await service.database.db.$count(inbox, and(eq(inbox.consumerGroup, TASK_STATUS_CONSUMER_GROUP), eq(inbox.eventId, eventId)))) > 0;
}

const recordsOf = async (predicate: (record: StoredAuditRecord) => boolean) => (await audit.records()).filter(predicate);

/** The service account's CHANGE record of a report applied to `applicationId`, for `nik`. */
const ownChange = (applicationId: string, nik: string, fields: string[], correlationId: string): StoredAuditRecord => ({
  service: 'applications',
  actor: SERVICE_ACCOUNT.sub,
  actorType: 'client',
  client: SERVICE_ACCOUNT.azp,
  roles: [],
  purpose: `application:${applicationId}`,
  nikHash: hashNik(nik, TEST_PEPPER),
  fields,
  kind: 'CHANGE',
  correlationId,
});

/**
 * Keeps the audit log down while `during` runs, after the service failed to append to it at least
 * twice (so a retry failed as well); then brings it back.
 */
async function withAuditDown(during: () => Promise<void>, whileDown: () => Promise<void>): Promise<void> {
  const failedBefore = audit.failedAppends();
  await audit.stop();
  try {
    await during();
    await eventually(() => expect(audit.failedAppends()).toBeGreaterThanOrEqual(failedBefore + 2), 20_000);
    await whileDown();
  } finally {
    await audit.start();
  }
}

describe('submitApplication with the audit log', () => {
  it('refuses a submission the audit log cannot record: AUDIT_UNAVAILABLE, and no application, task, timeline or outbox row', async () => {
    const before = await stored();
    await audit.stop();
    try {
      const response = await submit(marriage);
      expect(response.data ?? null).toBeNull();
      expect(response.errors).toEqual([expect.objectContaining({ path: ['submitApplication'], extensions: expect.objectContaining({ code: 'AUDIT_UNAVAILABLE' }) })]);
      expect(await stored()).toEqual(before);
    } finally {
      await audit.start();
    }
  });

  it('records the submission as a change of every citizen it names, once each, by the officer who filed it', async () => {
    const correlationId = randomUUID();
    const response = await submit(marriage, correlationId);
    expect(response.errors).toBeUndefined();

    const records = await recordsOf((record) => record.correlationId === correlationId);
    expect(records.filter((record) => record.kind === 'CHANGE')).toEqual(
      [APPLICANT, GROOM, BRIDE].map((nik) => ({
        service: 'applications',
        actor: OFFICER.subject,
        actorType: 'user',
        client: OFFICER.client,
        roles: OFFICER.roles,
        purpose: TEST_PURPOSE,
        nikHash: hashNik(nik, TEST_PEPPER),
        fields: ['Mutation.submitApplication'],
        kind: 'CHANGE',
        correlationId,
      })),
    );
    // The application the response returns is the applicant's: read, and not recorded as a change again.
    expect(records.filter((record) => record.kind === 'READ').map((record) => record.nikHash)).toEqual([hashNik(APPLICANT, TEST_PEPPER)]);
  });
});

describe('task status reports with the audit log', () => {
  const REPORT_FIELDS = [
    'Application.status',
    'Application.timeline',
    'ApplicationTask.assignedAt',
    'ApplicationTask.completedAt',
    'ApplicationTask.documents',
    'ApplicationTask.dueAt',
    'ApplicationTask.status',
  ];

  it('applies a report only once its change is recorded: rolled back and retried while the log is down, then recorded for every citizen', async () => {
    const application = await submitted(marriage);
    const task = taskOf(application, 'register-marriage');
    let event: SimpulEvent | undefined;
    await withAuditDown(
      async () => {
        event = await events.reportTaskStatus({
          taskId: task.id,
          applicationId: application.id,
          participant: 'religious-affairs',
          status: 'APPROVED',
          documents: [{ kind: 'MARRIAGE_CERTIFICATE', number: '3510-KUA-2026-000123' }],
        });
      },
      async () => {
        // Every attempt rolled back: the task, the timeline, the inbox and the outbox as before.
        expect(await taskStatus(task.id)).toBe('ASSIGNED');
        expect(await timelineKinds(application.id)).toEqual(['SUBMITTED', 'TASK_ASSIGNED']);
        expect(await applied(event!.id)).toBe(false);
      },
    );

    await eventually(async () => expect(await applied(event!.id)).toBe(true), 20_000);
    expect(await taskStatus(task.id)).toBe('APPROVED');
    expect(await timelineKinds(application.id)).toEqual(['SUBMITTED', 'TASK_ASSIGNED', 'TASK_STATUS', 'TASK_ASSIGNED', 'STATUS_CHANGED']);
    expect(await recordsOf((record) => record.purpose === `application:${application.id}`)).toEqual(
      [APPLICANT, GROOM, BRIDE].map((nik) => ownChange(application.id, nik, REPORT_FIELDS, event!.correlationId)),
    );
  });

  it('records nothing for a report that changes nothing (a repeat of an applied one)', async () => {
    const application = await submitted(marriage);
    const task = taskOf(application, 'register-marriage');
    const report = { taskId: task.id, applicationId: application.id, participant: 'religious-affairs', status: 'RECEIVED' as const };
    const first = await events.reportTaskStatus(report);
    await eventually(async () => expect(await applied(first.id)).toBe(true));
    const late = await events.reportTaskStatus(report);
    await eventually(async () => expect(await applied(late.id)).toBe(true));

    const records = await recordsOf((record) => record.purpose === `application:${application.id}`);
    expect(records.map((record) => [record.correlationId, record.fields])).toEqual(
      [APPLICANT, GROOM, BRIDE].map(() => [first.correlationId, ['Application.status', 'Application.timeline', 'ApplicationTask.status']]),
    );
  });

  it('applies a webhook participant’s report (202 at once) once the audit log records it', async () => {
    const renewal = await submitted({ type: 'VEHICLE_ANNUAL_RENEWAL', applicantNik: APPLICANT, mppOffice: 'MPP Banyuwangi', inputs: [{ name: 'plateNumber', value: 'P 1234 AB' }] });
    const task = taskOf(renewal, 'collect-vehicle-tax');
    const eventId = uuidv7();
    await withAuditDown(
      async () => {
        const body = JSON.stringify({ taskId: task.id, applicationId: renewal.id, status: 'APPROVED', documents: [{ kind: 'PKB_RECEIPT', number: 'PKB-2026-000042' }], eventId });
        const response = await fetch(`${service.baseUrl}/participants/bank-bpd/task-status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [WEBHOOK_HEADERS.signature]: signWebhook(BANK_SECRET, body) },
          body,
        });
        // The report is safe in the outbox; applying it is the consumer's work, which waits for the log.
        expect(response.status).toBe(202);
      },
      async () => {
        expect(await taskStatus(task.id)).toBe('ASSIGNED');
        expect(await applied(eventId)).toBe(false);
      },
    );

    await eventually(async () => expect(await applied(eventId)).toBe(true), 20_000);
    expect(await taskStatus(task.id)).toBe('APPROVED');
    const [application] = await service.database.db.select({ correlationId: applications.correlationId }).from(applications).where(eq(applications.id, renewal.id));
    expect(await recordsOf((record) => record.purpose === `application:${renewal.id}`)).toEqual([ownChange(renewal.id, APPLICANT, REPORT_FIELDS, application!.correlationId)]);
  });
});

describe('SLA breaches with the audit log', () => {
  afterEach(() => service.advanceClock(0));

  it('records a breach before it is stamped; while the log is down the sweep fails and stamps nothing', async () => {
    const application = await submitted(marriage);
    // register-marriage is due after its SLA (at most a few days): a week later it is overdue.
    service.advanceClock(7 * 24 * 3_600_000);
    const slaBreachedAt = async () =>
      (await service.database.db.select({ at: applications.slaBreachedAt }).from(applications).where(eq(applications.id, application.id)))[0]!.at;

    await audit.stop();
    try {
      await expect(events.processing.sweep.sweep()).rejects.toThrow(/audit/);
      expect(await slaBreachedAt()).toBeNull();
      expect(await timelineKinds(application.id)).toEqual(['SUBMITTED', 'TASK_ASSIGNED']);
    } finally {
      await audit.start();
    }

    expect(await events.processing.sweep.sweep()).toContain(application.id);
    expect(await slaBreachedAt()).not.toBeNull();
    const [row] = await service.database.db.select({ correlationId: applications.correlationId }).from(applications).where(eq(applications.id, application.id));
    expect(await recordsOf((record) => record.purpose === `application:${application.id}`)).toEqual(
      [APPLICANT, GROOM, BRIDE].map((nik) => ownChange(application.id, nik, ['Application.slaBreached', 'Application.timeline'], row!.correlationId)),
    );
  });
});
