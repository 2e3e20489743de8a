import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DLQ_HEADERS,
  EmbeddedTransport,
  TASK_STATUS_TOPIC,
  createEvent,
  dlqTopic,
  eventHeaders,
  parseEvent,
  serializeEvent,
  startEmbeddedBroker,
  taskAssignedTopic,
  uuidv7,
  type EventOf,
  type RunningEmbeddedBroker,
} from '@simpul/events';
import { parseFamilyCardNumber } from '@simpul/identifiers';
import { createLogger } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { eq } from 'drizzle-orm';
import { dukcapilService } from '../src/app';
import { familyCards, inbox, type DukcapilSchema } from '../src/db/schema';

// The real worker, as `npm start` runs it: an embedded broker, task events in, task statuses out.
jest.setTimeout(60_000);

const WORLD = { citizens: 120, seed: 11 };
const world = generateWorld(WORLD);
const TASKS_TOPIC = taskAssignedTopic('dukcapil');

let dukcapil: SubgraphOnPostgres<DukcapilSchema>;
let dataDir: string;
let broker: RunningEmbeddedBroker;
let transport: EmbeddedTransport;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  dukcapil = await startSubgraphOnPostgres(dukcapilService, WORLD);
  dataDir = await mkdtemp(join(tmpdir(), 'simpul-dukcapil-tasks-'));
  broker = await startEmbeddedBroker({ dataDir, port: 0, sync: false });
  transport = new EmbeddedTransport({ url: broker.url, pollWaitMs: 200 });
  worker = await dukcapilService.startWorkers(
    { db: dukcapil.db, logger: createLogger('dukcapil', 'silent') },
    { eventsEnv: { EVENTS_URL: broker.url }, worker: { relay: { pollIntervalMs: 50 }, consumer: { backoff: { initialMs: 50, maxMs: 200 } } } },
  );
});

afterAll(async () => {
  await worker?.stop();
  await transport?.close();
  await broker?.stop();
  await dukcapil?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function taskAssigned(applicationId: string, taskKind: string, inputs: Record<string, unknown>): EventOf<'mpp.task.assigned'> {
  return createEvent(
    'mpp.task.assigned',
    {
      taskId: uuidv7(),
      applicationId,
      applicationType: 'MARRIAGE_REGISTRATION',
      participant: 'dukcapil',
      taskKind,
      inputs: inputs as EventOf<'mpp.task.assigned'>['data']['inputs'],
      dueAt: new Date(Date.now() + 72 * 3_600_000).toISOString(),
      attempt: 1,
    },
    { source: 'applications', subject: applicationId, correlationId: applicationId },
  );
}

/** As the applications service's outbox relay publishes it: keyed by application, so one application's tasks stay in order. */
async function publish(event: EventOf<'mpp.task.assigned'>): Promise<void> {
  await transport.publish(TASKS_TOPIC, [{ key: event.data.applicationId, value: serializeEvent(event), headers: eventHeaders(event) }]);
}

async function statusesOf(taskId: string): Promise<EventOf<'mpp.task.status'>[]> {
  const messages = await transport.read(TASK_STATUS_TOPIC);
  return messages.flatMap((message) => {
    const parsed = parseEvent(message.value);
    return parsed.ok && parsed.event.type === 'mpp.task.status' && parsed.event.data.taskId === taskId ? [parsed.event as EventOf<'mpp.task.status'>] : [];
  });
}

describe('dukcapil task worker over the embedded broker', () => {
  it('decides a task delivered three times once: one new family card, one status', async () => {
    const groom = world.citizens.find((c) => c.sex === 'MALE' && c.maritalStatus === 'SINGLE' && c.birthDate < '2007-01-01');
    const bride = world.citizens.find((c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE' && c.birthDate < '2007-01-01' && c.familyCardNumber !== groom?.familyCardNumber);
    if (!groom || !bride) throw new Error('the test world has no single adult couple');
    const applicationId = uuidv7();
    const issueFamilyCard = taskAssigned(applicationId, 'ISSUE_FAMILY_CARD', {
      groomNik: groom.nik,
      brideNik: bride.nik,
      issuedDocuments: [{ kind: 'MARRIAGE_CERTIFICATE', number: '0007/140804/XI/2026' }],
    });
    // A relay that crashed before marking its row published sends the same event again.
    for (let i = 0; i < 3; i++) await publish(issueFamilyCard);
    // Same application, so same partition: once this one is decided, the three copies were handled.
    const verifyUnknown = taskAssigned(applicationId, 'VERIFY_IDENTITY', { applicantNik: '3510015005900001' });
    await publish(verifyUnknown);

    const [rejection] = await eventually(async () => {
      const statuses = await statusesOf(verifyUnknown.data.taskId);
      return statuses.length > 0 ? statuses : undefined;
    }, 'the status of the follow-up task');
    expect(rejection!.data).toMatchObject({ status: 'REJECTED', participant: 'dukcapil', applicationId, reason: expect.stringMatching(/no citizen registered/) });

    const statuses = await statusesOf(issueFamilyCard.data.taskId);
    expect(statuses).toHaveLength(1);
    const status = statuses[0]!;
    expect(status).toMatchObject({ source: 'dukcapil', subject: applicationId, correlationId: applicationId, traceparent: issueFamilyCard.traceparent });
    expect(status.data).toMatchObject({ taskId: issueFamilyCard.data.taskId, applicationId, participant: 'dukcapil', status: 'APPROVED' });
    expect(status.data.documents).toHaveLength(1);
    const { kind, number } = status.data.documents[0]!;
    expect(kind).toBe('FAMILY_CARD');
    expect(parseFamilyCardNumber(number).ok).toBe(true);

    expect(await dukcapil.db.$count(familyCards, eq(familyCards.headNik, groom.nik))).toBe(1);
    expect(await dukcapil.db.$count(inbox, eq(inbox.eventId, issueFamilyCard.id))).toBe(1);
    const response = await postGraphQL<{ groom: { maritalStatus: string; familyCard: { number: string } }; bride: { maritalStatus: string; familyCard: { number: string } } }>(
      dukcapil.url,
      'query ($g: String!, $b: String!) { groom: citizen(nik: $g) { maritalStatus familyCard { number } } bride: citizen(nik: $b) { maritalStatus familyCard { number } } }',
      { g: groom.nik, b: bride.nik },
    );
    expect(response.data).toEqual({ groom: { maritalStatus: 'MARRIED', familyCard: { number } }, bride: { maritalStatus: 'MARRIED', familyCard: { number } } });
  });

  it('dead-letters a task whose inputs break the contract, without a status', async () => {
    const malformed = taskAssigned(uuidv7(), 'VERIFY_IDENTITY', { applicantNik: 'not-a-nik' });
    await publish(malformed);
    const deadLetter = await eventually(async () => (await transport.read(dlqTopic(TASKS_TOPIC))).find((m) => m.value === serializeEvent(malformed)), 'the dead letter');
    expect(deadLetter.headers[DLQ_HEADERS.rule]).toBe('PERMANENT_FAILURE');
    expect(deadLetter.headers[DLQ_HEADERS.error]).toMatch(/VERIFY_IDENTITY task .* has malformed inputs/);
    expect(await statusesOf(malformed.data.taskId)).toEqual([]);
  });
});
