import {
  describeDeadLetter,
  dlqTopic,
  replayDlq,
  signWebhook,
  TASK_STATUS_TOPIC,
  taskAssignedTopic,
  uuidv7,
  verifyWebhook,
  WEBHOOK_HEADERS,
  type EventOf,
} from '@simpul/events';
import { freePort, postGraphQL } from '@simpul/testing';
import { and, eq } from 'drizzle-orm';
import { applicationTimeline, inbox, outbox } from '../src/db/schema';
import { taskWebhookGroup } from '../src/modules/webhook/task-webhook.consumer';
import type { WebhookParticipant } from '../src/modules/webhook/webhook-config';
import { eventually, startApplicationsService, startEventSide, type ApplicationsHarness, type EventsHarness } from './support/applications-service';
import { WebhookParticipantServer } from './support/webhook-participant';

const APPLICANT = '3510010502900001';
const BANK_SECRET = 'bank-bpd-webhook-secret-0123456789';
const LICENSING_SECRET = 'licensing-webhook-secret-0123456789';
const MAX_ATTEMPTS = 4;

// bank-bpd answers on a local server; licensing's endpoint is down (nothing listens on its port).
const bank = new WebhookParticipantServer();
let licensingPort: number;
let service: ApplicationsHarness;
let events: EventsHarness & { stop(): Promise<void> };

beforeAll(async () => {
  const bankUrl = await bank.start();
  licensingPort = await freePort();
  const webhooks = new Map<string, WebhookParticipant>([
    ['bank-bpd', { code: 'bank-bpd', url: bankUrl, secret: BANK_SECRET }],
    ['licensing', { code: 'licensing', url: `http://127.0.0.1:${licensingPort}/tasks`, secret: LICENSING_SECRET }],
  ]);
  service = await startApplicationsService('applications_webhooks', { webhooks });
  events = await startEventSide(service, { webhooks: { maxAttempts: MAX_ATTEMPTS, backoff: { initialMs: 50, maxMs: 200 }, timeoutMs: 2000 } });
});

afterAll(async () => {
  await events?.stop();
  await service?.stop();
  await bank.stop();
});

interface Task {
  id: string;
  stepId: string;
  participant: string;
  status: string;
  documents: { kind: string; number: string }[];
  reason: string | null;
}
interface Application {
  id: string;
  status: string;
  tasks: Task[];
  timeline: { kind: string; stepId: string | null; taskStatus: string | null; applicationStatus: string | null }[];
}
const FIELDS = `id status tasks { id stepId participant status documents { kind number } reason } timeline { kind stepId taskStatus applicationStatus }`;

