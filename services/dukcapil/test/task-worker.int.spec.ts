import * as events from '@simpul/events';
import { DLQ_HEADERS, matchesCivilRegistryNumber, uuidv7, loadTaskWorkerEnv } from '@simpul/events';
import { jakartaClock, parseFamilyCardNumber } from '@simpul/identifiers';
import { auditNikHash, createLogger } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { eventually, postGraphQL, startSubgraphOnPostgres, taskWorkerHarness, type SubgraphOnPostgres } from '@simpul/testing';
import { eq } from 'drizzle-orm';
import { dukcapilService } from '../src/app';
import { citizens, familyCards, inbox, movingCertificates, outbox, taskApprovals, type DukcapilSchema } from '../src/db/schema';

// The real worker, as `npm start` runs it: an embedded broker, task events in, task statuses out.
jest.setTimeout(60_000);

const WORLD = { citizens: 120, seed: 11 };
const world = generateWorld(WORLD);
const NIK_HASH_PEPPER = 'dukcapil-task-worker-test-pepper';
const dueAt = () => new Date(Date.now() + 72 * 3_600_000).toISOString();
const tasks = taskWorkerHarness({ events, participant: 'dukcapil', applicationType: 'MARRIAGE_REGISTRATION', dueAt, nikHashPepper: NIK_HASH_PEPPER });
/** The audit log the worker appends to: it keeps what it was given, or refuses while `down`. */
const { auditLog } = tasks;

let dukcapil: SubgraphOnPostgres<DukcapilSchema>;

beforeAll(async () => {
  dukcapil = await startSubgraphOnPostgres(dukcapilService, WORLD);
  await tasks.start();
  await tasks.startWorker(({ eventsUrl, audit }) =>
    dukcapilService.tasks.start(
      { db: dukcapil.db, env: loadTaskWorkerEnv({ EVENTS_URL: eventsUrl }), logger: createLogger('dukcapil', 'silent') },
      // Attempts enough to outlast the audit outage below without dead-lettering the task.
      { relay: { pollIntervalMs: 50 }, consumer: { maxAttempts: 1_000, backoff: { initialMs: 50, maxMs: 200 } }, audit },
    ),
  );
});

afterAll(async () => {
  await tasks.stop();
  await dukcapil?.stop();
});

