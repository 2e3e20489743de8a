import * as events from '@simpul/events';
import { DLQ_HEADERS, loadTaskWorkerEnv } from '@simpul/events';
import { jakartaClock, parseNib } from '@simpul/identifiers';
import { auditNikHash, createLogger } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { eventually, postGraphQL, startSubgraphOnPostgres, taskWorkerHarness, type SubgraphOnPostgres, type TaskIds } from '@simpul/testing';
import { eq } from 'drizzle-orm';
import { licensingService } from '../src/app';
import { businesses, inbox, outbox, type LicensingSchema } from '../src/db/schema';

// Licensing deciding ISSUE_NIB tasks for real: its task worker on its own Postgres, over the embedded
// broker, with the effects read back through its GraphQL.
jest.setTimeout(60_000);

const WORLD = { citizens: 400, seed: 11 };
const world = generateWorld(WORLD);
const TODAY = new Date('2025-03-14T20:30:00Z'); // 15 March in Jakarta (UTC+7)

let licensing: SubgraphOnPostgres<LicensingSchema>;

// The worker on an embedded broker; its audit log keeps what it is sent, or refuses everything while down.
const PEPPER = 'licensing-tasks-test-pepper';
const tasks = taskWorkerHarness({ events, participant: 'licensing', applicationType: 'BUSINESS_START', nikHashPepper: PEPPER });
const { auditLog } = tasks;

beforeAll(async () => {
  licensing = await startSubgraphOnPostgres(licensingService, WORLD);
  await tasks.start();
  await tasks.startWorker(({ eventsUrl, audit }) =>
    licensingService.tasks.start(
      { db: licensing.db, logger: createLogger('licensing', 'silent'), env: loadTaskWorkerEnv({ EVENTS_URL: eventsUrl }) },
      {
        clock: jakartaClock(() => TODAY),
        relay: { pollIntervalMs: 50 },
        // Enough attempts to outlast an audit log that is down for a while (see the last test).
        consumer: { maxAttempts: 100, backoff: { initialMs: 20, maxMs: 100 } },
        audit,
      },
    ),
  );
});

afterAll(async () => {
  await tasks.stop();
  await licensing?.stop();
});

/** ISSUE_NIB inputs: applicantNik, businessName, kbli, businessAddress, businessScale? (or broken ones). */
type TaskInputs = Record<string, string>;

/** Assigns an ISSUE_NIB task to licensing, as the applications service does. */
const assignIssueNib = (inputs: TaskInputs, task: TaskIds = {}) => tasks.assign('ISSUE_NIB', inputs, task);
const decisionOf = async (taskId: string) => (await tasks.awaitStatuses(taskId))[0]!;

const BUSINESS_FIELDS = 'nib name kbli kbliTitle riskLevel status issuedOn owner { nik }';