async function submit(input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Application> {
  const response = await postGraphQL<{ submitApplication: Application }>(
    service.graphqlUrl,
    `mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { ${FIELDS} } }`,
    { input },
    headers,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.submitApplication;
}

async function read(id: string): Promise<Application> {
  const response = await postGraphQL<{ application: Application }>(service.graphqlUrl, `query ($id: ID!) { application(id: $id) { ${FIELDS} } }`, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.application;
}

/** VEHICLE_ANNUAL_RENEWAL: bank-bpd collects the PKB first. */
const submitVehicleRenewal = (headers: Record<string, string> = {}) =>
  submit({ type: 'VEHICLE_ANNUAL_RENEWAL', applicantNik: APPLICANT, mppOffice: 'MPP Banyuwangi', inputs: [{ name: 'plateNumber', value: 'P 1234 AB' }] }, headers);

/** BUSINESS_START: licensing issues the NIB first. */
const submitBusinessStart = () =>
  submit({
    type: 'BUSINESS_START',
    applicantNik: APPLICANT,
    mppOffice: 'MPP Banyuwangi',
    inputs: [
      { name: 'businessName', value: 'Warung Kopi Osing' },
      { name: 'kbli', value: '56303' },
      { name: 'businessAddress', value: 'Jl. Ahmad Yani 12, Banyuwangi' },
    ],
  });

const taskOf = (application: Application, stepId: string) => application.tasks.find((t) => t.stepId === stepId)!;

const untilTask = (id: string, stepId: string, status: string) =>
  eventually(async () => {
    const application = await read(id);
    expect(taskOf(application, stepId).status).toBe(status);
    return application;
  });

/** Waits until the bank received `count` deliveries of this application's tasks. */
const bankTasks = (applicationId: string, count: number) =>
  eventually(() => {
    const received = bank.tasksOf(applicationId);
    expect(received).toHaveLength(count);
    return received;
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tasks to webhook participants', () => {
  it('POSTs the task envelope exactly as on the topic, signed with the participant secret', async () => {
    const application = await submitVehicleRenewal();
    const task = taskOf(application, 'collect-vehicle-tax');
    const [delivery] = await bankTasks(application.id, 1);

    expect(delivery!.method).toBe('POST');
    expect(delivery!.path).toBe('/tasks');
    expect(delivery!.headers['content-type']).toBe('application/json');
    const signature = delivery!.headers[WEBHOOK_HEADERS.signature] as string;
    expect(verifyWebhook(BANK_SECRET, delivery!.body, signature)).toEqual({ ok: true });
    expect(verifyWebhook(LICENSING_SECRET, delivery!.body, signature)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });

    const onTopic = (await events.transport.read(taskAssignedTopic('bank-bpd'))).find((m) => m.value.includes(task.id))!;
    expect(delivery!.body).toBe(onTopic.value);
    const envelope = JSON.parse(delivery!.body) as EventOf<'mpp.task.assigned'>;
    expect(delivery!.headers[WEBHOOK_HEADERS.eventId]).toBe(envelope.id);
    expect(envelope).toMatchObject({
      type: 'mpp.task.assigned',
      version: 1,
      subject: application.id,
      data: { taskId: task.id, applicationId: application.id, participant: 'bank-bpd', taskKind: 'COLLECT_VEHICLE_TAX', inputs: { plateNumber: 'P 1234 AB' } },
    });

    // Recorded in the webhook consumer's inbox: a redelivered message is not POSTed again.
    const recorded = await service.database.db
      .select()
      .from(inbox)
      .where(and(eq(inbox.consumerGroup, taskWebhookGroup('bank-bpd')), eq(inbox.eventId, envelope.id)));
    expect(recorded).toHaveLength(1);
  });

  it('retries a participant that fails twice, until it takes the task', async () => {
    bank.answerNext(500, 503);
    const application = await submitVehicleRenewal();
    const deliveries = await bankTasks(application.id, 3);

    expect(new Set(deliveries.map((d) => d.headers[WEBHOOK_HEADERS.eventId])).size).toBe(1);
    expect(new Set(deliveries.map((d) => d.body)).size).toBe(1);
    for (const delivery of deliveries) expect(verifyWebhook(BANK_SECRET, delivery.body, delivery.headers[WEBHOOK_HEADERS.signature] as string).ok).toBe(true);
    await sleep(500);
    expect(bank.tasksOf(application.id)).toHaveLength(3);
    const dead = await events.transport.read(dlqTopic(taskAssignedTopic('bank-bpd')));
    expect(dead.filter((m) => m.value.includes(application.id))).toEqual([]);
  });

  it('dead-letters the task of a participant that stays down; a replay delivers it once it is back', async () => {
    const application = await submitBusinessStart();
    const task = taskOf(application, 'issue-nib');
    const dlq = dlqTopic(taskAssignedTopic('licensing'));
    const deadLetter = await eventually(async () => {
      const found = (await events.transport.read(dlq)).filter((m) => m.value.includes(task.id));
      expect(found).toHaveLength(1);
      return describeDeadLetter(found[0]!);
    });
    expect(deadLetter).toMatchObject({ rule: 'HANDLER_FAILED', attempts: MAX_ATTEMPTS, consumerGroup: taskWebhookGroup('licensing') });
    expect(deadLetter.error).toContain('licensing is unreachable: ECONNREFUSED');

    const licensing = new WebhookParticipantServer();
    await licensing.start(licensingPort);
    try {
      await replayDlq(events.transport, dlq, { filter: (letter) => letter.eventId === deadLetter.eventId });
      const [delivery] = await eventually(() => {
        const received = licensing.tasksOf(application.id);
        expect(received).toHaveLength(1);
        return received;
      });
      expect(delivery!.body).toBe(deadLetter.message.value);
      expect(verifyWebhook(LICENSING_SECRET, delivery!.body, delivery!.headers[WEBHOOK_HEADERS.signature] as string)).toEqual({ ok: true });
    } finally {
      await licensing.stop();
    }
  });
});

describe('POST /participants/<code>/task-status', () => {
  interface Answer {
    status: number;
    body: { eventId?: string; error?: { code: string; message: string; reason?: string; issues?: { path: string; message: string }[] } };
  }

  async function post(participant: string, body: string, headers: Record<string, string> = {}, method = 'POST'): Promise<Answer> {
    const response = await fetch(`${service.baseUrl}/participants/${participant}/task-status`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: method === 'GET' ? undefined : body,
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  /** A report as the participant's connector sends it: signed with its secret. */
  function report(participant: string, secret: string, data: Record<string, unknown>, options: { at?: Date } = {}): Promise<Answer> {
    const body = JSON.stringify(data);
    return post(participant, body, { [WEBHOOK_HEADERS.signature]: signWebhook(secret, body, options.at) });
  }

  const statusReportsIn = async (taskId: string) => {
    const rows = await service.database.db.select().from(outbox).where(eq(outbox.eventType, 'mpp.task.status'));
    return rows.filter((row) => row.payload.includes(taskId));
  };

  let application: Application;
  let task: Task;
  const CORRELATION_ID = '0195a1b2-0000-7000-8000-0000000b4bd0';

  beforeAll(async () => {
    application = await submitVehicleRenewal({ 'x-correlation-id': CORRELATION_ID });
    task = taskOf(application, 'collect-vehicle-tax');
  });

  it('accepts a signed report and applies it through the status consumer', async () => {
    const eventId = uuidv7();
    const received = await report('bank-bpd', BANK_SECRET, { taskId: task.id, applicationId: application.id, status: 'RECEIVED', eventId });
    expect(received).toEqual({ status: 202, body: { eventId } });
    const inProgress = await untilTask(application.id, 'collect-vehicle-tax', 'RECEIVED');
    expect(inProgress.status).toBe('IN_PROGRESS');

    const [published] = await eventually(async () => {
      const found = (await events.eventsOn(TASK_STATUS_TOPIC)).filter((e) => e.id === eventId);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(published).toMatchObject({
      type: 'mpp.task.status',
      source: 'bank-bpd',
      subject: application.id,
      correlationId: CORRELATION_ID,
      data: { taskId: task.id, applicationId: application.id, participant: 'bank-bpd', status: 'RECEIVED', documents: [] },
    });

    const receipt = { kind: 'PKB_RECEIPT', number: 'BPD-2026-000123' };
    const approved = await report('bank-bpd', BANK_SECRET, { taskId: task.id, applicationId: application.id, status: 'APPROVED', documents: [receipt] });
    expect(approved.status).toBe(202);
    expect(approved.body.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const after = await untilTask(application.id, 'collect-vehicle-tax', 'APPROVED');
    expect(taskOf(after, 'collect-vehicle-tax').documents).toEqual([receipt]);
    expect(taskOf(after, 'record-vehicle-tax-payment').status).toBe('ASSIGNED');
    expect(after.timeline.map((e) => [e.kind, e.stepId ?? e.applicationStatus, e.taskStatus])).toEqual([
      ['SUBMITTED', 'SUBMITTED', null],
      ['TASK_ASSIGNED', 'collect-vehicle-tax', 'ASSIGNED'],
      ['TASK_STATUS', 'collect-vehicle-tax', 'RECEIVED'],
      ['STATUS_CHANGED', 'IN_PROGRESS', null],
      ['TASK_STATUS', 'collect-vehicle-tax', 'APPROVED'],
      ['TASK_ASSIGNED', 'record-vehicle-tax-payment', 'ASSIGNED'],
    ]);
  });

  it('applies a report sent twice with the same eventId once, also when both arrive at once', async () => {
    const fresh = await submitVehicleRenewal();
    const freshTask = taskOf(fresh, 'collect-vehicle-tax');
    const eventId = uuidv7();
    const data = { taskId: freshTask.id, applicationId: fresh.id, status: 'IN_REVIEW', eventId };

    const answers = await Promise.all([report('bank-bpd', BANK_SECRET, data), report('bank-bpd', BANK_SECRET, data)]);
    const again = await report('bank-bpd', BANK_SECRET, data);
    for (const answer of [...answers, again]) expect(answer).toEqual({ status: 202, body: { eventId } });
    expect(await statusReportsIn(freshTask.id)).toHaveLength(1);

    await untilTask(fresh.id, 'collect-vehicle-tax', 'IN_REVIEW');
    await sleep(300);
    const timeline = await service.database.db
      .select()
      .from(applicationTimeline)
      .where(and(eq(applicationTimeline.applicationId, fresh.id), eq(applicationTimeline.kind, 'TASK_STATUS')));
    expect(timeline.map((e) => e.taskStatus)).toEqual(['IN_REVIEW']);

    // Without an eventId every report is a new event.
    const { eventId: _, ...withoutId } = data;
    await report('bank-bpd', BANK_SECRET, withoutId);
    await report('bank-bpd', BANK_SECRET, withoutId);
    expect(await statusReportsIn(freshTask.id)).toHaveLength(3);
  });

  it('refuses the same eventId for a different report with 409 CONFLICT', async () => {
    const fresh = await submitVehicleRenewal();
    const freshTask = taskOf(fresh, 'collect-vehicle-tax');
    const eventId = uuidv7();
    expect((await report('bank-bpd', BANK_SECRET, { taskId: freshTask.id, applicationId: fresh.id, status: 'RECEIVED', eventId })).status).toBe(202);
    const conflicting = await report('bank-bpd', BANK_SECRET, { taskId: freshTask.id, applicationId: fresh.id, status: 'REJECTED', reason: 'Tunggakan', eventId });
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error?.code).toBe('CONFLICT');
    expect(await statusReportsIn(freshTask.id)).toHaveLength(1);
  });

  it.each([
    ['no signature', () => ({})],
    ['a malformed signature', () => ({ [WEBHOOK_HEADERS.signature]: 'sha256=abc' })],
    ['a stale signature', (body: string) => ({ [WEBHOOK_HEADERS.signature]: signWebhook(BANK_SECRET, body, new Date(Date.now() - 301_000)) })],
    ['another participant’s secret', (body: string) => ({ [WEBHOOK_HEADERS.signature]: signWebhook(LICENSING_SECRET, body) })],
    ['a body changed after signing', (body: string) => ({ [WEBHOOK_HEADERS.signature]: signWebhook(BANK_SECRET, body.replace('RECEIVED', 'APPROVED')) })],
  ])('answers 401 UNAUTHENTICATED to %s and stores nothing', async (_, headersFor) => {
    const reports = () => service.database.db.$count(outbox, eq(outbox.eventType, 'mpp.task.status'));
    const before = await reports();
    const body = JSON.stringify({ taskId: task.id, applicationId: application.id, status: 'RECEIVED' });
    const answer = await post('bank-bpd', body, headersFor(body));
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 'UNAUTHENTICATED', reason: expect.stringMatching(/_SIGNATURE$|^STALE_TIMESTAMP$/) });
    expect(await reports()).toBe(before);
  });

  it('names the signature problem', async () => {
    const body = JSON.stringify({ taskId: task.id, applicationId: application.id, status: 'RECEIVED' });
    const stale = await post('bank-bpd', body, { [WEBHOOK_HEADERS.signature]: signWebhook(BANK_SECRET, body, new Date(Date.now() - 301_000)) });
    expect(stale.body.error?.reason).toBe('STALE_TIMESTAMP');
    const wrong = await post('bank-bpd', body, { [WEBHOOK_HEADERS.signature]: signWebhook(LICENSING_SECRET, body) });
    expect(wrong.body.error?.reason).toBe('BAD_SIGNATURE');
  });

  it.each([
    ['a missing taskId', { applicationId: 'APP', status: 'RECEIVED' }, 'taskId'],
    ['an unknown status', { taskId: 'TASK', applicationId: 'APP', status: 'DONE' }, 'status'],
    ['a rejection without reason', { taskId: 'TASK', applicationId: 'APP', status: 'REJECTED' }, 'reason'],
    // The report goes on the shared status topic: a reason naming a NIK or KK would put it there.
    ['a reason naming a NIK', { taskId: 'TASK', applicationId: 'APP', status: 'REJECTED', reason: 'Nasabah 3510014101900001 ditolak.' }, 'reason'],
    ['a malformed document', { taskId: 'TASK', applicationId: 'APP', status: 'APPROVED', documents: [{ kind: 'pkb receipt', number: '1' }] }, 'documents.0.kind'],
    ['an eventId that is not a UUIDv7', { taskId: 'TASK', applicationId: 'APP', status: 'RECEIVED', eventId: '4a1c3b8e-8d52-4f0e-9a43-2f5f8c1d7e60' }, 'eventId'],
    ['an unknown field', { taskId: 'TASK', applicationId: 'APP', status: 'RECEIVED', participant: 'pln' }, ''],
  ])('answers 400 BAD_USER_INPUT to %s, naming the field', async (_, shape, path) => {
    const data = JSON.parse(JSON.stringify(shape).replace('"TASK"', JSON.stringify(task.id)).replace('"APP"', JSON.stringify(application.id))) as Record<string, unknown>;
    const answer = await report('bank-bpd', BANK_SECRET, data);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('BAD_USER_INPUT');
    expect(answer.body.error?.issues?.map((i) => i.path)).toEqual([path]);
  });

  it('answers 400 BAD_USER_INPUT to a signed body that is not JSON', async () => {
    const body = 'status=RECEIVED';
    const answer = await post('bank-bpd', body, { [WEBHOOK_HEADERS.signature]: signWebhook(BANK_SECRET, body) });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT', issues: [{ path: '', message: 'not valid JSON' }] } } });
  });

  it('answers 403 FORBIDDEN to a report on another participant’s task', async () => {
    const business = await submitBusinessStart();
    const nib = taskOf(business, 'issue-nib');
    const answer = await report('bank-bpd', BANK_SECRET, { taskId: nib.id, applicationId: business.id, status: 'APPROVED' });
    expect(answer.status).toBe(403);
    expect(answer.body.error?.code).toBe('FORBIDDEN');
    expect(await statusReportsIn(nib.id)).toEqual([]);
  });

  it('answers 404 NOT_FOUND to an unknown task, or a task of another application', async () => {
    const unknown = await report('bank-bpd', BANK_SECRET, { taskId: uuidv7(), applicationId: application.id, status: 'RECEIVED' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('NOT_FOUND');
    const other = await submitVehicleRenewal();
    const elsewhere = await report('bank-bpd', BANK_SECRET, { taskId: task.id, applicationId: other.id, status: 'RECEIVED' });
    expect(elsewhere.status).toBe(404);
  });

  it('answers 404 NOT_FOUND for a participant not connected over webhooks, or not in the catalogue', async () => {
    const data = { taskId: task.id, applicationId: application.id, status: 'RECEIVED' };
    for (const participant of ['tax', 'bank-jatim']) {
      const answer = await report(participant, BANK_SECRET, data);
      expect(answer.status).toBe(404);
      expect(answer.body.error?.code).toBe('NOT_FOUND');
    }
  });

  it('answers 413 to a body over 64 KB and 405 to GET', async () => {
    const body = JSON.stringify({ taskId: task.id, applicationId: application.id, status: 'RECEIVED', reason: 'x'.repeat(70_000) });
    const large = await post('bank-bpd', body, { [WEBHOOK_HEADERS.signature]: signWebhook(BANK_SECRET, body) });
    expect(large).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    const get = await post('bank-bpd', '', {}, 'GET');
    expect(get).toMatchObject({ status: 405, body: { error: { code: 'METHOD_NOT_ALLOWED' } } });
  });
});