const groom = world.citizens.find((c) => c.sex === 'MALE' && c.maritalStatus === 'SINGLE' && c.birthDate < '2007-01-01');
const bride = world.citizens.find((c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE' && c.birthDate < '2007-01-01' && c.familyCardNumber !== groom?.familyCardNumber);

describe('dukcapil task worker over the embedded broker', () => {
  it('decides a task delivered three times once: one new family card, one status', async () => {
    if (!groom || !bride) throw new Error('the test world has no single adult couple');
    const applicationId = uuidv7();
    const issueFamilyCard = tasks.taskAssigned(
      'ISSUE_FAMILY_CARD',
      { groomNik: groom.nik, brideNik: bride.nik, issuedDocuments: [{ kind: 'MARRIAGE_CERTIFICATE', number: '0007/140804/XI/2026' }] },
      { applicationId },
    );
    // A relay that crashed before marking its row published sends the same event again.
    for (let i = 0; i < 3; i++) await tasks.publish(issueFamilyCard);
    // Same application, so same partition: once this one is decided, the three copies were handled.
    const verifyUnknown = tasks.taskAssigned('VERIFY_IDENTITY', { applicantNik: '3510015005900001' }, { applicationId });
    await tasks.publish(verifyUnknown);

    const [rejection] = await tasks.awaitStatuses(verifyUnknown.data.taskId);
    expect(rejection!.data).toMatchObject({ status: 'REJECTED', participant: 'dukcapil', applicationId, reason: expect.stringMatching(/no citizen registered/) });

    const statuses = await tasks.statusesOf(issueFamilyCard.data.taskId);
    expect(statuses).toHaveLength(1);
    const status = statuses[0]!;
    expect(status).toMatchObject({ source: 'dukcapil', subject: applicationId, correlationId: applicationId, traceparent: issueFamilyCard.traceparent });
    expect(status.data).toMatchObject({ taskId: issueFamilyCard.data.taskId, applicationId, participant: 'dukcapil', status: 'APPROVED' });
    expect(status.data.documents).toHaveLength(1);
    const { kind, number: reported } = status.data.documents[0]!;
    expect(kind).toBe('FAMILY_CARD');
    // The status topic is shared: the new KK goes out masked, whole only in Dukcapil's own graph and store.
    expect(reported).toMatch(/^\*{12}\d{4}$/);
    const [card] = await dukcapil.db.select({ number: familyCards.number }).from(familyCards).where(eq(familyCards.headNik, groom.nik));
    const number = card!.number;
    // Issued today by the worker's clock (Asia/Jakarta), which is a day ahead of UTC until 07:00 WIB.
    expect(parseFamilyCardNumber(number, { today: new Date(`${jakartaClock().today()}T00:00:00Z`) }).ok).toBe(true);
    expect(matchesCivilRegistryNumber(number, reported)).toBe(true);
    expect(status.data.reason).toEqual(expect.any(String));
    expect(status.data.reason).not.toContain(groom.address.village);

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
    const malformed = await tasks.assign('VERIFY_IDENTITY', { applicantNik: 'not-a-nik' });
    const deadLetter = await tasks.deadLetterOf(malformed);
    expect(deadLetter.headers[DLQ_HEADERS.rule]).toBe('PERMANENT_FAILURE');
    expect(deadLetter.headers[DLQ_HEADERS.error]).toMatch(/VERIFY_IDENTITY task .* has malformed inputs/);
    expect(await tasks.statusesOf(malformed.data.taskId)).toEqual([]);
  });

  it('commits an approved move only with its audit records: nothing while the audit log refuses, one move once it records', async () => {
    const couple = [groom?.familyCardNumber, bride?.familyCardNumber];
    const mover = world.citizens.find(
      (c) => c.familyRelationship === 'CHILD' && c.birthDate < '2007-01-01' && !couple.includes(c.familyCardNumber) && world.citizens.some((m) => m.familyCardNumber === c.familyCardNumber && m.nik !== c.nik),
    );
    if (!mover) throw new Error('the test world has no adult child living with their family');
    const applicationId = uuidv7();
    const move = tasks.taskAssigned(
      'MOVE_RESIDENCE',
      {
        applicantNik: mover.nik,
        newAddress: 'Jl. Pajajaran No. 21, RT 004/RW 007, Kel. Babakan, Kec. Bogor Tengah, Kota Bogor 16128',
        movingDate: new Date().toISOString().slice(0, 10),
      },
      { applicationId },
    );
    const registry = async () => ({
      household: await dukcapil.db.select().from(citizens).where(eq(citizens.familyCardNumber, mover.familyCardNumber)).orderBy(citizens.nik),
      card: await dukcapil.db.select().from(familyCards).where(eq(familyCards.number, mover.familyCardNumber)),
      cardsHeaded: await dukcapil.db.$count(familyCards, eq(familyCards.headNik, mover.nik)),
      movingCertificates: await dukcapil.db.$count(movingCertificates, eq(movingCertificates.nik, mover.nik)),
      approvals: await dukcapil.db.$count(taskApprovals, eq(taskApprovals.taskId, move.data.taskId)),
      inbox: await dukcapil.db.$count(inbox, eq(inbox.eventId, move.id)),
      outbox: await dukcapil.db.$count(outbox, eq(outbox.partitionKey, applicationId)),
    });
    const before = await registry();
    expect(before).toMatchObject({ cardsHeaded: 0, movingCertificates: 0, approvals: 0, inbox: 0, outbox: 0 });

    auditLog.down = true;
    const refusedBefore = auditLog.refused;
    await tasks.publish(move);
    // Refused twice: the task was decided, rolled back and tried again, and rolled back again.
    await eventually(() => (auditLog.refused >= refusedBefore + 2 ? true : undefined), 'the audit log to refuse the move twice');
    expect(await registry()).toEqual(before);
    expect(await tasks.statusesOf(move.data.taskId)).toEqual([]);

    auditLog.down = false;
    const [status] = await tasks.awaitStatuses(move.data.taskId);
    expect(status!.data).toMatchObject({ status: 'APPROVED', applicationId, participant: 'dukcapil' });
    const after = await registry();
    expect(after).toMatchObject({ cardsHeaded: 1, movingCertificates: 1, approvals: 1, inbox: 1, outbox: 1 });
    expect(after.household.map((c) => c.nik)).not.toContain(mover.nik);
    expect(await tasks.statusesOf(move.data.taskId)).toHaveLength(1);

    // One batch for the application, appended by the attempt that committed.
    const purpose = `application:${applicationId}`;
    const batches = auditLog.batches.filter((batch) => batch.records.some((record) => record.purpose === purpose));
    expect(batches).toHaveLength(1);
    const { records } = batches[0]!;
    expect(batches[0]!.service).toBe('dukcapil');
    for (const record of records) expect(record).toMatchObject({ purpose, correlationId: applicationId, actor: 'service:dukcapil', actorType: 'client' });
    const moverHash = auditNikHash(mover.nik, NIK_HASH_PEPPER);
    expect(records.find((r) => r.nikHash === moverHash && r.kind === 'CHANGE')?.fields).toEqual(expect.arrayContaining(['Citizen.address', 'Citizen.familyCard', 'FamilyCard.head']));
    expect(records.find((r) => r.nikHash === moverHash && r.kind === 'READ')?.fields).toEqual(expect.arrayContaining(['Citizen.nik', 'Citizen.address']));
    const stayers = new Set(before.household.filter((c) => c.nik !== mover.nik).map((c) => auditNikHash(c.nik, NIK_HASH_PEPPER)));
    expect(new Set(records.filter((r) => r.kind === 'CHANGE' && r.nikHash !== moverHash).map((r) => r.nikHash))).toEqual(stayers);
  });
});
