import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { APPLICATION_STATUS_TOPIC, EmbeddedTransport, TASK_STATUS_TOPIC, parseEvent, taskAssignedTopic, type IncomingMessage } from '@simpul/events';
import { generateWorld, type SyntheticCitizen } from '@simpul/synthetic-data';
import { REPO_ROOT, postGraphQL, scanTopicsForCivilRegistryNumbers, startStack, type Stack } from '@simpul/testing';

// Issue 3 end to end: the whole stack as separate processes (event broker, seven services, gateway,
// the example participants pln over events and bank-bpd over signed webhooks), applications filed
// through the gateway, and the failures the fan-out must survive.

const WORLD = { citizens: 80, seed: 20251130 };
const world = generateWorld(WORLD);
const run = promisify(execFile);

/** BPJS Kesehatan has no process in the stack: its tasks stay open, so its SLA is seconds here. */
const BPJS_SLA_HOURS = 3 / 3600;
/** Attempts of the webhook dispatcher before a task goes to the DLQ (shortened for the drill). */
const WEBHOOK_ATTEMPTS = 3;

let stack: Stack;
let catalogueDir: string;
/** Participant code → may it receive plaintext NIKs (service catalogue `entitledToNik`). */
let entitledToNik: Map<string, boolean>;
let transport: EmbeddedTransport;

beforeAll(async () => {
  catalogueDir = await mkdtemp(join(tmpdir(), 'simpul-fan-out-'));
  const catalogue = JSON.parse(await readFile(join(REPO_ROOT, 'services/applications/catalogue/service-catalogue.json'), 'utf8')) as {
    participants: { code: string; entitledToNik: boolean }[];
    applicationTypes: { steps: { participant: string; slaHours: number }[] }[];
  };
  entitledToNik = new Map(catalogue.participants.map((p) => [p.code, p.entitledToNik]));
  for (const type of catalogue.applicationTypes) {
    for (const step of type.steps) if (step.participant === 'bpjs-kesehatan') step.slaHours = BPJS_SLA_HOURS;
  }
  const cataloguePath = join(catalogueDir, 'service-catalogue.json');
  await writeFile(cataloguePath, JSON.stringify(catalogue));
  const quickRetries = { TASK_MAX_ATTEMPTS: '4', TASK_RETRY_INITIAL_MS: '100', TASK_RETRY_MAX_MS: '400' };
  stack = await startStack({
    ...WORLD,
    engine: 'postgres',
    logLevel: 'warn',
    serviceEnv: {
      applications: {
        SERVICE_CATALOGUE_PATH: cataloguePath,
        SLA_SWEEP_INTERVAL_MS: '300',
        TIMELINE_POLL_INTERVAL_MS: '200',
        WEBHOOK_MAX_ATTEMPTS: String(WEBHOOK_ATTEMPTS),
        WEBHOOK_BACKOFF_INITIAL_MS: '100',
        WEBHOOK_BACKOFF_MAX_MS: '300',
      },
      dukcapil: quickRetries,
      licensing: quickRetries,
      tax: quickRetries,
      police: quickRetries,
      'religious-affairs': quickRetries,
      immigration: quickRetries,
    },
  });
  transport = new EmbeddedTransport({ url: stack.eventsUrl! });
  await transport.connect();
}, 240_000);

afterAll(async () => {
  await transport?.close();
  await stack?.stop();
  if (catalogueDir) await rm(catalogueDir, { recursive: true, force: true });
}, 60_000);

// ---------------------------------------------------------------------------------------------------

interface Task {
  id: string;
  stepId: string;
  participant: string;
  taskKind: string;
  status: string;
  reason: string | null;
  slaBreached: boolean;
  documents: { kind: string; number: string }[];
}
interface Application {
  id: string;
  type: string;
  status: string;
  slaBreached: boolean;
  tasks: Task[];
  timeline: { kind: string; participant: string | null; taskId: string | null }[];
}

const APPLICATION_FIELDS = `id type status slaBreached
  tasks { id stepId participant taskKind status reason slaBreached documents { kind number } }
  timeline { kind participant taskId }`;
const SUBMIT = `mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { ${APPLICATION_FIELDS} } }`;
const APPLICATION = `query ($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`;

async function submit(type: string, applicantNik: string, inputs: Record<string, string>): Promise<Application> {
  const response = await postGraphQL<{ submitApplication: Application }>(stack.gatewayUrl, SUBMIT, {
    input: { type, applicantNik, mppOffice: 'MPP Siak', inputs: Object.entries(inputs).map(([name, value]) => ({ name, value })) },
  }, await stack.authHeaders());
  expect(response.errors).toBeUndefined();
  return response.data!.submitApplication;
}