async function businessesOf(nik: string) {
  const response = await postGraphQL<{ _entities: Array<{ businesses: Array<{ nib: string; name: string; status: string }> }> }>(
    licensing.url,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { businesses { ${BUSINESS_FIELDS} } } } }`,
    { r: [{ __typename: 'Citizen', nik }] },
  );
  expect(response.errors).toBeUndefined();
  return response.data!._entities[0]!.businesses;
}

const hashOf = (nik: string) => auditNikHash(nik, PEPPER);

/** The audit records of an application's tasks: whose (NIK hash), what kind, which fields. */
const auditedFor = (applicationId: string) => auditLog.accessesFor(applicationId);

/** Checked before registering: the owner's businesses, by name and status. */
const CHECKED = ['Business.name', 'Business.status', 'Citizen.businesses'];
/** Created by registering: the new Business, and the owner's list of businesses. */
const REGISTERED = ['Business.issuedOn', 'Business.kbli', 'Business.kbliTitle', 'Business.name', 'Business.nib', 'Business.owner', 'Business.riskLevel', 'Business.status', 'Citizen.businesses'];

const owners = new Set(world.businesses.map((b) => b.ownerNik));
/** Adults of the synthetic world without any business, one per test. */
const withoutBusiness = world.citizens.filter((c) => !owners.has(c.nik) && c.birthDate < '2000-01-01').map((c) => c.nik);
let nextCitizen = 0;
const newApplicant = () => withoutBusiness[nextCitizen++]!;

describe('licensing decides ISSUE_NIB tasks', () => {
  it('registers the business and issues a valid 13-digit NIB, visible through GraphQL', async () => {
    const nik = newApplicant();
    const task = await assignIssueNib({ applicantNik: nik, businessName: 'Kedai Kopi Osing', kbli: '56303', businessAddress: 'Jl. Ahmad Yani 12, Banyuwangi', businessScale: 'MICRO' });

    const status = await decisionOf(task.data.taskId);
    expect(status).toMatchObject({
      source: 'licensing',
      subject: task.data.applicationId,
      correlationId: task.correlationId,
      traceparent: task.traceparent,
      data: { taskId: task.data.taskId, applicationId: task.data.applicationId, participant: 'licensing', status: 'APPROVED' },
    });
    expect(status.data.documents).toHaveLength(1);
    const [nib] = status.data.documents;
    expect(nib!.kind).toBe('NIB');
    expect(parseNib(nib!.number)).toEqual({ ok: true, value: nib!.number });

    const expected = {
      nib: nib!.number,
      name: 'Kedai Kopi Osing',
      kbli: '56303',
      kbliTitle: 'Rumah Minum/Kafe',
      riskLevel: 'LOW',
      status: 'ACTIVE',
      issuedOn: '2025-03-15',
      owner: { nik },
    };
    const byNib = await postGraphQL(licensing.url, `query ($nib: String!) { business(nib: $nib) { ${BUSINESS_FIELDS} } }`, { nib: nib!.number });
    expect(byNib.errors).toBeUndefined();
    expect(byNib.data).toEqual({ business: expected });
    expect(await businessesOf(nik)).toEqual([expected]);

    const [stored] = await licensing.db.select().from(businesses).where(eq(businesses.nib, nib!.number));
    expect(stored).toMatchObject({ address: 'Jl. Ahmad Yani 12, Banyuwangi', scale: 'MICRO', taskId: task.data.taskId });
    expect(await licensing.db.$count(inbox, eq(inbox.eventId, task.id))).toBe(1);

    expect(auditedFor(task.data.applicationId)).toEqual([
      { nikHash: hashOf(nik), kind: 'READ', fields: CHECKED },
      { nikHash: hashOf(nik), kind: 'CHANGE', fields: REGISTERED },
    ]);
  });

  it('issues a different NIB to each business', async () => {
    const nik = newApplicant();
    const tasks = [];
    for (const [name, kbli] of [['Warung Makan Bu Sri', '56102'], ['Bengkel Motor Sri', '45405'], ['Konveksi Sri', '14111']] as const) {
      tasks.push(await assignIssueNib({ applicantNik: nik, businessName: name, kbli, businessAddress: 'Jl. Sudirman 3, Siak' }));
    }
    const nibs = [];
    for (const task of tasks) {
      const status = await decisionOf(task.data.taskId);
      expect(status.data.status).toBe('APPROVED');
      nibs.push(status.data.documents[0]!.number);
    }
    expect(new Set(nibs).size).toBe(3);
    expect(nibs.every((nib) => parseNib(nib).ok)).toBe(true);
    expect((await businessesOf(nik)).map((b) => b.nib).sort()).toEqual([...nibs].sort());
  });

  it.each([
    ['a code in no KBLI section', '04111', /division 04/],
    ['a well-formed code OSS does not know', '47999', /47999 is not a business activity OSS registers \(section G/],
  ])('rejects %s with a reason, registering nothing', async (_, kbli, reason) => {
    const nik = newApplicant();
    const task = await assignIssueNib({ applicantNik: nik, businessName: 'Toko Serba Ada', kbli, businessAddress: 'Jl. Raya Lahat 8' });
    const status = await decisionOf(task.data.taskId);
    expect(status.data).toMatchObject({ status: 'REJECTED', documents: [] });
    expect(status.data.reason).toMatch(reason);
    expect(await businessesOf(nik)).toEqual([]);
    // Refused on the code alone: nothing of the applicant's was read, so there is nothing to record.
    expect(auditedFor(task.data.applicationId)).toEqual([]);
  });

  it('rejects a second active business of the same name for the same owner, whatever its case and spacing', async () => {
    const existing = world.businesses.find((b) => b.status === 'ACTIVE')!;
    const before = await businessesOf(existing.ownerNik);
    const task = await assignIssueNib({
      applicantNik: existing.ownerNik,
      businessName: `  ${existing.name.toUpperCase().replace(' ', '   ')} `,
      kbli: existing.kbli,
      businessAddress: 'Jl. Hang Tuah 1',
    });
    const status = await decisionOf(task.data.taskId);
    expect(status.data.status).toBe('REJECTED');
    expect(status.data.reason).toContain(`already own an active business named "${existing.name}"`);
    expect(await businessesOf(existing.ownerNik)).toEqual(before);
    expect(auditedFor(task.data.applicationId)).toEqual([{ nikHash: hashOf(existing.ownerNik), kind: 'READ', fields: ['Business.name', 'Business.nib', 'Business.status', 'Citizen.businesses'] }]);

    // Someone else may use the name.
    const other = await assignIssueNib({ applicantNik: newApplicant(), businessName: existing.name, kbli: existing.kbli, businessAddress: 'Jl. Hang Tuah 2' });
    expect((await decisionOf(other.data.taskId)).data.status).toBe('APPROVED');
  });

  it('lets an owner reuse the name of a business that is no longer active', async () => {
    const nik = newApplicant();
    const first = await assignIssueNib({ applicantNik: nik, businessName: 'Roti Pak Harto', kbli: '10710', businessAddress: 'Jl. Merdeka 5' });
    const firstNib = (await decisionOf(first.data.taskId)).data.documents[0]!.number;
    await licensing.db.update(businesses).set({ status: 'REVOKED' }).where(eq(businesses.nib, firstNib));

    const second = await assignIssueNib({ applicantNik: nik, businessName: 'Roti Pak Harto', kbli: '10710', businessAddress: 'Jl. Merdeka 5' });
    const status = await decisionOf(second.data.taskId);
    expect(status.data.status).toBe('APPROVED');
    expect((await businessesOf(nik)).map((b) => [b.nib, b.status])).toEqual(
      expect.arrayContaining([
        [firstNib, 'REVOKED'],
        [status.data.documents[0]!.number, 'ACTIVE'],
      ]),
    );
  });

  it('answers a task sent again with the NIB it already issued, registering nothing twice', async () => {
    const nik = newApplicant();
    const inputs = { applicantNik: nik, businessName: 'Pondok Wisata Melati', kbli: '55130', businessAddress: 'Jl. Pantai Boom 1' };
    const first = await assignIssueNib(inputs);
    const issued = (await decisionOf(first.data.taskId)).data.documents;

    // A re-assignment: a new event for the same task.
    await assignIssueNib(inputs, { taskId: first.data.taskId, applicationId: first.data.applicationId, attempt: 2 });
    await tasks.awaitStatuses(first.data.taskId, 2);
    expect((await tasks.statusesOf(first.data.taskId)).map((s) => [s.data.status, s.data.documents])).toEqual([
      ['APPROVED', issued],
      ['APPROVED', issued],
    ]);
    expect(await businessesOf(nik)).toHaveLength(1);
    // The second time it only read the NIB it had issued.
    expect(auditedFor(first.data.applicationId)).toEqual([
      { nikHash: hashOf(nik), kind: 'READ', fields: CHECKED },
      { nikHash: hashOf(nik), kind: 'CHANGE', fields: REGISTERED },
      { nikHash: hashOf(nik), kind: 'READ', fields: ['Business.nib'] },
    ]);
  });

  it('dead-letters a task whose inputs break the catalogue contract, deciding nothing', async () => {
    const nik = newApplicant();
    const task = await assignIssueNib({ applicantNik: nik, kbli: '56303', businessAddress: 'Jl. Ahmad Yani 12' });
    const deadLetter = await tasks.deadLetterOf(task);
    expect(deadLetter.headers[DLQ_HEADERS.rule]).toBe('PERMANENT_FAILURE');
    expect(deadLetter.headers[DLQ_HEADERS.error]).toMatch(/businessName/);

    // The tasks behind it are still decided; the malformed one never is.
    const next = await assignIssueNib({ applicantNik: nik, businessName: 'Kopi Ijen', kbli: '56303', businessAddress: 'Jl. Ahmad Yani 12' });
    expect((await decisionOf(next.data.taskId)).data.status).toBe('APPROVED');
    expect(await tasks.statusesOf(task.data.taskId)).toEqual([]);
  });

  it('issues no NIB while the audit log cannot record it, and exactly one once it can, recorded for the application', async () => {
    const nik = newApplicant();
    auditLog.refused = 0;
    auditLog.down = true;
    let task: Awaited<ReturnType<typeof assignIssueNib>>;
    try {
      task = await assignIssueNib({ applicantNik: nik, businessName: 'Sate Madura Cak Ri', kbli: '56102', businessAddress: 'Jl. Gajah Mada 4, Jember' });
      // Decided and refused twice over: each time the registration was rolled back with its status and inbox row.
      await eventually(() => (auditLog.refused >= 2 ? true : undefined), 'the audit log refusing the records twice');
      expect(await businessesOf(nik)).toEqual([]);
      expect(await licensing.db.$count(businesses, eq(businesses.taskId, task.data.taskId))).toBe(0);
      expect(await licensing.db.$count(outbox, eq(outbox.partitionKey, task.data.applicationId))).toBe(0);
      expect(await licensing.db.$count(inbox, eq(inbox.eventId, task.id))).toBe(0);
      expect(await tasks.statusesOf(task.data.taskId)).toEqual([]);
    } finally {
      auditLog.down = false;
    }

    const status = await decisionOf(task.data.taskId);
    expect(status.data).toMatchObject({ status: 'APPROVED', documents: [{ kind: 'NIB' }] });
    const nib = status.data.documents[0]!.number;
    expect((await businessesOf(nik)).map((business) => business.nib)).toEqual([nib]);
    expect(await licensing.db.$count(businesses, eq(businesses.taskId, task.data.taskId))).toBe(1);
    expect(await licensing.db.$count(outbox, eq(outbox.partitionKey, task.data.applicationId))).toBe(1);

    const batches = auditLog.batches.filter((batch) => batch.records.some((record) => record.purpose === `application:${task.data.applicationId}`));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.service).toBe('licensing');
    const recorded = { actor: 'service:licensing', actorType: 'client', client: 'simpul-licensing', purpose: `application:${task.data.applicationId}`, correlationId: task.correlationId, nikHash: hashOf(nik) };
    expect(batches[0]!.records).toEqual([
      expect.objectContaining({ ...recorded, kind: 'READ', fields: CHECKED }),
      expect.objectContaining({ ...recorded, kind: 'CHANGE', fields: REGISTERED }),
    ]);
  });
});
