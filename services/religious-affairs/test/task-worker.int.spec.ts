import { dukcapilService } from '@simpul/dukcapil';
import * as events from '@simpul/events';
import { uuidv7, loadTaskWorkerEnv } from '@simpul/events';
import { auditNikHash, createLogger } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { eventually, startSubgraphOnPostgres, taskWorkerHarness, type SubgraphOnPostgres } from '@simpul/testing';
import { eq, or } from 'drizzle-orm';
import { religiousAffairsService } from '../src/app';
import { inbox, marriages, outbox, taskApprovals, type ReligiousAffairsSchema } from '../src/db/schema';

// The real worker, as `npm start` runs it: an embedded broker, task events in, task statuses out, and
// the real Dukcapil subgraph standing in for the gateway it asks (both seeded from one world).
jest.setTimeout(60_000);

const WORLD = { citizens: 120, seed: 11 };
const world = generateWorld(WORLD);
const NIK_HASH_PEPPER = 'kua-task-worker-test-pepper';
const dueAt = () => new Date(Date.now() + 72 * 3_600_000).toISOString();
const tasks = taskWorkerHarness({ events, participant: 'religious-affairs', applicationType: 'MARRIAGE_REGISTRATION', dueAt, nikHashPepper: NIK_HASH_PEPPER });
/** The audit log the worker appends to: it keeps what it was given, or refuses while `down`. */
const { auditLog } = tasks;

let dukcapil: SubgraphOnPostgres<typeof dukcapilService.schema>;
let kua: SubgraphOnPostgres<ReligiousAffairsSchema>;

beforeAll(async () => {
  [dukcapil, kua] = await Promise.all([startSubgraphOnPostgres(dukcapilService, WORLD), startSubgraphOnPostgres(religiousAffairsService, WORLD)]);
  await tasks.start();
  await tasks.startWorker(({ eventsUrl, audit }) =>
    religiousAffairsService.tasks.start(
      { db: kua.db, env: { ...loadTaskWorkerEnv({ EVENTS_URL: eventsUrl }), GATEWAY_URL: dukcapil.url }, logger: createLogger('religious-affairs', 'silent') },
      // Attempts enough to outlast the audit outage below without dead-lettering the task.
      { relay: { pollIntervalMs: 50 }, consumer: { maxAttempts: 1_000, backoff: { initialMs: 50, maxMs: 200 } }, audit },
    ),
  );
});

afterAll(async () => {
  await tasks.stop();
  await Promise.all([dukcapil?.stop(), kua?.stop()]);
});

describe('KUA task worker over the embedded broker', () => {
  it('registers a marriage only with its audit records: nothing while the audit log refuses, one marriage once it records', async () => {
    const married = new Set(world.marriages.flatMap((m) => [m.husbandNik, m.wifeNik]));
    const eligible = (sex: string) => world.citizens.find((c) => c.sex === sex && c.maritalStatus === 'SINGLE' && c.birthDate < '2006-01-01' && !married.has(c.nik));
    const [groom, bride] = [eligible('MALE'), eligible('FEMALE')];
    if (!groom || !bride) throw new Error('the test world has no single adult couple');
    const applicationId = uuidv7();
    const event = tasks.taskAssigned('REGISTER_MARRIAGE', { groomNik: groom.nik, brideNik: bride.nik, marriageDate: '2026-11-14' }, { applicationId });
    const register = async () => ({
      marriages: await kua.db.$count(marriages, or(eq(marriages.husbandNik, groom.nik), eq(marriages.wifeNik, bride.nik))),
      approvals: await kua.db.$count(taskApprovals, eq(taskApprovals.taskId, event.data.taskId)),
      inbox: await kua.db.$count(inbox, eq(inbox.eventId, event.id)),
      outbox: await kua.db.$count(outbox, eq(outbox.partitionKey, applicationId)),
    });
    expect(await register()).toEqual({ marriages: 0, approvals: 0, inbox: 0, outbox: 0 });

    auditLog.down = true;
    await tasks.publish(event);
    // Refused twice: the marriage was decided, rolled back and tried again, and rolled back again.
    await eventually(() => (auditLog.refused >= 2 ? true : undefined), 'the audit log to refuse the registration twice');
    expect(await register()).toEqual({ marriages: 0, approvals: 0, inbox: 0, outbox: 0 });
    expect(await tasks.statusesOf(event.data.taskId)).toEqual([]);

    auditLog.down = false;
    const [status] = await tasks.awaitStatuses(event.data.taskId);
    expect(status!.data).toMatchObject({ status: 'APPROVED', applicationId, participant: 'religious-affairs', documents: [{ kind: 'MARRIAGE_CERTIFICATE' }] });
    expect(await register()).toEqual({ marriages: 1, approvals: 1, inbox: 1, outbox: 1 });
    expect(await tasks.statusesOf(event.data.taskId)).toHaveLength(1);

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
