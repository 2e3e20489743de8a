import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hashNik } from '@simpul/connector-sdk';
import {
  assertBuilt,
  deliverTask,
  spawnParticipant,
  startStatusEndpointStub,
  taskAssignedEvent,
  waitUntilReady,
  type ParticipantProcess,
  type StatusEndpointStub,
} from '@simpul/connector-sdk/testing';
import { eventually, freePort } from '@simpul/testing';

// The built Bank BPD connector as its own process (`node dist/index.js`, as `npm start` runs it):
// Simpul's signed task deliveries in, signed status reports out to a local stand-in of Simpul's
// status endpoint that verifies them.
jest.setTimeout(60_000);

const PACKAGE_ROOT = resolve(__dirname, '..');

const secret = 'bank-bpd-process-test-secret-000001';
const nikHash = hashNik('1471010101900001', 'bank-process-test-pepper');
let root: string;
let stub: StatusEndpointStub;
let running: ParticipantProcess | undefined;

beforeAll(async () => {
  assertBuilt(PACKAGE_ROOT);
  root = await mkdtemp(join(tmpdir(), 'simpul-bank-process-'));
  stub = await startStatusEndpointStub({ participant: 'bank-bpd', secret });
});

afterAll(async () => {
  await running?.stop();
  await stub?.stop();
  await rm(root, { recursive: true, force: true });
});

async function start(port: number, env: Record<string, string> = {}): Promise<ParticipantProcess> {
  const processHandle = spawnParticipant(PACKAGE_ROOT, { PORT: String(port), WEBHOOK_SECRET: secret, SIMPUL_STATUS_URL: stub.url, DATA_DIR: join(root, 'bank-bpd'), LOG_LEVEL: 'warn', ...env });
  await waitUntilReady(processHandle, `http://127.0.0.1:${port}/readyz`);
  return processHandle;
}

const task = (taskKind: string, inputs: Record<string, string>) => taskAssignedEvent({ participant: 'bank-bpd', taskKind, inputs });
/** The last report Simpul's stand-in accepted for a task (reports follow the 200 in the background). */
const reportOf = (taskId: string, eventId?: string) =>
  eventually(async () => stub.accepted.findLast((report) => report.taskId === taskId && (eventId === undefined || report.eventId === eventId)), `the report of ${taskId}`);

describe('the Bank BPD process', () => {
  it('serves signed task deliveries end to end, stops on SIGTERM and keeps its decisions across a restart', async () => {
    const port = await freePort();
    running = await start(port);
    const url = `http://127.0.0.1:${port}/tasks`;

    const account = task('OPEN_BUSINESS_ACCOUNT', { applicantNikHash: nikHash, businessName: 'Kedai Kopi Siak' });
    const opened = await deliverTask(url, secret, account);
    expect(opened).toMatchObject({ status: 200, body: { taskId: account.data.taskId, status: 'APPROVED' } });
    const accountReport = await reportOf(account.data.taskId);
    expect(accountReport).toMatchObject({
      applicationId: account.data.applicationId,
      status: 'APPROVED',
      documents: [{ kind: 'BUSINESS_ACCOUNT', number: expect.stringMatching(/^\d{13}$/) }],
      eventId: opened.body.eventId,
    });
    const accountNumber = accountReport.documents![0]!.number;

    const duplicate = task('OPEN_BUSINESS_ACCOUNT', { applicantNikHash: nikHash, businessName: 'KEDAI KOPI SIAK' });
    expect(await deliverTask(url, secret, duplicate)).toMatchObject({ status: 200, body: { status: 'REJECTED' } });
    expect((await reportOf(duplicate.data.taskId)).reason).toContain(`account ending ${accountNumber.slice(-4)}`);

    const fee = task('COLLECT_PASSPORT_FEE', { applicantNikHash: nikHash, passportKind: 'ELECTRONIC' });
    expect((await deliverTask(url, secret, fee)).status).toBe(200);
    expect(await reportOf(fee.data.taskId)).toMatchObject({ status: 'APPROVED', documents: [{ kind: 'PASSPORT_FEE_PAYMENT' }], reason: expect.stringContaining('Rp650.000') });

    const pkb = task('COLLECT_VEHICLE_TAX', { plateNumber: 'BM 1234 AB' });
    expect((await deliverTask(url, secret, pkb)).status).toBe(200);
    expect(await reportOf(pkb.data.taskId)).toMatchObject({ documents: [{ kind: 'PKB_PAYMENT', number: expect.stringMatching(/^PKB-\d{8}-/) }] });

    expect(await deliverTask(url, 'someone-else-guessing-the-secret-00', account)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });

    expect(await running.stop()).toBe(0);
    running = undefined;

    // Restarted, acknowledging only accepted reports: the redelivered task gets the stored decision,
    // its report re-sent with the same eventId before the 200.
    running = await start(port, { WEBHOOK_ACKNOWLEDGE: 'report-accepted' });
    const before = stub.accepted.length;
    const again = await deliverTask(url, secret, account);
    expect(again).toEqual({ status: 200, body: { ...opened.body, replayed: true } });
    expect(stub.accepted.slice(before)).toEqual([expect.objectContaining({ taskId: account.data.taskId, eventId: opened.body.eventId, documents: [{ kind: 'BUSINESS_ACCOUNT', number: accountNumber }] })]);
    expect(await running.stop()).toBe(0);
    running = undefined;
  });

  it('exits 1 listing every bad variable', async () => {
    const failed = spawnParticipant(PACKAGE_ROOT, { WEBHOOK_SECRET: 'short', PORT: '-1' });
    expect(await failed.exited).toBe(1);
    for (const variable of ['WEBHOOK_SECRET', 'SIMPUL_STATUS_URL', 'PORT']) expect(failed.output()).toContain(variable);
  });
});
