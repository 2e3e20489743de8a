import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dukcapilService } from '@simpul/dukcapil';
import {
  EmbeddedTransport,
  TASK_STATUS_TOPIC,
  createEvent,
  eventHeaders,
  parseEvent,
  serializeEvent,
  startEmbeddedBroker,
  taskAssignedTopic,
  uuidv7,
  type EventOf,
  type RunningEmbeddedBroker,
} from '@simpul/events';
import { auditNikHash, AuditUnavailableError, createLogger, type AuditBatch, type AuditSink } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { eq, or } from 'drizzle-orm';
import { religiousAffairsService } from '../src/app';
import { inbox, marriages, outbox, taskApprovals, type ReligiousAffairsSchema } from '../src/db/schema';

// The real worker, as `npm start` runs it: an embedded broker, task events in, task statuses out, and
// the real Dukcapil subgraph standing in for the gateway it asks (both seeded from one world).
jest.setTimeout(60_000);

const WORLD = { citizens: 120, seed: 11 };
const world = generateWorld(WORLD);
const TASKS_TOPIC = taskAssignedTopic('religious-affairs');
const NIK_HASH_PEPPER = 'kua-task-worker-test-pepper';

/** The audit log the worker appends to: it keeps what it was given, or refuses while `down`. */
const auditLog = {
  down: false,
  refused: 0,
  batches: [] as AuditBatch[],
};
const auditSink: AuditSink = {
  async append(batch) {
    if (auditLog.down) {
      auditLog.refused++;
      throw new AuditUnavailableError('audit log down');
    }
    auditLog.batches.push(batch);
  },
};

let dukcapil: SubgraphOnPostgres<typeof dukcapilService.schema>;
let kua: SubgraphOnPostgres<ReligiousAffairsSchema>;
let dataDir: string;
let broker: RunningEmbeddedBroker;
let transport: EmbeddedTransport;
let worker: { stop(): Promise<void> };

beforeAll(async () => {
  [dukcapil, kua] = await Promise.all([startSubgraphOnPostgres(dukcapilService, WORLD), startSubgraphOnPostgres(religiousAffairsService, WORLD)]);
  dataDir = await mkdtemp(join(tmpdir(), 'simpul-kua-tasks-'));
  broker = await startEmbeddedBroker({ dataDir, port: 0, sync: false });
  transport = new EmbeddedTransport({ url: broker.url, pollWaitMs: 200 });
  worker = await religiousAffairsService.startWorkers(
    { db: kua.db, env: { GATEWAY_URL: dukcapil.url }, logger: createLogger('religious-affairs', 'silent') },
    {
      eventsEnv: { EVENTS_URL: broker.url },
      // Attempts enough to outlast the audit outage below without dead-lettering the task.
      worker: { relay: { pollIntervalMs: 50 }, consumer: { maxAttempts: 1_000, backoff: { initialMs: 50, maxMs: 200 } }, audit: { sink: auditSink, nikHashPepper: NIK_HASH_PEPPER } },
    },
  );
});

afterAll(async () => {
  await worker?.stop();
  await transport?.close();
  await broker?.stop();
  await Promise.all([dukcapil?.stop(), kua?.stop()]);
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

async function statusesOf(taskId: string): Promise<EventOf<'mpp.task.status'>[]> {
  const messages = await transport.read(TASK_STATUS_TOPIC);
  return messages.flatMap((message) => {
    const parsed = parseEvent(message.value);
    return parsed.ok && parsed.event.type === 'mpp.task.status' && parsed.event.data.taskId === taskId ? [parsed.event as EventOf<'mpp.task.status'>] : [];
  });
}

describe('KUA task worker over the embedded broker', () => {
  it('registers a marriage only with its audit records: nothing while the audit log refuses, one marriage once it records', async () => {
    const married = new Set(world.marriages.flatMap((m) => [m.husbandNik, m.wifeNik]));
    const eligible = (sex: string) => world.citizens.find((c) => c.sex === sex && c.maritalStatus === 'SINGLE' && c.birthDate < '2006-01-01' && !married.has(c.nik));
    const [groom, bride] = [eligible('MALE'), eligible('FEMALE')];
    if (!groom || !bride) throw new Error('the test world has no single adult couple');
    const applicationId = uuidv7();
    const event = createEvent(
      'mpp.task.assigned',
      {
        taskId: uuidv7(),
        applicationId,
        applicationType: 'MARRIAGE_REGISTRATION',
        participant: 'religious-affairs',
        taskKind: 'REGISTER_MARRIAGE',
        inputs: { groomNik: groom.nik, brideNik: bride.nik, marriageDate: '2026-11-14' },
        dueAt: new Date(Date.now() + 72 * 3_600_000).toISOString(),
        attempt: 1,
      },
      { source: 'applications', subject: applicationId, correlationId: applicationId },
    );
    const register = async () => ({
      marriages: await kua.db.$count(marriages, or(eq(marriages.husbandNik, groom.nik), eq(marriages.wifeNik, bride.nik))),
      approvals: await kua.db.$count(taskApprovals, eq(taskApprovals.taskId, event.data.taskId)),
      inbox: await kua.db.$count(inbox, eq(inbox.eventId, event.id)),
      outbox: await kua.db.$count(outbox, eq(outbox.partitionKey, applicationId)),
    });
    expect(await register()).toEqual({ marriages: 0, approvals: 0, inbox: 0, outbox: 0 });

    auditLog.down = true;
    await transport.publish(TASKS_TOPIC, [{ key: applicationId, value: serializeEvent(event), headers: eventHeaders(event) }]);
    // Refused twice: the marriage was decided, rolled back and tried again, and rolled back again.
    await eventually(async () => (auditLog.refused >= 2 ? true : undefined), 'the audit log to refuse the registration twice');
    expect(await register()).toEqual({ marriages: 0, approvals: 0, inbox: 0, outbox: 0 });
    expect(await statusesOf(event.data.taskId)).toEqual([]);

    auditLog.down = false;
    const [status] = await eventually(async () => {
      const statuses = await statusesOf(event.data.taskId);
      return statuses.length > 0 ? statuses : undefined;
    }, 'the status of the registration');
    expect(status!.data).toMatchObject({ status: 'APPROVED', applicationId, participant: 'religious-affairs', documents: [{ kind: 'MARRIAGE_CERTIFICATE' }] });
    expect(await register()).toEqual({ marriages: 1, approvals: 1, inbox: 1, outbox: 1 });
    expect(await statusesOf(event.data.taskId)).toHaveLength(1);

    // One batch, appended by the attempt that committed: both spouses' register read and changed.
    const purpose = `application:${applicationId}`;
    expect(auditLog.batches).toHaveLength(1);
    const [batch] = auditLog.batches;
    expect(batch!.service).toBe('religious-affairs');
    for (const record of batch!.records) {
      expect(record).toMatchObject({ purpose, correlationId: applicationId, actor: 'service:religious-affairs', actorType: 'client' });
    }
    const summary = batch!.records.map((r) => ({ nikHash: r.nikHash, kind: r.kind, marriages: r.fields.includes('Citizen.marriages'), certificate: r.fields.includes('Marriage.certificateNumber') }));
    const spouses = [groom.nik, bride.nik].map((nik) => auditNikHash(nik, NIK_HASH_PEPPER));
    expect(summary).toHaveLength(4);
    expect(summary).toEqual(
      expect.arrayContaining(
        spouses.flatMap((nikHash) => [
          { nikHash, kind: 'READ', marriages: true, certificate: false },
          { nikHash, kind: 'CHANGE', marriages: true, certificate: true },
        ]),
      ),
    );
  });
});