async function application(id: string): Promise<Application> {
  const response = await postGraphQL<{ application: Application }>(stack.gatewayUrl, APPLICATION, { id }, await stack.authHeaders());
  expect(response.errors).toBeUndefined();
  return response.data!.application;
}

/** Polls the application through the gateway until `done` holds (or fails with its last state). */
async function waitForApplication(id: string, done: (a: Application) => boolean, timeoutMs = 60_000): Promise<Application> {
  const deadline = Date.now() + timeoutMs;
  let last: Application | undefined;
  while (Date.now() < deadline) {
    try {
      last = await application(id);
      if (done(last)) return last;
    } catch {
      // the gateway may be between restarts of a service
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`application ${id} did not reach the expected state; last seen:\n${JSON.stringify(last, null, 2)}`);
}

const isFinal = (a: Application) => ['COMPLETED', 'REJECTED', 'PARTIALLY_REJECTED'].includes(a.status);
const taskOf = (a: Application, participant: string) => a.tasks.find((t) => t.participant === participant)!;
const documentKinds = (a: Application) => a.tasks.flatMap((t) => t.documents.map((d) => d.kind)).sort();

async function citizen<T>(nik: string, fields: string): Promise<T> {
  const response = await postGraphQL<{ citizen: T }>(stack.gatewayUrl, `query ($nik: String!) { citizen(nik: $nik) { ${fields} } }`, { nik }, await stack.authHeaders());
  expect(response.errors).toBeUndefined();
  return response.data!.citizen;
}

const age = (c: SyntheticCitizen) => (Date.now() - new Date(c.birthDate).getTime()) / (365.25 * 86_400_000);
const adults = world.citizens.filter((c) => age(c) >= 21 && age(c) < 60);
/** A different adult for every test, so their effects never meet. */
const anAdult = (accept: (c: SyntheticCitizen) => boolean = () => true): SyntheticCitizen => {
  const index = adults.findIndex(accept);
  if (index < 0) throw new Error('the test world ran out of adults');
  return adults.splice(index, 1)[0]!;
};

let nextStreetNumber = 1;
/** Every business at its own address: PLN refuses to connect an address already connected for someone else. */
const businessStart = (name: string) => ({ businessName: name, kbli: '47111', businessAddress: `Jl. Sudirman No. ${nextStreetNumber++}, Siak`, businessScale: 'MICRO' });

async function readTopic(topic: string): Promise<IncomingMessage[]> {
  return transport.read(topic);
}

// ---------------------------------------------------------------------------------------------------

interface AccessLogRecord {
  service: string;
  client: string;
  actorType: string;
  purpose: string | null;
  fields: string[];
  kind: 'READ' | 'CHANGE';
}

/** The audit log's records of one citizen, as an auditor reads them through the gateway. */
async function accessLogOf(nik: string): Promise<AccessLogRecord[]> {
  const response = await postGraphQL<{ dataAccessLog: { records: AccessLogRecord[] } }>(
    stack.gatewayUrl,
    'query ($nik: String!) { dataAccessLog(nik: $nik, first: 100) { records { service client actorType purpose fields kind } } }',
    { nik },
    await stack.authHeaders('auditor', 'legal-basis:AUDIT_OVERSIGHT'),
  );
  if (!response.data) throw new Error(`dataAccessLog failed: ${JSON.stringify(response.errors)}`);
  return response.data.dataAccessLog.records;
}

describe('one application, every participant', () => {
  it('starts a business: licensing, tax, the bank (webhook) and PLN (events) all act, and the graph shows the new business', async () => {
    const owner = anAdult();
    const name = `Warung Sejahtera ${owner.nik.slice(-4)}`;
    const submitted = await submit('BUSINESS_START', owner.nik, businessStart(name));
    expect(submitted.status).toBe('SUBMITTED');

    const done = await waitForApplication(submitted.id, isFinal);
    expect(done.status).toBe('COMPLETED');
    expect(done.tasks.map((t) => [t.participant, t.status]).sort()).toEqual([
      ['bank-bpd', 'APPROVED'],
      ['licensing', 'APPROVED'],
      ['pln', 'APPROVED'],
      ['tax', 'APPROVED'],
    ]);
    expect(documentKinds(done)).toEqual(['BUSINESS_ACCOUNT', 'NIB', 'NPWP', 'PLN_CUSTOMER_ID']);
    const nib = taskOf(done, 'licensing').documents.find((d) => d.kind === 'NIB')!.number;
    expect(nib).toMatch(/^\d{13}$/);

    const { businesses } = await citizen<{ businesses: { nib: string; name: string }[] }>(owner.nik, 'businesses { nib name }');
    expect(businesses).toContainEqual({ nib, name });

    // Every change made for the application is in the audit log: the officer's submit (with the
    // purpose the request declared), then each agency's work as its service account and the
    // orchestrator's bookkeeping, with the application as purpose.
    const trail = await accessLogOf(owner.nik);
    expect(trail).toContainEqual(expect.objectContaining({ service: 'applications', client: 'mpp-console', actorType: 'USER', kind: 'CHANGE', fields: ['Mutation.submitApplication'] }));
    const forApplication = trail.filter((r) => r.kind === 'CHANGE' && r.purpose === `application:${submitted.id}`);
    expect([...new Set(forApplication.map((r) => `${r.service} ${r.client} ${r.actorType}`))].sort()).toEqual(
      expect.arrayContaining(['applications simpul-applications CLIENT', 'licensing agency-licensing CLIENT', 'tax agency-tax CLIENT']),
    );
  }, 90_000);

  it('registers a marriage: KUA checks Dukcapil, Dukcapil issues the new KK; a second marriage of the groom is refused', async () => {
    const groom = anAdult((c) => c.sex === 'MALE' && c.maritalStatus === 'SINGLE');
    const bride = anAdult((c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE');
    const submitted = await submit('MARRIAGE_REGISTRATION', groom.nik, { groomNik: groom.nik, brideNik: bride.nik, marriageDate: new Date().toISOString().slice(0, 10) });
    const done = await waitForApplication(submitted.id, isFinal);
    expect(done.status).toBe('COMPLETED');
    // The new KK reached the applications service over the shared status topic, masked; the counter
    // reads the number in the graph, where access is decided per field.
    const reported = taskOf(done, 'dukcapil').documents.find((d) => d.kind === 'FAMILY_CARD')!.number;
    expect(reported).toMatch(/^\*{12}\d{4}$/);
    const kk = (await citizen<{ familyCard: { number: string } }>(groom.nik, 'familyCard { number }')).familyCard.number;
    expect(kk).toMatch(/^\d{16}$/);
    expect(kk.slice(-4)).toBe(reported.slice(-4));

    for (const spouse of [groom, bride]) {
      const profile = await citizen<{ maritalStatus: string; familyCard: { number: string } }>(spouse.nik, 'maritalStatus familyCard { number }');
      expect(profile).toEqual({ maritalStatus: 'MARRIED', familyCard: { number: kk } });
      // Both spouses' trails show KUA registering the marriage and Dukcapil issuing the KK, for this application.
      const changedBy = (await accessLogOf(spouse.nik)).filter((r) => r.kind === 'CHANGE' && r.purpose === `application:${submitted.id}`).map((r) => r.client);
      expect(changedBy).toEqual(expect.arrayContaining(['agency-religious-affairs', 'agency-dukcapil']));
    }

    const other = anAdult((c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE');
    const again = await submit('MARRIAGE_REGISTRATION', groom.nik, { groomNik: groom.nik, brideNik: other.nik, marriageDate: new Date().toISOString().slice(0, 10) });
    const refused = await waitForApplication(again.id, isFinal);
    expect(refused.status).toBe('REJECTED');
    expect(taskOf(refused, 'religious-affairs')).toMatchObject({ status: 'REJECTED', reason: expect.stringMatching(/married/i) });
    expect(taskOf(refused, 'dukcapil').status).toBe('CANCELLED');
  }, 90_000);
});

describe('failures', () => {
  it('a participant that never answers: its task stays open with the SLA flag raised, every other participant completes', async () => {
    const mover = anAdult();
    const submitted = await submit('ADDRESS_CHANGE', mover.nik, { newAddress: 'Jl. Hang Tuah No. 7, RT 001/RW 002, Kel. Kampung Dalam, Kec. Siak, Kab. Siak 28773', movingDate: new Date().toISOString().slice(0, 10) });
    const settled = await waitForApplication(submitted.id, (a) => a.tasks.filter((t) => t.participant !== 'bpjs-kesehatan').every((t) => t.status === 'APPROVED') && a.slaBreached);
    expect(settled.status).toBe('IN_PROGRESS');
    expect(taskOf(settled, 'bpjs-kesehatan')).toMatchObject({ status: 'ASSIGNED', slaBreached: true });
    expect(settled.tasks.filter((t) => t.participant !== 'bpjs-kesehatan').every((t) => !t.slaBreached)).toBe(true);
  }, 90_000);

  it('a participant down for a while: its task waits on its topic and completes when it is back', async () => {
    const pln = stack.participants.pln!;
    await pln.stop();
    try {
      const owner = anAdult();
      const submitted = await submit('BUSINESS_START', owner.nik, businessStart(`Toko Makmur ${owner.nik.slice(-4)}`));
      const waiting = await waitForApplication(submitted.id, (a) => a.tasks.filter((t) => t.participant !== 'pln').every((t) => t.status === 'APPROVED'));
      expect(taskOf(waiting, 'pln').status).toBe('ASSIGNED');
      expect(waiting.status).toBe('IN_PROGRESS');
      await pln.start();
      const done = await waitForApplication(submitted.id, isFinal);
      expect(done.status).toBe('COMPLETED');
    } finally {
      await pln.start();
    }
  }, 120_000);

  it('the broker unreachable during submit: the submit succeeds and the tasks go out when it returns', async () => {
    const broker = stack.broker!;
    const owner = anAdult();
    await broker.stop();
    let id: string;
    try {
      const submitted = await submit('BUSINESS_START', owner.nik, businessStart(`CV Maju ${owner.nik.slice(-4)}`));
      id = submitted.id;
      expect(submitted.status).toBe('SUBMITTED');
      await new Promise((r) => setTimeout(r, 1500));
      expect((await application(id)).tasks.every((t) => ['PENDING', 'ASSIGNED'].includes(t.status))).toBe(true);
    } finally {
      await broker.start();
    }
    const done = await waitForApplication(id, isFinal, 90_000);
    expect(done.status).toBe('COMPLETED');
  }, 150_000);

  it('a consumer killed mid-batch: after its restart every task is decided once, nothing lost, nothing applied twice', async () => {
    const owners = Array.from({ length: 12 }, () => anAdult());
    const licensing = stack.subgraphs.licensing;
    const submitted = await Promise.all(owners.map((o) => submit('BUSINESS_START', o.nik, businessStart(`UD Batch ${o.nik.slice(-4)}`))));
    // Kill as soon as the first NIB is issued: the rest of the batch is in flight or still on the topic.
    const deadline = Date.now() + 60_000;
    let issuedBeforeKill: number;
    for (;;) {
      const states = await Promise.all(submitted.map((a) => application(a.id)));
      issuedBeforeKill = states.filter((a) => taskOf(a, 'licensing').status === 'APPROVED').length;
      if (issuedBeforeKill > 0) break;
      if (Date.now() > deadline) throw new Error('no NIB was issued within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
    licensing.kill('SIGKILL');
    await licensing.stop();
    // Killed mid-batch: some of the batch was still undecided (reading the states took a moment more).
    expect(issuedBeforeKill).toBeLessThan(owners.length);
    await licensing.start();

    const done = await Promise.all(submitted.map((a) => waitForApplication(a.id, isFinal, 90_000)));
    expect(done.map((a) => a.status)).toEqual(done.map(() => 'COMPLETED'));
    for (const [index, owner] of owners.entries()) {
      const { businesses } = await citizen<{ businesses: { nib: string; name: string }[] }>(owner.nik, 'businesses { nib name }');
      expect(businesses.filter((b) => b.name === `UD Batch ${owner.nik.slice(-4)}`)).toEqual([
        { nib: taskOf(done[index]!, 'licensing').documents[0]!.number, name: `UD Batch ${owner.nik.slice(-4)}` },
      ]);
    }
  }, 180_000);

  it('the same task and the same status delivered three times: applied once', async () => {
    const owner = anAdult();
    const name = `PT Tiga Kali ${owner.nik.slice(-4)}`;
    const submitted = await submit('BUSINESS_START', owner.nik, businessStart(name));
    const done = await waitForApplication(submitted.id, isFinal);
    const nibTask = taskOf(done, 'licensing');

    const ofApplication = (messages: IncomingMessage[]) => messages.filter((m) => m.key === submitted.id);
    const [assigned] = ofApplication(await readTopic(taskAssignedTopic('licensing')));
    if (!assigned) throw new Error('the licensing task is not on its topic');
    const statuses = ofApplication(await readTopic(TASK_STATUS_TOPIC)).filter((m) => {
      const parsed = parseEvent(m.value);
      return parsed.ok && parsed.event.type === 'mpp.task.status' && parsed.event.data.taskId === nibTask.id;
    });
    expect(statuses).toHaveLength(1);
    const status = statuses[0]!;
    for (let i = 0; i < 2; i++) {
      await transport.publish(taskAssignedTopic('licensing'), [{ key: assigned.key!, value: assigned.value, headers: assigned.headers }]);
      await transport.publish(TASK_STATUS_TOPIC, [{ key: status.key!, value: status.value, headers: status.headers }]);
    }
    // Let both consumers reach the copies, then prove they changed nothing.
    await new Promise((r) => setTimeout(r, 3000));
    const after = await application(submitted.id);
    expect(after.timeline).toEqual(done.timeline);
    const { businesses } = await citizen<{ businesses: { name: string }[] }>(owner.nik, 'businesses { name }');
    expect(businesses.filter((b) => b.name === name)).toHaveLength(1);
    const reports = ofApplication(await readTopic(TASK_STATUS_TOPIC)).filter((m) => m.headers['x-simpul-event-id'] !== status.headers['x-simpul-event-id']);
    const licensingReports = reports.filter((m) => {
      const parsed = parseEvent(m.value);
      return parsed.ok && parsed.event.type === 'mpp.task.status' && parsed.event.data.taskId === nibTask.id;
    });
    expect(licensingReports).toHaveLength(0);
  }, 90_000);

  it('a poison event lands in the DLQ with its error and changes nothing', async () => {
    const before = (await readTopic(`${TASK_STATUS_TOPIC}.dlq`)).length;
    await transport.publish(TASK_STATUS_TOPIC, [{ key: 'poison', value: '{"this is": "not an event"' }]);
    const deadline = Date.now() + 20_000;
    let dlq: IncomingMessage[] = [];
    while (Date.now() < deadline) {
      dlq = await readTopic(`${TASK_STATUS_TOPIC}.dlq`);
      if (dlq.length > before) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const letter = dlq.at(-1)!;
    expect(letter.value).toBe('{"this is": "not an event"');
    expect(Object.entries(letter.headers)).toEqual(expect.arrayContaining([expect.arrayContaining([expect.stringMatching(/error/), expect.any(String)])]));
  }, 60_000);

  it('a webhook participant down longer than the retries: the task is dead-lettered, and `simpul events replay` delivers it once it is back', async () => {
    const bank = stack.participants['bank-bpd']!;
    const dlqTopic = `${taskAssignedTopic('bank-bpd')}.dlq`;
    const before = (await readTopic(dlqTopic)).length;
    await bank.stop();
    let id: string;
    try {
      const owner = anAdult();
      const submitted = await submit('BUSINESS_START', owner.nik, businessStart(`Koperasi Bangkit ${owner.nik.slice(-4)}`));
      id = submitted.id;
      const deadline = Date.now() + 60_000;
      while ((await readTopic(dlqTopic)).length === before) {
        if (Date.now() > deadline) throw new Error('the bank task never reached the DLQ');
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(taskOf(await application(id), 'bank-bpd').status).toBe('ASSIGNED');
    } finally {
      await bank.start();
    }
    const cli = join(REPO_ROOT, 'packages/cli/dist/main.js');
    const replay = await run(process.execPath, [cli, 'events', 'replay', '--dlq', dlqTopic, '--events-url', stack.eventsUrl!], { env: { ...process.env, KAFKA_BROKERS: '' } });
    expect(replay.stdout).toMatch(/replay|re-deliver/i);
    const done = await waitForApplication(id, isFinal, 60_000);
    expect(done.status).toBe('COMPLETED');
    expect(taskOf(done, 'bank-bpd').documents.map((d) => d.kind)).toEqual(['BUSINESS_ACCOUNT']);
  }, 150_000);
});

describe('personal data on the topics', () => {
  // Runs last, over everything the flows above published (a marriage's new KK, a move's new card, …):
  // NIKs and other 16-digit civil-registry numbers (KK numbers, a child's NIK on a KIA) travel only on
  // the task topics of participants entitled to them. Every other topic, the shared task-status topic
  // and the application-status topic included, carries none.
  it('no topic carries a plaintext NIK to a participant not entitled to it', async () => {
    const entitledTopics = [...entitledToNik].filter(([, entitled]) => entitled).map(([code]) => taskAssignedTopic(code));
    const scan = await scanTopicsForCivilRegistryNumbers(transport, { entitledTopics, knownNiks: new Set(world.citizens.map((c) => c.nik)) });
    expect(scan.topics).toEqual(expect.arrayContaining([TASK_STATUS_TOPIC, APPLICATION_STATUS_TOPIC, taskAssignedTopic('bank-bpd'), taskAssignedTopic('pln'), taskAssignedTopic('dukcapil')]));
    expect(scan.scanned).toBeGreaterThan(50);
    // The scan can see a NIK: entitled participants' tasks carry them.
    expect(scan.sawNikWhereEntitled).toBe(true);
    expect(scan.leaks).toEqual([]);
  }, 60_000);
});
