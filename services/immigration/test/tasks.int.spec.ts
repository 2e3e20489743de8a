import * as events from '@simpul/events';
import { DLQ_HEADERS, loadTaskWorkerEnv, type EventOf } from '@simpul/events';
import { jakartaClock, parsePassportNumber } from '@simpul/identifiers';
import { auditNikHash, createLogger } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, taskWorkerHarness, type SubgraphOnPostgres, type TaskIds } from '@simpul/testing';
import { eq } from 'drizzle-orm';
import { immigrationService } from '../src/app';
import { inbox, passports, type ImmigrationSchema } from '../src/db/schema';

// Immigration deciding PROCESS_PASSPORT tasks for real: its task worker on its own Postgres, over the
// embedded broker, with the effects read back through its GraphQL.
jest.setTimeout(60_000);

const WORLD = { citizens: 600, seed: 13 };
const world = generateWorld(WORLD);
const NOW = new Date('2026-01-14T18:00:00Z'); // 15 January 2026 in Jakarta (UTC+7); the world's today is 1 January
const TODAY = '2026-01-15';

let immigration: SubgraphOnPostgres<ImmigrationSchema>;
// The worker on an embedded broker; its audit log keeps the records of every task decided.
const PEPPER = 'immigration-tasks-test-pepper';
const dueAt = () => new Date(Date.now() + 96 * 3_600_000).toISOString();
const tasks = taskWorkerHarness({ events, participant: 'immigration', applicationType: 'PASSPORT_APPLICATION', dueAt, nikHashPepper: PEPPER });

beforeAll(async () => {
  immigration = await startSubgraphOnPostgres(immigrationService, WORLD);
  await tasks.start();
  await tasks.startWorker(({ eventsUrl, audit }) =>
    immigrationService.tasks.start(
      { db: immigration.db, logger: createLogger('immigration', 'silent'), env: loadTaskWorkerEnv({ EVENTS_URL: eventsUrl }) },
      { clock: jakartaClock(() => NOW), relay: { pollIntervalMs: 50 }, consumer: { backoff: { initialMs: 20, maxMs: 100 } }, audit },
    ),
  );
});

afterAll(async () => {
  await tasks.stop();
  await immigration?.stop();
});

/** PROCESS_PASSPORT inputs: applicantNik, passportKind, previousPassportNumber? (or broken ones). */
type TaskInputs = Record<string, string>;

/** Assigns a PROCESS_PASSPORT task to immigration, as the applications service does. */
const assignProcessPassport = (inputs: TaskInputs, task: TaskIds = {}) => tasks.assign('PROCESS_PASSPORT', inputs, task);
const decisionOf = async (taskId: string) => (await tasks.awaitStatuses(taskId))[0]!;

/** The number of the one passport a decision issued, checked against the format of §7. */
function issuedNumber(status: EventOf<'mpp.task.status'>): string {
  expect(status.data.status).toBe('APPROVED');
  expect(status.data.documents).toHaveLength(1);
  const [document] = status.data.documents;
  expect(document!.kind).toBe('PASSPORT');
  expect(parsePassportNumber(document!.number)).toEqual({ ok: true, value: document!.number });
  return document!.number;
}

const PASSPORT_FIELDS = 'number status issuedOn expiresOn issuingOffice holder { nik } replacedBy { number status }';

interface PassportAnswer {
  number: string;
  status: string;
  issuedOn: string;
  expiresOn: string;
  issuingOffice: string;
  holder: { nik: string };
  replacedBy: { number: string; status: string } | null;
}

