import {
  APPLICATION_STATUS_TOPIC,
  APPLICATION_SUBMITTED_TOPIC,
  dlqTopic,
  DLQ_HEADERS,
  hashNik,
  TASK_STATUS_TOPIC,
  taskAssignedTopic,
  type EventOf,
  type SimpulEvent,
} from '@simpul/events';
import { postGraphQL } from '@simpul/testing';
import { eq, isNull, sql } from 'drizzle-orm';
import { applications, applicationTasks, applicationTimeline, inbox, outbox } from '../src/db/schema';
import { TASK_STATUS_CONSUMER_GROUP } from '../src/modules/task/task-status.consumer';
import { eventually, startApplicationsService, startEventSide, TEST_PEPPER, type ApplicationsHarness, type EventsHarness } from './support/applications-service';

// Banyuwangi (35.10): a man born 1990-02-05 and a woman born 1992-07-14.
const APPLICANT = '3510010502900001';
const BRIDE = '3510015407920002';
const NIB = { kind: 'NIB', number: '8120001234567' };

let service: ApplicationsHarness;
let events: EventsHarness & { stop(): Promise<void> };

beforeAll(async () => {
  service = await startApplicationsService('applications_fan_out');
  events = await startEventSide(service);
});

afterAll(async () => {
  await events?.stop();
  await service?.stop();
});

interface Task {
  id: string;
  stepId: string;
  participant: string;
  status: string;
  assignedAt: string | null;
  dueAt: string | null;
  documents: { kind: string; number: string }[];
  reason: string | null;
}
interface SubmittedApplication {
  id: string;
  type: string;
  status: string;
  slaBreached: boolean;
  applicant: { nik: string };
  tasks: Task[];
  timeline: { sequence: string; kind: string; stepId: string | null; taskStatus: string | null; applicationStatus: string | null; reason: string | null }[];
}

const APPLICATION_FIELDS = `id type status slaBreached applicant { nik }
  tasks { id stepId participant status assignedAt dueAt documents { kind number } reason }
  timeline { sequence kind stepId taskStatus applicationStatus reason }`;
const SUBMIT = `mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { ${APPLICATION_FIELDS} } }`;
const APPLICATION = `query ($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`;

const businessStart = (overrides: Record<string, unknown> = {}) => ({
  type: 'BUSINESS_START',
  applicantNik: APPLICANT,
  mppOffice: 'MPP Banyuwangi',
  inputs: [
    { name: 'businessName', value: 'Warung Kopi Osing' },
    { name: 'kbli', value: '56303' },
    { name: 'businessAddress', value: 'Jl. Ahmad Yani 12, Banyuwangi' },
  ],
  ...overrides,
});

