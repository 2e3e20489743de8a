import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EmbeddedTransport, hashNik, startEmbeddedBroker, TASK_STATUS_TOPIC } from '@simpul/connector-sdk';
import { assertBuilt, spawnParticipant, taskAssignedEvent, waitUntilReady, type ParticipantProcess } from '@simpul/connector-sdk/testing';
import { eventually, freePort } from '@simpul/testing';

// The built PLN connector as its own process (`node dist/index.js`, as `npm start` runs it),
// against an embedded event broker: tasks in on mpp.task.assigned.pln.v1, statuses out.
jest.setTimeout(60_000);

const PACKAGE_ROOT = resolve(__dirname, '..');

let root: string;
let broker: Awaited<ReturnType<typeof startEmbeddedBroker>>;
let client: EmbeddedTransport;
let running: ParticipantProcess | undefined;

beforeAll(async () => {
  assertBuilt(PACKAGE_ROOT);
  root = await mkdtemp(join(tmpdir(), 'simpul-pln-process-'));
  broker = await startEmbeddedBroker({ dataDir: join(root, 'broker'), port: 0, sync: false });
  client = new EmbeddedTransport({ url: broker.url });
});

afterAll(async () => {
  await running?.stop();
  await client?.close();
  await broker?.stop();
  await rm(root, { recursive: true, force: true });
});

const pepper = 'pln-process-test-pepper-01';
const nib = { kind: 'NIB', number: '9120009876543' };
const connectTask = (nik: string, businessAddress: string) =>
  taskAssignedEvent({ participant: 'pln', taskKind: 'CONNECT_ELECTRICITY', inputs: { applicantNikHash: hashNik(nik, pepper), businessAddress, issuedDocuments: [nib] } });

async function statusOf(taskId: string, count = 1) {
  return eventually(async () => {
    const found = (await client.read(TASK_STATUS_TOPIC)).filter((m) => JSON.parse(m.value).data.taskId === taskId);
    return found.length >= count ? found : undefined;
  }, `status of task ${taskId}`);
}

async function start(port: number): Promise<ParticipantProcess> {
  const processHandle = spawnParticipant(PACKAGE_ROOT, { EVENTS_URL: broker.url, PORT: String(port), DATA_DIR: join(root, 'pln'), LOG_LEVEL: 'warn' });
  await waitUntilReady(processHandle, `http://127.0.0.1:${port}/readyz`);
  return processHandle;
}

describe('the PLN process', () => {
  it('serves CONNECT_ELECTRICITY tasks end to end, stops on SIGTERM and keeps its decisions across a restart', async () => {
    const port = await freePort();
    running = await start(port);
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });

    const first = connectTask('1471010101900001', 'Jl. Jenderal Sudirman No. 45, Pekanbaru');
    const second = connectTask('1471014101920002', 'jalan jenderal sudirman 45 pekanbaru');
    // Two applications are two keys, which may be consumed in either order: the second goes out once
    // the first is decided, so it is the one that finds the address taken.
    await client.publish('mpp.task.assigned.pln.v1', [{ key: first.data.applicationId, value: JSON.stringify(first) }]);
    const [approved] = await statusOf(first.data.taskId);
    await client.publish('mpp.task.assigned.pln.v1', [{ key: second.data.applicationId, value: JSON.stringify(second) }]);
    const approval = JSON.parse(approved!.value);
    expect(approval).toMatchObject({ source: 'pln', subject: first.data.applicationId, data: { status: 'APPROVED', participant: 'pln' } });
    expect(approval.data.documents).toEqual([{ kind: 'PLN_CUSTOMER_ID', number: expect.stringMatching(/^\d{12}$/) }]);
    const [rejected] = await statusOf(second.data.taskId);
    expect(JSON.parse(rejected!.value).data).toMatchObject({ status: 'REJECTED', reason: expect.stringContaining('already connected') });

    expect(await running.stop()).toBe(0);
    running = undefined;

    running = await start(port);
    await client.publish('mpp.task.assigned.pln.v1', [{ key: first.data.applicationId, value: JSON.stringify(first) }]);
    const statuses = await statusOf(first.data.taskId, 2);
    expect(statuses[1]!.value).toBe(approved!.value);
    expect(await running.stop()).toBe(0);
    running = undefined;
  });

  it('exits 1 listing every bad variable', async () => {
    const failed = spawnParticipant(PACKAGE_ROOT, { PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(await failed.exited).toBe(1);
    expect(failed.output()).toContain('PORT');
    expect(failed.output()).toContain('LOG_LEVEL');
    expect(failed.output()).toContain('set EVENTS_URL');
  });
});
