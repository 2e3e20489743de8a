import { randomBytes } from 'node:crypto';
import { AuditUnavailableError, auditNikHash, type AuditAppendRequest, type AuditBatch, type AuditSink, type TransactionOf } from '@simpul/service-kit';
import { createTestDatabase, type TestDatabase } from '@simpul/testing';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  DLQ_HEADERS,
  TASK_STATUS_TOPIC,
  createEvent,
  dlqTopic,
  eventHeaders,
  parseEvent,
  serializeEvent,
  startTaskWorker,
  taskAssignedTopic,
  taskWorkerGroup,
  uuidv7,
  type AssignedTask,
  type EventOf,
  type EventTransport,
  type IncomingMessage,
  type TaskHandler,
  type TaskWorker,
  type TaskWorkerOptions,
} from '../../src';
import type { BrokerHarness, TestBroker } from './outbox-inbox-scenarios';
import { appliedEvents, applyApproval, inbox, openTestDb, outbox, truncateTestSchema, type TestDb } from './test-schema';

type TestTx = TransactionOf<TestDb>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `find` gives something other than undefined or false, and returns it. */
async function eventually<T>(find: () => Promise<T> | T, what: string, timeoutMs: number): Promise<Exclude<T, undefined | false>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined && found !== false) return found as Exclude<T, undefined | false>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A participant code of its own per test: its own task topic and consumer group on a shared broker. */
function freshParticipant(): string {
  return `agency-${randomBytes(4).toString('hex')}`;
}

export function assignedTask(
  participant: string,
  overrides: { taskKind?: string; taskId?: string; applicationId?: string; dataParticipant?: string; inputs?: Record<string, string> } = {},
): EventOf<'mpp.task.assigned'> {
  const applicationId = overrides.applicationId ?? uuidv7();
  return createEvent(
    'mpp.task.assigned',
    {
      taskId: overrides.taskId ?? uuidv7(),
      applicationId,
      applicationType: 'BUSINESS_START',
      participant: overrides.dataParticipant ?? participant,
      taskKind: overrides.taskKind ?? 'ISSUE_NIB',
      inputs: overrides.inputs ?? { applicantNik: '3510014507900001', businessName: 'Warung Kopi Osing', kbli: '56303' },
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      attempt: 1,
    },
    { source: 'applications', subject: applicationId, correlationId: uuidv7() },
  );
}

function asMessage(event: EventOf<'mpp.task.assigned'>) {
  return { key: event.data.applicationId, value: serializeEvent(event), headers: eventHeaders(event) };
}

/** A decision handler that records its effect (one applied_event row per call that commits). */
function recording(decide: (task: AssignedTask, tx: TestTx) => ReturnType<TaskHandler<TestTx>>) {
  const calls: AssignedTask[] = [];
  const handler: TaskHandler<TestTx> = async (task, tx) => {
    calls.push(task);
    await applyApproval(tx, { id: task.eventId, data: task }, 'task-worker');
    return decide(task, tx);
  };
  return { handler, calls };
}

const NIB = { kind: 'NIB', number: '1203000456789' };
const APPLICANT_NIK = '3510014507900001';
const AUDIT_PEPPER = 'pepper-of-the-task-worker-scenarios';

/** An audit log in memory that can be switched off. */
class SwitchableAuditSink implements AuditSink {
  batches: { batch: AuditBatch; request: AuditAppendRequest }[] = [];
  refusals = 0;
  down = false;
  onAppend: (() => Promise<void>) | undefined;
  async append(batch: AuditBatch, request: AuditAppendRequest) {
    if (this.down) {
      this.refusals += 1;
      throw new AuditUnavailableError('audit service down');
    }
    await this.onAppend?.();
    this.batches.push({ batch, request });
  }
}

/**
 * The generic participant task worker (startTaskWorker) against real Postgres and one broker kind:
 * decisions, redelivery, dead letters, retries and a broker outage while deciding.
 */
