import { uuidv7, type TaskDecision } from '@simpul/events';
import { FileDecisionStore, startParticipantConnector, type ParticipantConnector, type TaskHandler } from '../src';
import { deliverTask, startStatusEndpointStub, taskAssignedEvent, type StatusEndpointStub } from '../src/testing';
import { cleanups, eventually, tempDir } from './support/helpers';

// Webhook mode against a real local HTTP server standing in for Simpul's status endpoint, which
// verifies the signature and the body of every report as docs/participants.md specifies.
jest.setTimeout(30_000);

const secret = 'bank-bpd-webhook-secret-for-tests-0001';
const defer = cleanups();

/** A data directory removed after the test. */
async function dataDirectory(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  defer(() => dir.remove());
  return dir.path;
}

interface Setup {
  connector: ParticipantConnector;
  stub: StatusEndpointStub;
  calls: () => number;
  dataDir: string;
}

async function setup(options: { decide?: TaskHandler; dataDir?: string; stub?: StatusEndpointStub; responseBudgetMs?: number } = {}): Promise<Setup> {
  const dataDir = options.dataDir ?? (await dataDirectory('webhook'));
  const stub = options.stub ?? (await startStatusEndpointStub({ participant: 'bank-bpd', secret }));
  if (!options.stub) defer(() => stub.stop());
  let calls = 0;
  const decide: TaskHandler = options.decide ?? (async () => ({ status: 'APPROVED', documents: [{ kind: 'BUSINESS_ACCOUNT', number: `00112${String(calls).padStart(8, '0')}` }] }));
  const store = await FileDecisionStore.open(dataDir);
  const connector = await startParticipantConnector({
    participant: 'bank-bpd',
    handlers: {
      OPEN_BUSINESS_ACCOUNT: async (task) => {
        calls += 1;
        return decide(task);
      },
    },
    mode: { kind: 'webhook', port: 0, secret, statusUrl: stub.url, responseBudgetMs: options.responseBudgetMs ?? 2_000, report: { backoff: { initialMs: 20, maxMs: 100 } } },
    store,
  });
  defer(() => connector.stop());
  return { connector, stub, calls: () => calls, dataDir };
}

const openAccount = (overrides: { participant?: string; taskKind?: string } = {}) =>
  taskAssignedEvent({ participant: 'bank-bpd', taskKind: 'OPEN_BUSINESS_ACCOUNT', inputs: { applicantNikHash: 'b'.repeat(64), businessName: 'Toko Kue Melati' }, ...overrides });