async function passportsOf(nik: string): Promise<PassportAnswer[]> {
  const response = await postGraphQL<{ _entities: Array<{ passports: PassportAnswer[] }> }>(
    immigration.url,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { passports { ${PASSPORT_FIELDS} } } } }`,
    { r: [{ __typename: 'Citizen', nik }] },
  );
  expect(response.errors).toBeUndefined();
  return response.data!._entities[0]!.passports;
}

async function passport(number: string): Promise<PassportAnswer | null> {
  const response = await postGraphQL<{ passport: PassportAnswer | null }>(immigration.url, `query ($n: String!) { passport(number: $n) { ${PASSPORT_FIELDS} } }`, { n: number });
  expect(response.errors).toBeUndefined();
  return response.data!.passport;
}

const hashOf = (nik: string) => auditNikHash(nik, PEPPER);

/** The audit records of an application's tasks: whose (NIK hash), what kind, which fields. */
const auditedFor = (applicationId: string) => tasks.auditLog.accessesFor(applicationId);

/** Checked before issuing: the passports the applicant holds, by number, status and validity. */
const CHECKED = ['Citizen.passports', 'Passport.expiresOn', 'Passport.number', 'Passport.status'];
/** Created by issuing: the new Passport, and the holder's list of passports. */
const ISSUED = ['Citizen.passports', 'Passport.expiresOn', 'Passport.holder', 'Passport.issuedOn', 'Passport.issuingOffice', 'Passport.number', 'Passport.status'];
/** Issuing in place of a previous passport also points that one to the new one. */
const REPLACED = [...ISSUED, 'Passport.replacedBy'].sort();

const holders = new Set(world.passports.map((p) => p.nik));
const withoutPassport = (born: (birthDate: string) => boolean) => world.citizens.filter((c) => !holders.has(c.nik) && born(c.birthDate)).map((c) => c.nik);
const adults = withoutPassport((birthDate) => birthDate < '2000-01-01');
const children = withoutPassport((birthDate) => birthDate > '2012-01-01');
const OFFICE_BY_REGENCY: Record<string, string> = { '1408': 'Kantor Imigrasi Pekanbaru', '3510': 'Kantor Imigrasi Banyuwangi', '5103': 'Kantor Imigrasi Ngurah Rai', '1604': 'Kantor Imigrasi Palembang', '7601': 'Kantor Imigrasi Mamuju', '3271': 'Kantor Imigrasi Bogor' };
/** Holders of one still-valid passport in the world, one per test. */
const validHolders = world.passports.filter((p) => p.status === 'VALID' && p.expiresOn >= TODAY && world.passports.filter((q) => q.nik === p.nik).length === 1);

describe('immigration decides PROCESS_PASSPORT tasks', () => {
  it('issues a first electronic passport, valid ten years for an adult, visible through GraphQL', async () => {
    const nik = adults[0]!;
    const task = await assignProcessPassport({ applicantNik: nik, passportKind: 'ELECTRONIC' });
    const status = await decisionOf(task.data.taskId);
    expect(status).toMatchObject({
      source: 'immigration',
      subject: task.data.applicationId,
      correlationId: task.correlationId,
      data: { taskId: task.data.taskId, applicationId: task.data.applicationId, participant: 'immigration', status: 'APPROVED' },
    });
    const number = issuedNumber(status);
    expect(number).toMatch(/^E\d{7}$/);

    const expected = {
      number,
      status: 'VALID',
      issuedOn: TODAY,
      expiresOn: '2036-01-15',
      issuingOffice: OFFICE_BY_REGENCY[nik.slice(0, 4)],
      holder: { nik },
      replacedBy: null,
    };
    expect(await passportsOf(nik)).toEqual([expected]);
    expect(await passport(number)).toEqual(expected);
    const [stored] = await immigration.db.select().from(passports).where(eq(passports.number, number));
    expect(stored).toMatchObject({ kind: 'ELECTRONIC', taskId: task.data.taskId });
    expect(await immigration.db.$count(inbox, eq(inbox.eventId, task.id))).toBe(1);

    // A first passport: the applicant's (empty) list of passports was read, and the new one created.
    expect(auditedFor(task.data.applicationId)).toEqual([
      { nikHash: hashOf(nik), kind: 'READ', fields: ['Citizen.passports'] },
      { nikHash: hashOf(nik), kind: 'CHANGE', fields: ISSUED },
    ]);
  });

  it("issues a child's regular passport for five years", async () => {
    const nik = children[0]!;
    const number = issuedNumber(await decisionOf((await assignProcessPassport({ applicantNik: nik, passportKind: 'REGULAR' })).data.taskId));
    expect(number).toMatch(/^C\d{7}$/);
    expect(await passport(number)).toMatchObject({ status: 'VALID', issuedOn: TODAY, expiresOn: '2031-01-15' });
  });

  it('refuses a citizen who still holds a valid passport and gave no previous passport number', async () => {
    const held = validHolders[0]!;
    const before = await passportsOf(held.nik);
    const task = await assignProcessPassport({ applicantNik: held.nik, passportKind: 'REGULAR' });
    const status = await decisionOf(task.data.taskId);
    expect(status.data).toMatchObject({ status: 'REJECTED', documents: [] });
    expect(auditedFor(task.data.applicationId)).toEqual([{ nikHash: hashOf(held.nik), kind: 'READ', fields: CHECKED }]);
    expect(status.data.reason).toBe(
      `You still hold a valid passport (${held.number}, valid until ${held.expiresOn}). To replace it, apply again giving its number as the previous passport.`,
    );
    expect(await passportsOf(held.nik)).toEqual(before);
  });

  it('replaces the valid passport the citizen named: the old one REPLACED, pointing to the new one', async () => {
    const held = validHolders[1]!;
    // As typed at the counter: lower case.
    const task = await assignProcessPassport({ applicantNik: held.nik, passportKind: 'ELECTRONIC', previousPassportNumber: held.number.toLowerCase() });
    const status = await decisionOf(task.data.taskId);
    const number = issuedNumber(status);
    expect(status.data.reason).toBe(`Replaces passport ${held.number}.`);
    expect(auditedFor(task.data.applicationId)).toEqual([
      { nikHash: hashOf(held.nik), kind: 'READ', fields: CHECKED },
      { nikHash: hashOf(held.nik), kind: 'CHANGE', fields: REPLACED },
    ]);

    expect(await passportsOf(held.nik)).toEqual([
      { number, status: 'VALID', issuedOn: TODAY, expiresOn: '2036-01-15', issuingOffice: held.issuingOffice, holder: { nik: held.nik }, replacedBy: null },
      { number: held.number, status: 'REPLACED', issuedOn: held.issuedOn, expiresOn: held.expiresOn, issuingOffice: held.issuingOffice, holder: { nik: held.nik }, replacedBy: { number, status: 'VALID' } },
    ]);

    // A replaced passport cannot be replaced again.
    const againTask = await assignProcessPassport({ applicantNik: held.nik, passportKind: 'REGULAR', previousPassportNumber: held.number });
    const again = await decisionOf(againTask.data.taskId);
    expect(again.data).toMatchObject({ status: 'REJECTED', reason: `Passport ${held.number} was already replaced by passport ${number}.` });
    expect(auditedFor(againTask.data.applicationId)).toEqual([{ nikHash: hashOf(held.nik), kind: 'READ', fields: [...CHECKED, 'Passport.replacedBy'].sort() }]);
    expect(await passportsOf(held.nik)).toHaveLength(2);
  });

  it("refuses a previous passport number that is not the citizen's, leaving its holder's passport alone", async () => {
    const [applicant, other] = [validHolders[2]!, validHolders[3]!];
    for (const previousPassportNumber of [other.number, 'C9999999']) {
      expect(world.passports.some((p) => p.number === 'C9999999')).toBe(false);
      const task = await assignProcessPassport({ applicantNik: applicant.nik, passportKind: 'REGULAR', previousPassportNumber });
      const status = await decisionOf(task.data.taskId);
      expect(status.data).toMatchObject({ status: 'REJECTED', reason: `Passport ${previousPassportNumber} was not issued to you. Check the number of your previous passport.` });
      // Only the applicant's own passports were read, never the holder of the number they gave.
      expect(auditedFor(task.data.applicationId)).toEqual([{ nikHash: hashOf(applicant.nik), kind: 'READ', fields: CHECKED }]);
    }
    expect(await passportsOf(applicant.nik)).toEqual([expect.objectContaining({ number: applicant.number, status: 'VALID', replacedBy: null })]);
    expect(await passport(other.number)).toMatchObject({ status: 'VALID', holder: { nik: other.nik }, replacedBy: null });
  });

  it('issues a new passport to a holder whose only passport expired, without their naming it', async () => {
    const expired = world.passports.find((p) => p.status === 'EXPIRED' && !world.passports.some((q) => q.nik === p.nik && q.status === 'VALID'))!;
    const number = issuedNumber(await decisionOf((await assignProcessPassport({ applicantNik: expired.nik, passportKind: 'REGULAR' })).data.taskId));
    expect((await passportsOf(expired.nik)).map((p) => [p.number, p.status])).toEqual(
      expect.arrayContaining([
        [number, 'VALID'],
        [expired.number, 'EXPIRED'],
      ]),
    );
  });

  it('keeps a lost passport reported LOST when replacing it', async () => {
    const lost = world.passports.find((p) => p.status === 'LOST')!;
    const number = issuedNumber(await decisionOf((await assignProcessPassport({ applicantNik: lost.nik, passportKind: 'ELECTRONIC', previousPassportNumber: lost.number })).data.taskId));
    expect(await passport(lost.number)).toMatchObject({ status: 'LOST', replacedBy: { number, status: 'VALID' } });
  });

  it('answers a task sent again with the passport it already issued', async () => {
    const nik = adults[1]!;
    const first = await assignProcessPassport({ applicantNik: nik, passportKind: 'REGULAR' });
    const number = issuedNumber(await decisionOf(first.data.taskId));
    await assignProcessPassport({ applicantNik: nik, passportKind: 'REGULAR' }, { taskId: first.data.taskId, applicationId: first.data.applicationId, attempt: 2 });
    await tasks.awaitStatuses(first.data.taskId, 2);
    expect((await tasks.statusesOf(first.data.taskId)).map((s) => s.data.documents)).toEqual([
      [{ kind: 'PASSPORT', number }],
      [{ kind: 'PASSPORT', number }],
    ]);
    expect(await passportsOf(nik)).toHaveLength(1);
    // The second time it only read the number it had issued.
    expect(auditedFor(first.data.applicationId)).toEqual([
      { nikHash: hashOf(nik), kind: 'READ', fields: ['Citizen.passports'] },
      { nikHash: hashOf(nik), kind: 'CHANGE', fields: ISSUED },
      { nikHash: hashOf(nik), kind: 'READ', fields: ['Passport.number'] },
    ]);
  });

  it('dead-letters a task whose inputs break the catalogue contract, deciding nothing', async () => {
    const nik = adults[2]!;
    const task = await assignProcessPassport({ applicantNik: nik, passportKind: 'DIPLOMATIC' });
    const deadLetter = await tasks.deadLetterOf(task);
    expect(deadLetter.headers[DLQ_HEADERS.rule]).toBe('PERMANENT_FAILURE');
    expect(deadLetter.headers[DLQ_HEADERS.error]).toMatch(/passportKind/);
    const next = await assignProcessPassport({ applicantNik: nik, passportKind: 'REGULAR' });
    issuedNumber(await decisionOf(next.data.taskId));
    expect(await tasks.statusesOf(task.data.taskId)).toEqual([]);
    expect(await passportsOf(nik)).toHaveLength(1);
  });
});