export function describeTaskWorker(harness: BrokerHarness): void {
  let database: TestDatabase;
  let db: TestDb;
  let closeDb: () => Promise<void>;
  let broker: TestBroker;
  let transport: EventTransport;
  let cleanups: Array<() => unknown>;
  const defer = (cleanup: () => unknown) => cleanups.push(cleanup);
  const timeout = harness.deliveryTimeoutMs;

  beforeAll(async () => {
    database = await createTestDatabase('events_task_worker');
    const opened = await openTestDb({ url: database.url });
    db = opened.db;
    closeDb = opened.close;
  });

  afterAll(async () => {
    await closeDb?.();
    await sleep(250); // let pg's idle connections close before DROP DATABASE … WITH (FORCE)
    await database?.drop();
  });

  beforeEach(async () => {
    cleanups = [];
    await truncateTestSchema(db);
    broker = await harness.start();
    defer(() => broker.stop());
    transport = broker.transport();
    defer(() => transport.close());
  });

  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  });

  /** Collects what arrives on a topic, through a consumer group of its own. */
  async function watch(topic: string, on: EventTransport = transport) {
    const messages: IncomingMessage[] = [];
    const subscription = await on.subscribe({ groupId: `watch-${uuidv7()}`, topics: [topic], handle: async (m) => void messages.push(m) });
    defer(() => subscription.stop());
    return messages;
  }

  /** The task statuses a participant published, for one task. */
  function statusesOf(messages: IncomingMessage[], taskId: string): Array<EventOf<'mpp.task.status'>> {
    return messages.flatMap((message) => {
      const parsed = parseEvent(message.value);
      return parsed.ok && parsed.event.type === 'mpp.task.status' && parsed.event.data.taskId === taskId ? [parsed.event] : [];
    });
  }

  const firstStatus = (messages: IncomingMessage[], taskId: string, what: string, timeoutMs: number) =>
    eventually(() => statusesOf(messages, taskId).at(0), what, timeoutMs);

  async function startWorker(options: Omit<TaskWorkerOptions<TestDb>, 'db' | 'inbox' | 'outbox' | 'transport'> & { transport?: EventTransport }): Promise<TaskWorker> {
    const worker = await startTaskWorker({
      transport,
      db,
      inbox,
      outbox,
      relay: { pollIntervalMs: 50, backoff: { initialMs: 50, maxMs: 400 } },
      consumer: { maxAttempts: 4, backoff: { initialMs: 20, maxMs: 100 } },
      ...options,
    });
    defer(() => worker.stop());
    return worker;
  }

  const effectsOf = (eventIds: string[]) => db.$count(appliedEvents, inArray(appliedEvents.eventId, eventIds));
  const unpublished = () => db.$count(outbox, sql`${outbox.publishedAt} is null`);

  it('decides a task once and publishes its status, with the documents issued, through the outbox', async () => {
    const participant = freshParticipant();
    const statuses = await watch(TASK_STATUS_TOPIC);
    const approve = recording(async () => ({ status: 'APPROVED', documents: [NIB], note: 'Registered in OSS.' }));
    const reject = recording(async () => ({ status: 'REJECTED', reason: 'KBLI 47999 is not a business activity OSS registers.' }));
    await startWorker({ participant, handlers: { ISSUE_NIB: approve.handler, REGISTER_NPWP: reject.handler } });

    const approved = assignedTask(participant);
    const rejected = assignedTask(participant, { taskKind: 'REGISTER_NPWP' });
    await transport.publish(taskAssignedTopic(participant), [asMessage(approved), asMessage(rejected)]);

    const approval = await firstStatus(statuses, approved.data.taskId, 'the approval', timeout);
    const rejection = await firstStatus(statuses, rejected.data.taskId, 'the rejection', timeout);
    expect(approval).toMatchObject({
      type: 'mpp.task.status',
      source: participant,
      subject: approved.data.applicationId,
      correlationId: approved.correlationId,
      traceparent: approved.traceparent,
      data: { taskId: approved.data.taskId, applicationId: approved.data.applicationId, participant, status: 'APPROVED', documents: [NIB], reason: 'Registered in OSS.' },
    });
    expect(rejection.data).toEqual({
      taskId: rejected.data.taskId,
      applicationId: rejected.data.applicationId,
      participant,
      status: 'REJECTED',
      reason: 'KBLI 47999 is not a business activity OSS registers.',
      documents: [],
    });
    const published = statuses.find((m) => m.value === serializeEvent(approval))!;
    expect(published.key).toBe(approved.data.applicationId);
    expect(published.headers).toMatchObject({ 'x-simpul-event-id': approval.id, 'x-simpul-event-type': 'mpp.task.status.v1' });

    // Each handler saw its task once, with the event it came in.
    expect(approve.calls).toEqual([{ ...approved.data, eventId: approved.id, correlationId: approved.correlationId }]);
    expect(reject.calls.map((task) => task.taskId)).toEqual([rejected.data.taskId]);
    expect(await effectsOf([approved.id, rejected.id])).toBe(2);
    expect(await db.$count(inbox, and(eq(inbox.consumerGroup, taskWorkerGroup(participant)), inArray(inbox.eventId, [approved.id, rejected.id])))).toBe(2);
    await eventually(async () => (await unpublished()) === 0, 'the outbox rows marked published', timeout);
    expect(await db.$count(outbox, eq(outbox.topic, TASK_STATUS_TOPIC))).toBe(2);
  });

  it('decides a task delivered three times once, with one status', async () => {
    const participant = freshParticipant();
    const statuses = await watch(TASK_STATUS_TOPIC);
    const approve = recording(async () => ({ status: 'APPROVED', documents: [NIB] }));
    await startWorker({ participant, handlers: { ISSUE_NIB: approve.handler } });

    const task = assignedTask(participant);
    const next = assignedTask(participant, { applicationId: task.data.applicationId });
    // As a relay that crashed before marking its row published would: the same event, again.
    for (let i = 0; i < 3; i++) await transport.publish(taskAssignedTopic(participant), [asMessage(task)]);
    await transport.publish(taskAssignedTopic(participant), [asMessage(next)]);

    // Same application, same partition: once the next task's status is out, the copies were handled.
    await eventually(() => statusesOf(statuses, next.data.taskId).length > 0, 'the next task decided', timeout);
    await sleep(300);
    expect(approve.calls.map((call) => call.eventId)).toEqual([task.id, next.id]);
    expect(await effectsOf([task.id])).toBe(1);
    expect(statusesOf(statuses, task.data.taskId)).toHaveLength(1);
    expect(await db.$count(outbox, eq(outbox.topic, TASK_STATUS_TOPIC))).toBe(2);
  });

  it('dead-letters a task of a kind it does not perform, and a task for another participant, deciding neither', async () => {
    const participant = freshParticipant();
    const topic = taskAssignedTopic(participant);
    const [statuses, deadLetters] = await Promise.all([watch(TASK_STATUS_TOPIC), watch(dlqTopic(topic))]);
    const approve = recording(async () => ({ status: 'APPROVED', documents: [NIB] }));
    await startWorker({ participant, handlers: { ISSUE_NIB: approve.handler } });

    const unknownKind = assignedTask(participant, { taskKind: 'CONNECT_ELECTRICITY' });
    const someoneElses = assignedTask(participant, { dataParticipant: 'pln' });
    const good = assignedTask(participant);
    await transport.publish(topic, [asMessage(unknownKind), asMessage(someoneElses), asMessage(good)]);

    await eventually(() => deadLetters.length >= 2 && statusesOf(statuses, good.data.taskId).length > 0, 'two dead letters and the good task decided', timeout);
    const byEvent = new Map(deadLetters.map((m) => [m.headers['x-simpul-event-id'], m]));
    expect(byEvent.get(unknownKind.id)).toMatchObject({
      value: serializeEvent(unknownKind),
      headers: {
        [DLQ_HEADERS.rule]: 'PERMANENT_FAILURE',
        [DLQ_HEADERS.error]: `PermanentEventError: ${participant} does not perform task kind CONNECT_ELECTRICITY`,
        [DLQ_HEADERS.consumerGroup]: taskWorkerGroup(participant),
        [DLQ_HEADERS.originTopic]: topic,
        [DLQ_HEADERS.attempts]: '1',
      },
    });
    expect(byEvent.get(someoneElses.id)?.headers[DLQ_HEADERS.rule]).toBe('PERMANENT_FAILURE');
    expect(byEvent.get(someoneElses.id)?.headers[DLQ_HEADERS.error]).toBe(`PermanentEventError: task ${someoneElses.data.taskId} is for pln, not ${participant}`);

    expect(approve.calls.map((call) => call.eventId)).toEqual([good.id]);
    expect(statusesOf(statuses, unknownKind.data.taskId)).toEqual([]);
    expect(statusesOf(statuses, someoneElses.data.taskId)).toEqual([]);
    // Nothing of theirs was recorded: a replay after a fix would decide them.
    expect(await db.$count(inbox, inArray(inbox.eventId, [unknownKind.id, someoneElses.id]))).toBe(0);
  });

  it('dead-letters at once a task whose decision the status contract refuses, rolling its effect back', async () => {
    const participant = freshParticipant();
    const topic = taskAssignedTopic(participant);
    const [statuses, deadLetters] = await Promise.all([watch(TASK_STATUS_TOPIC), watch(dlqTopic(topic))]);
    const badDocument = recording(async (task) =>
      task.inputs.businessName === 'bad' ? { status: 'APPROVED', documents: [{ kind: 'nib', number: NIB.number }] } : { status: 'APPROVED', documents: [NIB] },
    );
    await startWorker({ participant, handlers: { ISSUE_NIB: badDocument.handler } });

    const bad = assignedTask(participant, { inputs: { businessName: 'bad' } });
    const good = assignedTask(participant, { applicationId: bad.data.applicationId });
    await transport.publish(topic, [asMessage(bad), asMessage(good)]);

    await firstStatus(statuses, good.data.taskId, 'the good task decided', timeout);
    const deadLetter = await eventually(() => deadLetters.find((m) => m.headers['x-simpul-event-id'] === bad.id), 'the dead letter', timeout);
    expect(deadLetter.headers[DLQ_HEADERS.rule]).toBe('PERMANENT_FAILURE');
    expect(deadLetter.headers[DLQ_HEADERS.attempts]).toBe('1');
    expect(deadLetter.headers[DLQ_HEADERS.error]).toMatch(new RegExp(`decision on task ${bad.data.taskId} breaks the mpp.task.status contract: .*documents`));
    expect(badDocument.calls.map((call) => call.eventId)).toEqual([bad.id, good.id]);
    expect(await effectsOf([bad.id])).toBe(0);
    expect(statusesOf(statuses, bad.data.taskId)).toEqual([]);
  });

  it('retries a handler that fails transiently, and publishes the one decision it finally makes', async () => {
    const participant = freshParticipant();
    const topic = taskAssignedTopic(participant);
    const [statuses, deadLetters] = await Promise.all([watch(TASK_STATUS_TOPIC), watch(dlqTopic(topic))]);
    let failures = 2;
    const flaky = recording(async () => {
      // The effect is already written in the transaction: a failure must roll it back.
      if (failures-- > 0) throw new Error('OSS registry timed out');
      return { status: 'APPROVED', documents: [NIB] };
    });
    await startWorker({ participant, handlers: { ISSUE_NIB: flaky.handler } });

    const task = assignedTask(participant);
    await transport.publish(topic, [asMessage(task)]);
    const status = await firstStatus(statuses, task.data.taskId, 'the decision', timeout);
    expect(status.data).toMatchObject({ status: 'APPROVED', documents: [NIB] });
    expect(flaky.calls).toHaveLength(3);
    expect(await effectsOf([task.id])).toBe(1);
    await sleep(300);
    expect(statusesOf(statuses, task.data.taskId)).toHaveLength(1);
    expect(deadLetters).toEqual([]);
  });

  it('appends what the handler accessed before its effect commits; with the audit log down the task changes nothing until it can be recorded', async () => {
    const participant = freshParticipant();
    const statuses = await watch(TASK_STATUS_TOPIC);
    const sink = new SwitchableAuditSink();
    sink.down = true;
    const handler: TaskHandler<TestTx> = async (task, tx, audit) => {
      const nik = String(task.inputs.applicantNik);
      audit.access({ nik, typeName: 'Citizen', fieldName: 'fullName', kind: 'READ' });
      await applyApproval(tx, { id: task.eventId, data: task }, 'task-worker');
      await audit.recordChanges([{ nik, typeName: 'Business', fieldName: 'nib' }]);
      return { status: 'APPROVED', documents: [NIB] };
    };
    await startWorker({ participant, handlers: { ISSUE_NIB: handler }, audit: { sink, nikHashPepper: AUDIT_PEPPER }, consumer: { maxAttempts: 50, backoff: { initialMs: 20, maxMs: 100 } } });

    const task = assignedTask(participant, { inputs: { applicantNik: APPLICANT_NIK, businessName: 'Warung Kopi Osing', kbli: '56303' } });
    // Seen from outside the task's transaction when the records arrive: a commit before the append would show 1.
    const effectsAtAppend: number[] = [];
    sink.onAppend = async () => void effectsAtAppend.push(await effectsOf([task.id]));
    await transport.publish(taskAssignedTopic(participant), [asMessage(task)]);
    await eventually(() => sink.refusals >= 2, 'the worker trying to record its work', timeout);
    // Refused by the audit log: rolled back, nothing published, nothing in the inbox.
    expect(await effectsOf([task.id])).toBe(0);
    expect(statusesOf(statuses, task.data.taskId)).toEqual([]);
    expect(await db.$count(inbox, eq(inbox.eventId, task.id))).toBe(0);

    sink.down = false;
    const status = await firstStatus(statuses, task.data.taskId, 'the decision once the audit log is back', timeout);
    expect(status.data.status).toBe('APPROVED');
    expect(await effectsOf([task.id])).toBe(1);
    expect(effectsAtAppend).toEqual([0]);
    expect(sink.batches).toHaveLength(1);
    expect(sink.batches[0]!.request).toEqual({ correlationId: task.correlationId });
    expect(sink.batches[0]!.batch).toEqual({
      service: participant,
      records: [
        expect.objectContaining({
          actor: `service:${participant}`,
          actorType: 'client',
          client: `simpul-${participant}`,
          purpose: `application:${task.data.applicationId}`,
          nikHash: auditNikHash(APPLICANT_NIK, AUDIT_PEPPER),
          fields: ['Citizen.fullName'],
          kind: 'READ',
          correlationId: task.correlationId,
        }),
        expect.objectContaining({ nikHash: auditNikHash(APPLICANT_NIK, AUDIT_PEPPER), fields: ['Business.nib'], kind: 'CHANGE' }),
      ],
    });
    expect(JSON.stringify(sink.batches)).not.toContain(APPLICANT_NIK);
  });

  it('publishes the status once the broker is back when it went down while the task was being decided', async () => {
    const participant = freshParticipant();
    const link = broker.outage();
    defer(() => link.transport.close());
    const statuses = await watch(TASK_STATUS_TOPIC);
    let outages = 1;
    const decide = recording(async () => {
      if (outages-- > 0) await link.down();
      return { status: 'APPROVED', documents: [NIB] };
    });
    await startWorker({ participant, transport: link.transport, handlers: { ISSUE_NIB: decide.handler } });

    const task = assignedTask(participant);
    await transport.publish(taskAssignedTopic(participant), [asMessage(task)]);

    // The decision is committed with its status in the outbox; the relay cannot publish it.
    await eventually(
      async () => (await db.$count(outbox, and(sql`${outbox.publishedAt} is null`, sql`${outbox.publishAttempts} >= 2`))) === 1,
      'failed publish attempts recorded',
      timeout,
    );
    expect(await effectsOf([task.id])).toBe(1);
    const [row] = await db.select().from(outbox);
    expect(row).toMatchObject({ topic: TASK_STATUS_TOPIC, partitionKey: task.data.applicationId, lastError: expect.any(String) });

    await link.up();
    const status = await firstStatus(statuses, task.data.taskId, 'the status after the outage', timeout + 15_000);
    expect(status.id).toBe(JSON.parse(row!.payload).id);
    expect(status.data).toMatchObject({ taskId: task.data.taskId, status: 'APPROVED', documents: [NIB] });
    await eventually(async () => (await unpublished()) === 0, 'the outbox row marked published', timeout);

    // The worker carries on; however its offset commit fared in the outage, the task was decided once.
    const next = assignedTask(participant, { applicationId: task.data.applicationId });
    await transport.publish(taskAssignedTopic(participant), [asMessage(next)]);
    await firstStatus(statuses, next.data.taskId, 'the next task decided after the outage', timeout + 15_000);
    expect(decide.calls.map((call) => call.eventId)).toEqual([task.id, next.id]);
    expect(await effectsOf([task.id])).toBe(1);
    expect(new Set(statusesOf(statuses, task.data.taskId).map((s) => s.id)).size).toBe(1);
  });
}