describe('webhook mode', () => {
  it('decides a signed task, reports it signed to Simpul and answers 200 once the report is accepted', async () => {
    const { connector, stub } = await setup();
    expect(connector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tasks$/);
    const task = openAccount();
    const answer = await deliverTask(connector.url!, secret, task);
    expect(answer.status).toBe(200);
    const stored = await connector.decisionOf(task.data.taskId);
    expect(answer.body).toEqual({ taskId: task.data.taskId, status: 'APPROVED', eventId: stored!.reportEventId, replayed: false });
    expect(stored!.reportedAt).toEqual(expect.any(String));
    expect(stub.accepted).toEqual([
      {
        taskId: task.data.taskId,
        applicationId: task.data.applicationId,
        status: 'APPROVED',
        documents: [{ kind: 'BUSINESS_ACCOUNT', number: '0011200000001' }],
        eventId: stored!.reportEventId,
        signature: expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/),
      },
    ]);
  });

  it('refuses a bad, missing or malformed signature with 401 UNAUTHENTICATED, deciding nothing', async () => {
    const { connector, stub, calls } = await setup();
    const wrongSecret = await deliverTask(connector.url!, 'not-the-shared-secret-at-all-000', openAccount());
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' } } });
    const missing = await deliverTask(connector.url!, secret, openAccount(), { signature: null });
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED', reason: 'MISSING_SIGNATURE' } } });
    const malformed = await deliverTask(connector.url!, secret, openAccount(), { signature: 'sha256=abc' });
    expect(malformed).toMatchObject({ status: 401, body: { error: { reason: 'MALFORMED_SIGNATURE' } } });
    expect(calls()).toBe(0);
    expect(stub.requests).toHaveLength(0);
  });

  it('refuses a stale timestamp (a replayed old delivery) with 401', async () => {
    const { connector, calls } = await setup();
    const stale = await deliverTask(connector.url!, secret, openAccount(), { signedAt: new Date(Date.now() - 301_000) });
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED', reason: 'STALE_TIMESTAMP' } } });
    const fromTheFuture = await deliverTask(connector.url!, secret, openAccount(), { signedAt: new Date(Date.now() + 301_000) });
    expect(fromTheFuture.status).toBe(401);
    const recent = await deliverTask(connector.url!, secret, openAccount(), { signedAt: new Date(Date.now() - 60_000) });
    expect(recent.status).toBe(200);
    expect(calls()).toBe(1);
  });

  it('answers a redelivered task with the same decision and the same report eventId, deciding once', async () => {
    const { connector, stub, calls } = await setup();
    const task = openAccount();
    const first = await deliverTask(connector.url!, secret, task);
    const second = await deliverTask(connector.url!, secret, task);
    expect(first.status).toBe(200);
    expect(second).toEqual({ status: 200, body: { ...first.body, replayed: true } });
    expect(calls()).toBe(1);
    expect(stub.accepted).toHaveLength(2);
    expect(stub.accepted[1]).toEqual({ ...stub.accepted[0], signature: expect.any(String) });
  });

  it('decides once when Simpul delivers the same task twice at the same time', async () => {
    const { connector, calls, stub } = await setup({
      decide: async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { status: 'APPROVED' };
      },
    });
    const task = openAccount();
    const answers = await Promise.all([deliverTask(connector.url!, secret, task), deliverTask(connector.url!, secret, task)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(calls()).toBe(1);
    expect(new Set(stub.accepted.map((r) => r.eventId)).size).toBe(1);
  });

  it('answers 503 while Simpul’s status endpoint is down, then 200 with the same eventId on redelivery', async () => {
    const { connector, stub, calls } = await setup();
    stub.down();
    const task = openAccount();
    const refused = await deliverTask(connector.url!, secret, task);
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', taskId: task.data.taskId } } });
    const eventId = refused.body.error!.eventId;

    stub.up();
    const redelivered = await deliverTask(connector.url!, secret, task);
    expect(redelivered).toMatchObject({ status: 200, body: { eventId, replayed: true } });
    expect(stub.accepted.map((r) => r.eventId)).toEqual([eventId]);
    expect(calls()).toBe(1);
  });

  it('retries a status endpoint answering 5xx within the delivery, and answers 503 when it keeps failing', async () => {
    const { connector, stub } = await setup();
    stub.failNext(2, 502);
    const recovered = await deliverTask(connector.url!, secret, openAccount());
    expect(recovered.status).toBe(200);
    expect(stub.requests.map((r) => r.status)).toEqual([502, 502, 202]);

    stub.failNext(100, 503);
    const started = Date.now();
    const gaveUp = await deliverTask(connector.url!, secret, openAccount());
    expect(gaveUp.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4_000); // within the response budget (2 s here, 8 s by default) and its timeouts
  });

  it('answers 503 when Simpul refuses the report (wrong secret on its side), so the task is redelivered', async () => {
    const otherSecret = await startStatusEndpointStub({ participant: 'bank-bpd', secret: 'simpul-has-another-secret-configured' });
    defer(() => otherSecret.stop());
    const { connector } = await setup({ stub: otherSecret });
    const answer = await deliverTask(connector.url!, secret, openAccount());
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } } });
    expect(answer.body.error!.message).toContain('401 UNAUTHENTICATED');
    expect(otherSecret.requests.map((r) => r.status)).toEqual([401]);
  });

  it('answers 400 to a signed body that is not a valid task event, 422 to a task it cannot perform', async () => {
    const { connector, calls } = await setup();
    const notJson = await deliverTask(connector.url!, secret, '{"type":');
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT', rule: 'INVALID_JSON' } } });
    const broken = JSON.parse(JSON.stringify(openAccount()));
    delete broken.data.taskId;
    const invalid = await deliverTask(connector.url!, secret, JSON.stringify(broken));
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: 'BAD_USER_INPUT', rule: 'INVALID_EVENT' } } });
    const mismatch = await deliverTask(connector.url!, secret, openAccount(), { headers: { 'x-simpul-event-id': uuidv7() } });
    expect(mismatch).toMatchObject({ status: 400, body: { error: { rule: 'EVENT_ID_MISMATCH' } } });

    const otherParticipant = await deliverTask(connector.url!, secret, openAccount({ participant: 'pln' }));
    expect(otherParticipant).toMatchObject({ status: 422, body: { error: { code: 'UNPROCESSABLE_TASK', rule: 'OTHER_PARTICIPANT' } } });
    const unknownKind = await deliverTask(connector.url!, secret, openAccount({ taskKind: 'ISSUE_CREDIT_CARD' }));
    expect(unknownKind).toMatchObject({ status: 422, body: { error: { rule: 'UNKNOWN_TASK_KIND' } } });
    expect(calls()).toBe(0);
  });

  it('refuses a body over the size limit with 413, and other routes and methods', async () => {
    const { connector } = await setup();
    const huge = JSON.stringify({ ...openAccount(), padding: 'x'.repeat(300 * 1024) });
    expect(await deliverTask(connector.url!, secret, huge)).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    const origin = new URL(connector.url!).origin;
    expect((await fetch(`${origin}/tasks`)).status).toBe(405);
    expect((await fetch(`${origin}/elsewhere`, { method: 'POST' })).status).toBe(404);
  });

  it('serves /healthz and /readyz, and stops cleanly', async () => {
    const { connector } = await setup();
    const origin = new URL(connector.url!).origin;
    expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    expect(connector.ready).toBe(true);
    await connector.stop();
    expect(connector.ready).toBe(false);
    await expect(fetch(`${origin}/healthz`)).rejects.toThrow();
  });

  it('remembers decisions across a restart (file store): the redelivered task is not decided again', async () => {
    const first = await setup();
    const task = openAccount();
    const before = await deliverTask(first.connector.url!, secret, task);
    await first.connector.stop();

    const second = await setup({ dataDir: first.dataDir, stub: first.stub });
    const after = await deliverTask(second.connector.url!, secret, task);
    expect(after).toEqual({ status: 200, body: { ...before.body, replayed: true } });
    expect(second.calls()).toBe(0);
  });

  it('reports a later decision on a task answered IN_REVIEW, with a new eventId', async () => {
    const { connector, stub } = await setup({ decide: async () => ({ status: 'IN_REVIEW', note: 'Menunggu verifikasi petugas cabang' }) });
    const task = openAccount();
    expect((await deliverTask(connector.url!, secret, task)).body).toMatchObject({ status: 'IN_REVIEW' });
    const approved: TaskDecision = { status: 'APPROVED', documents: [{ kind: 'BUSINESS_ACCOUNT', number: '0019876543210' }] };
    const record = await connector.report(task.data.taskId, approved);
    expect(stub.accepted.map((r) => [r.status, r.eventId])).toEqual([
      ['IN_REVIEW', stub.accepted[0]!.eventId],
      ['APPROVED', record.reportEventId],
    ]);
    expect(record.reportEventId).not.toBe(stub.accepted[0]!.eventId);
    await expect(connector.report(task.data.taskId, { status: 'REJECTED', reason: 'changed' })).rejects.toMatchObject({ code: 'DECISION_FINAL' });
    await expect(connector.report(uuidv7(), approved)).rejects.toMatchObject({ code: 'UNKNOWN_TASK' });
  });

  it('refuses to start with a short secret or a bad status URL, listing both', async () => {
    await expect(
      startParticipantConnector({
        participant: 'bank-bpd',
        handlers: { OPEN_BUSINESS_ACCOUNT: async () => ({ status: 'APPROVED' }) },
        mode: { kind: 'webhook', port: 0, secret: 'short', statusUrl: 'gateway:4000' },
      }),
    ).rejects.toMatchObject({ name: 'ConnectorConfigError', problems: [expect.stringContaining('mode.secret'), expect.stringContaining('mode.statusUrl')] });
  });
});