async function submit(input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<SubmittedApplication> {
  const response = await postGraphQL<{ submitApplication: SubmittedApplication }>(service.graphqlUrl, SUBMIT, { input }, headers);
  expect(response.errors).toBeUndefined();
  return response.data!.submitApplication;
}

async function read(id: string): Promise<SubmittedApplication> {
  const response = await postGraphQL<{ application: SubmittedApplication }>(service.graphqlUrl, APPLICATION, { id });
  expect(response.errors).toBeUndefined();
  return response.data!.application;
}

const taskOf = (application: SubmittedApplication, stepId: string) => application.tasks.find((t) => t.stepId === stepId)!;
const statesOf = (application: SubmittedApplication) => Object.fromEntries(application.tasks.map((t) => [t.stepId, t.status]));

/** A participant's report on one step of the application. */
async function report(application: SubmittedApplication, stepId: string, status: 'RECEIVED' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED', extra: { reason?: string; documents?: typeof NIB[] } = {}) {
  const task = taskOf(application, stepId);
  return events.reportTaskStatus({ taskId: task.id, applicationId: application.id, participant: task.participant, status, ...extra });
}

/** Waits until the application's task has the status (the consumer applied the report). */
const untilTask = (id: string, stepId: string, status: string) =>
  eventually(async () => {
    const application = await read(id);
    expect(taskOf(application, stepId).status).toBe(status);
    return application;
  });

const eventsOf = async <T extends SimpulEvent['type']>(topic: string, applicationId: string) =>
  (await events.eventsOn(topic)).filter((e) => (e.data as { applicationId: string }).applicationId === applicationId) as EventOf<T>[];

const tableCounts = async () => {
  const db = service.database.db;
  return {
    applications: await db.$count(applications),
    tasks: await db.$count(applicationTasks),
    timeline: await db.$count(applicationTimeline),
    outbox: await db.$count(outbox),
  };
};

describe('submitApplication', () => {
  it('stores BUSINESS_START, assigns the NIB to licensing and publishes submitted + assigned + status events', async () => {
    const correlationId = '0195a1b2-0000-7000-8000-00000000c0de';
    const application = await submit(businessStart(), { 'x-correlation-id': correlationId });
    expect(application).toMatchObject({ type: 'BUSINESS_START', status: 'SUBMITTED', slaBreached: false, applicant: { nik: APPLICANT } });
    expect(statesOf(application)).toEqual({ 'issue-nib': 'ASSIGNED', 'register-npwp': 'PENDING', 'open-business-account': 'PENDING', 'connect-electricity': 'PENDING' });
    const nib = taskOf(application, 'issue-nib');
    expect(Date.parse(nib.dueAt!) - Date.parse(nib.assignedAt!)).toBe(24 * 3_600_000);
    expect(application.timeline.map((e) => [e.kind, e.stepId])).toEqual([
      ['SUBMITTED', null],
      ['TASK_ASSIGNED', 'issue-nib'],
    ]);

    // Committed with the application: the outbox holds exactly its three events.
    const rows = await service.database.db.select().from(outbox).where(eq(outbox.partitionKey, application.id));
    expect(rows.map((r) => r.topic)).toEqual([APPLICATION_SUBMITTED_TOPIC, taskAssignedTopic('licensing'), APPLICATION_STATUS_TOPIC]);

    const [submitted] = await eventually(async () => {
      const found = await eventsOf<'mpp.application.submitted'>(APPLICATION_SUBMITTED_TOPIC, application.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(submitted).toMatchObject({
      source: 'applications',
      correlationId,
      subject: hashNik(APPLICANT, TEST_PEPPER),
      data: { applicationType: 'BUSINESS_START', participants: ['licensing', 'tax', 'bank-bpd', 'pln'] },
    });
    expect(JSON.stringify(submitted)).not.toContain(APPLICANT);

    const [assigned] = await eventually(async () => {
      const found = await eventsOf<'mpp.task.assigned'>(taskAssignedTopic('licensing'), application.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(assigned!.data).toMatchObject({
      taskId: nib.id,
      participant: 'licensing',
      taskKind: 'ISSUE_NIB',
      dueAt: nib.dueAt,
      inputs: { applicantNik: APPLICANT, businessName: 'Warung Kopi Osing', kbli: '56303', businessAddress: 'Jl. Ahmad Yani 12, Banyuwangi' },
    });
    await eventually(async () => {
      const statuses = await eventsOf<'mpp.application.status'>(APPLICATION_STATUS_TOPIC, application.id);
      expect(statuses.map((e) => [e.data.previousStatus, e.data.status])).toEqual([[null, 'SUBMITTED']]);
    });
    const unpublished = await service.database.db.select().from(outbox).where(isNull(outbox.publishedAt));
    expect(unpublished).toEqual([]);
  });

  it.each([
    ['a malformed KBLI', businessStart({ inputs: [...businessStart().inputs.slice(0, 1), { name: 'kbli', value: '5630A' }, businessStart().inputs[2]] }), 'inputs.kbli', 'KBLI_FORMAT'],
    ['a malformed applicant NIK', businessStart({ applicantNik: '35100105029000' }), 'applicantNik', 'NIK_LENGTH'],
    ['a missing required input', businessStart({ inputs: businessStart().inputs.slice(1) }), 'inputs.businessName', 'INPUT_REQUIRED'],
    ['an unknown application type', businessStart({ type: 'BUSINESS_STOP' }), 'type', 'APPLICATION_TYPE_UNKNOWN'],
    [
      'the same NIK for groom and bride',
      {
        type: 'MARRIAGE_REGISTRATION',
        applicantNik: APPLICANT,
        mppOffice: 'MPP Banyuwangi',
        inputs: [
          { name: 'groomNik', value: APPLICANT },
          { name: 'brideNik', value: APPLICANT },
          { name: 'marriageDate', value: '2026-04-10' },
        ],
      },
      'inputs.brideNik',
      'INPUTS_NOT_DISTINCT',
    ],
  ])('refuses %s with BAD_USER_INPUT naming field and rule, and stores nothing', async (_, input, field, rule) => {
    const before = await tableCounts();
    const response = await postGraphQL(service.graphqlUrl, SUBMIT, { input });
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input', field, rule });
    expect(response.errors![0]!.message).toContain(field);
    expect(await tableCounts()).toEqual(before);
  });

  it('gives the bank collecting the PKB the plate number and nothing else', async () => {
    const application = await submit({
      type: 'VEHICLE_ANNUAL_RENEWAL',
      applicantNik: APPLICANT,
      mppOffice: 'MPP Banyuwangi',
      inputs: [{ name: 'plateNumber', value: 'p 1234 ab' }],
    });
    const [assigned] = await eventually(async () => {
      const found = await eventsOf<'mpp.task.assigned'>(taskAssignedTopic('bank-bpd'), application.id);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(assigned!.data.inputs).toEqual({ plateNumber: 'P 1234 AB' });
  });
});

describe('task status consumer', () => {
  it('releases the parallel steps when the NIB is approved, with the NIK hashed for the bank and PLN', async () => {
    const application = await submit(businessStart());
    await report(application, 'issue-nib', 'RECEIVED');
    const received = await untilTask(application.id, 'issue-nib', 'RECEIVED');
    expect(received.status).toBe('IN_PROGRESS');

    await report(application, 'issue-nib', 'APPROVED', { documents: [NIB] });
    const approved = await untilTask(application.id, 'issue-nib', 'APPROVED');
    expect(statesOf(approved)).toEqual({ 'issue-nib': 'APPROVED', 'register-npwp': 'ASSIGNED', 'open-business-account': 'ASSIGNED', 'connect-electricity': 'ASSIGNED' });
    expect(taskOf(approved, 'issue-nib').documents).toEqual([NIB]);
    expect(approved.timeline.map((e) => [e.kind, e.stepId ?? e.applicationStatus])).toEqual([
      ['SUBMITTED', 'SUBMITTED'],
      ['TASK_ASSIGNED', 'issue-nib'],
      ['TASK_STATUS', 'issue-nib'],
      ['STATUS_CHANGED', 'IN_PROGRESS'],
      ['TASK_STATUS', 'issue-nib'],
      ['TASK_ASSIGNED', 'register-npwp'],
      ['TASK_ASSIGNED', 'open-business-account'],
      ['TASK_ASSIGNED', 'connect-electricity'],
    ]);

    const assignedTo = async (participant: string) =>
      eventually(async () => {
        const found = await eventsOf<'mpp.task.assigned'>(taskAssignedTopic(participant), application.id);
        expect(found).toHaveLength(1);
        return found[0]!.data;
      });
    expect((await assignedTo('tax')).inputs).toEqual({
      applicantNik: APPLICANT,
      businessName: 'Warung Kopi Osing',
      businessAddress: 'Jl. Ahmad Yani 12, Banyuwangi',
      issuedDocuments: [NIB],
    });
    expect((await assignedTo('bank-bpd')).inputs).toEqual({ applicantNikHash: hashNik(APPLICANT, TEST_PEPPER), businessName: 'Warung Kopi Osing', issuedDocuments: [NIB] });
    expect((await assignedTo('pln')).inputs).toEqual({
      applicantNikHash: hashNik(APPLICANT, TEST_PEPPER),
      businessAddress: 'Jl. Ahmad Yani 12, Banyuwangi',
      issuedDocuments: [NIB],
    });
  });

  it('is PARTIALLY_REJECTED when one parallel step is rejected and the others approved', async () => {
    const application = await submit(businessStart());
    await report(application, 'issue-nib', 'APPROVED', { documents: [NIB] });
    await untilTask(application.id, 'issue-nib', 'APPROVED');
    await report(application, 'register-npwp', 'REJECTED', { reason: 'Alamat usaha tidak sesuai' });
    await report(application, 'open-business-account', 'APPROVED');
    await report(application, 'connect-electricity', 'APPROVED');
    const done = await eventually(async () => {
      const current = await read(application.id);
      expect(current.status).toBe('PARTIALLY_REJECTED');
      return current;
    });
    expect(taskOf(done, 'register-npwp')).toMatchObject({ status: 'REJECTED', reason: 'Alamat usaha tidak sesuai' });
    await eventually(async () => {
      const statuses = await eventsOf<'mpp.application.status'>(APPLICATION_STATUS_TOPIC, application.id);
      expect(statuses.map((e) => e.data.status)).toEqual(['SUBMITTED', 'IN_PROGRESS', 'PARTIALLY_REJECTED']);
      expect(statuses.at(-1)!.data.tasks.map((t) => t.state)).toEqual(['APPROVED', 'REJECTED', 'APPROVED', 'APPROVED']);
    });
  });

  it('cancels the steps after a rejected one: REJECTED, and nothing more is assigned', async () => {
    const application = await submit({
      type: 'PASSPORT_APPLICATION',
      applicantNik: APPLICANT,
      mppOffice: 'MPP Banyuwangi',
      inputs: [{ name: 'passportKind', value: 'ELECTRONIC' }],
    });
    await report(application, 'verify-identity', 'REJECTED', { reason: 'Data kependudukan tidak cocok' });
    const rejected = await untilTask(application.id, 'verify-identity', 'REJECTED');
    expect(rejected.status).toBe('REJECTED');
    expect(statesOf(rejected)).toEqual({ 'verify-identity': 'REJECTED', 'process-passport': 'CANCELLED', 'collect-passport-fee': 'CANCELLED' });
    expect(taskOf(rejected, 'process-passport').reason).toBe('step verify-identity was rejected');
    await eventually(async () => {
      const statuses = await eventsOf<'mpp.application.status'>(APPLICATION_STATUS_TOPIC, application.id);
      expect(statuses.map((e) => e.data.status)).toEqual(['SUBMITTED', 'REJECTED']);
    });
    expect(await eventsOf(taskAssignedTopic('immigration'), application.id)).toEqual([]);
  });

  it('applies a status event delivered three times once', async () => {
    const application = await submit(businessStart());
    const task = taskOf(application, 'issue-nib');
    const ignored = jest.spyOn(service.runtime.logger, 'info');
    const event = await events.reportTaskStatus(
      { taskId: task.id, applicationId: application.id, participant: 'licensing', status: 'APPROVED', documents: [NIB] },
      { repeat: 3 },
    );
    // Same key, same partition: once this later report is applied, the three copies were processed.
    await report(application, 'register-npwp', 'RECEIVED');
    const current = await untilTask(application.id, 'register-npwp', 'RECEIVED');

    expect(current.timeline.filter((e) => e.kind === 'TASK_STATUS' && e.stepId === 'issue-nib')).toHaveLength(1);
    expect(current.timeline.filter((e) => e.kind === 'TASK_ASSIGNED' && e.stepId === 'register-npwp')).toHaveLength(1);
    expect(taskOf(current, 'issue-nib').documents).toEqual([NIB]);
    const recorded = await service.database.db.select().from(inbox).where(eq(inbox.eventId, event.id));
    expect(recorded).toEqual([expect.objectContaining({ consumerGroup: TASK_STATUS_CONSUMER_GROUP })]);
    // The copies were recognised by the inbox; the handler never even saw them.
    const handledAgain = ignored.mock.calls.filter(([fields]) => (fields as { taskId?: string }).taskId === task.id);
    ignored.mockRestore();
    expect(handledAgain).toEqual([]);
    await eventually(async () => expect(await eventsOf(taskAssignedTopic('tax'), application.id)).toHaveLength(1));
  });

  it('ignores a late report for a task that already moved on', async () => {
    const application = await submit(businessStart());
    await report(application, 'issue-nib', 'APPROVED');
    await untilTask(application.id, 'issue-nib', 'APPROVED');
    await report(application, 'issue-nib', 'IN_REVIEW');
    await report(application, 'register-npwp', 'RECEIVED');
    const current = await untilTask(application.id, 'register-npwp', 'RECEIVED');
    expect(taskOf(current, 'issue-nib').status).toBe('APPROVED');
    expect(current.timeline.filter((e) => e.stepId === 'issue-nib' && e.kind === 'TASK_STATUS').map((e) => e.taskStatus)).toEqual(['APPROVED']);
  });

  it("dead-letters a report on another participant's task, or on a task it does not know", async () => {
    const application = await submit(businessStart());
    const nib = taskOf(application, 'issue-nib');
    const forged = await events.reportTaskStatus({ taskId: nib.id, applicationId: application.id, participant: 'tax', status: 'APPROVED' });
    const unknown = await events.reportTaskStatus({ taskId: '0195a1b2-0000-7000-8000-0000000000aa', applicationId: application.id, participant: 'licensing', status: 'APPROVED' });
    const deadLetters = await eventually(async () => {
      const letters = (await events.transport.read(dlqTopic(TASK_STATUS_TOPIC))).filter((m) => [forged.id, unknown.id].some((id) => m.value.includes(id)));
      expect(letters).toHaveLength(2);
      return letters;
    });
    for (const letter of deadLetters) expect(letter.headers[DLQ_HEADERS.rule]).toBe('PERMANENT_FAILURE');
    expect(deadLetters.map((l) => l.headers[DLQ_HEADERS.error]).join('\n')).toMatch(/belongs to licensing[\s\S]*is not a task of application/);
    expect(statesOf(await read(application.id))['issue-nib']).toBe('ASSIGNED');
  });
});

describe('SLA', () => {
  afterEach(() => service.advanceClock(0));

  it('raises slaBreached once a task is past its due time, records it once and emits one status event', async () => {
    const application = await submit(businessStart());
    service.advanceClock(23 * 3_600_000);
    expect(await events.processing.sweep.sweep()).not.toContain(application.id);
    expect((await read(application.id)).slaBreached).toBe(false);

    service.advanceClock(25 * 3_600_000);
    expect((await read(application.id)).slaBreached).toBe(true);
    expect(await events.processing.sweep.sweep()).toContain(application.id);
    expect(await events.processing.sweep.sweep()).not.toContain(application.id);

    const current = await read(application.id);
    expect(current.status).toBe('SUBMITTED');
    expect(current.timeline.filter((e) => e.kind === 'SLA_BREACHED').map((e) => e.stepId)).toEqual(['issue-nib']);
    await eventually(async () => {
      const statuses = await eventsOf<'mpp.application.status'>(APPLICATION_STATUS_TOPIC, application.id);
      expect(statuses.map((e) => [e.data.status, e.data.slaBreached])).toEqual([
        ['SUBMITTED', false],
        ['SUBMITTED', true],
      ]);
    });

    // Deciding the task late does not lower the flag.
    service.advanceClock(0);
    await report(application, 'issue-nib', 'APPROVED');
    const approved = await untilTask(application.id, 'issue-nib', 'APPROVED');
    expect(approved.slaBreached).toBe(true);
  });
});

describe('broker outage', () => {
  it('accepts a submission while the broker is down and publishes its events when it is back', async () => {
    await events.broker.stop();
    const application = await submit({
      type: 'MARRIAGE_REGISTRATION',
      applicantNik: APPLICANT,
      mppOffice: 'MPP Banyuwangi',
      inputs: [
        { name: 'groomNik', value: APPLICANT },
        { name: 'brideNik', value: BRIDE },
        { name: 'marriageDate', value: '2026-04-10' },
      ],
    });
    expect(application.status).toBe('SUBMITTED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const pending = await service.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(outbox)
      .where(sql`${outbox.partitionKey} = ${application.id} and ${outbox.publishedAt} is null`);
    expect(pending[0]!.count).toBe(3);

    await events.broker.start();
    const assigned = await eventually(async () => {
      const found = await eventsOf<'mpp.task.assigned'>(taskAssignedTopic('religious-affairs'), application.id);
      expect(found).toHaveLength(1);
      return found[0]!;
    }, 15_000);
    expect(assigned.data.inputs).toEqual({ groomNik: APPLICANT, brideNik: BRIDE, marriageDate: '2026-04-10' });
  });
});