describe('webhook mode, acknowledging once the decision is stored', () => {
  async function start(stub: StatusEndpointStub, dataDir: string, decide: TaskHandler = async () => ({ status: 'APPROVED' })) {
    const store = await FileDecisionStore.open(dataDir);
    let calls = 0;
    const connector = await startParticipantConnector({
      participant: 'bank-bpd',
      handlers: {
        OPEN_BUSINESS_ACCOUNT: async (task) => {
          calls += 1;
          return decide(task);
        },
      },
      mode: {
        kind: 'webhook',
        port: 0,
        secret,
        statusUrl: stub.url,
        acknowledge: 'decision-stored',
        report: { attempts: 1, backoff: { initialMs: 10, maxMs: 10 } },
        backgroundBackoff: { initialMs: 50, maxMs: 100 },
      },
      store,
    });
    defer(() => connector.stop());
    return { connector, calls: () => calls };
  }

  it('answers 200 while Simpul is down and delivers the report once it is back, with the same eventId', async () => {
    const stub = await startStatusEndpointStub({ participant: 'bank-bpd', secret });
    defer(() => stub.stop());
    stub.down();
    const { connector } = await start(stub, await dataDirectory('ack-stored'));
    const task = openAccount();
    const answer = await deliverTask(connector.url!, secret, task);
    expect(answer).toMatchObject({ status: 200, body: { status: 'APPROVED', replayed: false } });
    expect((await connector.decisionOf(task.data.taskId))!.reportedAt).toBeUndefined();

    stub.up();
    await eventually(() => (stub.accepted.length === 1 ? true : undefined), 'the report');
    expect(stub.accepted[0]).toMatchObject({ taskId: task.data.taskId, eventId: answer.body.eventId });
    await eventually(async () => (await connector.decisionOf(task.data.taskId))?.reportedAt, 'reportedAt');
  });

  it('sends the reports left unaccepted before a restart', async () => {
    const stub = await startStatusEndpointStub({ participant: 'bank-bpd', secret });
    defer(() => stub.stop());
    stub.down();
    const dataDir = await dataDirectory('ack-restart');
    const first = await start(stub, dataDir);
    const task = openAccount();
    const answer = await deliverTask(first.connector.url!, secret, task);
    await first.connector.stop();

    stub.up();
    const second = await start(stub, dataDir);
    await eventually(() => (stub.accepted.length === 1 ? true : undefined), 'the report after the restart');
    expect(stub.accepted[0]!.eventId).toBe(answer.body.eventId);
    expect(second.calls()).toBe(0);
  });

  it('works with a Simpul that cannot take a report while its delivery of that task is in flight, where report-accepted cannot', async () => {
    // As the applications service on PGlite: the delivery holds the only connection until answered.
    let delivery: Promise<unknown> = Promise.resolve();
    const busy = await startStatusEndpointStub({ participant: 'bank-bpd', secret, hold: () => delivery });
    defer(() => busy.stop());

    const blocked = await setup({ stub: busy, responseBudgetMs: 500 });
    const refused = deliverTask(blocked.connector.url!, secret, openAccount());
    delivery = refused;
    expect((await refused).status).toBe(503);

    const { connector } = await start(busy, await dataDirectory('ack-busy'));
    const task = openAccount();
    const taken = deliverTask(connector.url!, secret, task);
    delivery = taken;
    expect((await taken).status).toBe(200);
    await eventually(() => (busy.accepted.some((report) => report.taskId === task.data.taskId) ? true : undefined), 'the report after the delivery');
  });
});
