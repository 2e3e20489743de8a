import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uuidv7, verifyWebhook, WEBHOOK_HEADERS } from '@simpul/events';
import type { DecisionRecord } from '../store/decision-store';
import { startStatusEndpointStub, type StatusEndpointStub } from '../testing/simpul-stand-ins';
import { StatusReporter, statusReportOf } from './status-reporter';

const secret = 'bank-bpd-shared-secret-0123456789';
const record = (decision: DecisionRecord['decision']): DecisionRecord => ({
  taskId: uuidv7(),
  applicationId: uuidv7(),
  participant: 'bank-bpd',
  taskKind: 'COLLECT_PASSPORT_FEE',
  decision,
  reportEventId: uuidv7(),
  decidedAt: '2026-11-30T10:00:00.000Z',
  correlationId: uuidv7(),
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
});

describe('statusReportOf', () => {
  it('is the documented body: no participant, the report id as eventId, a note as reason', () => {
    const approved = record({ status: 'APPROVED', documents: [{ kind: 'PASSPORT_FEE_PAYMENT', number: 'PSP-1' }], note: 'Rp350.000' });
    expect(statusReportOf(approved)).toEqual({
      taskId: approved.taskId,
      applicationId: approved.applicationId,
      status: 'APPROVED',
      reason: 'Rp350.000',
      documents: [{ kind: 'PASSPORT_FEE_PAYMENT', number: 'PSP-1' }],
      eventId: approved.reportEventId,
    });
    expect(statusReportOf(record({ status: 'REJECTED', reason: 'duplicate' }))).toMatchObject({ status: 'REJECTED', reason: 'duplicate', documents: [] });
  });
});

describe('StatusReporter', () => {
  let stub: StatusEndpointStub;
  beforeEach(async () => {
    stub = await startStatusEndpointStub({ participant: 'bank-bpd', secret });
  });
  afterEach(() => stub.stop());

  const reporter = (overrides: Partial<ConstructorParameters<typeof StatusReporter>[0]> = {}) =>
    new StatusReporter({ url: stub.url, participant: 'bank-bpd', secret, backoff: { initialMs: 10, maxMs: 20 }, ...overrides });

  it('posts the signed report and succeeds on 202', async () => {
    const report = record({ status: 'APPROVED' });
    await expect(reporter().send(report)).resolves.toEqual({ ok: true, eventId: report.reportEventId, attempts: 1 });
    expect(stub.accepted).toEqual([expect.objectContaining({ taskId: report.taskId, eventId: report.reportEventId, status: 'APPROVED' })]);
  });

  it('retries 5xx with the same eventId until accepted', async () => {
    stub.failNext(2, 503);
    const report = record({ status: 'APPROVED' });
    await expect(reporter().send(report)).resolves.toMatchObject({ ok: true, attempts: 3 });
    expect(stub.requests.map((r) => [r.status, r.eventId])).toEqual([
      [503, report.reportEventId],
      [503, report.reportEventId],
      [202, report.reportEventId],
    ]);
  });

  it('does not retry a refusal (401 with the wrong secret)', async () => {
    const result = await reporter({ secret: 'another-secret-of-enough-length-x' }).send(record({ status: 'APPROVED' }));
    expect(result).toMatchObject({ ok: false, status: 401, code: 'UNAUTHENTICATED', attempts: 1 });
    expect(stub.requests).toHaveLength(1);
  });

  it('does not retry a CONFLICT: the eventId of an earlier, different report', async () => {
    const approved = record({ status: 'APPROVED' });
    await reporter().send(approved);
    const rejected = { ...approved, decision: { status: 'REJECTED' as const, reason: 'changed' } };
    await expect(reporter().send(rejected)).resolves.toMatchObject({ ok: false, status: 409, code: 'CONFLICT', attempts: 1 });
    await expect(reporter().send(approved)).resolves.toMatchObject({ ok: true });
  });

  it('gives up after its attempts when Simpul is down, and within the deadline', async () => {
    await stub.stop();
    const down = await reporter({ attempts: 3 }).send(record({ status: 'APPROVED' }));
    expect(down).toMatchObject({ ok: false, attempts: 3 });
    expect(down.ok || down.message).toMatch(/fetch failed|ECONNREFUSED/);

    // A status endpoint that never answers: the deadline, not the 3 s timeout, ends the attempt.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/participants/bank-bpd/task-status`;
      const started = Date.now();
      const result = await reporter({ url }).send(record({ status: 'APPROVED' }), { deadline: Date.now() + 300 });
      expect(result.ok).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('signs the exact body it sends and names the participant', async () => {
    const seen: Array<{ body: string; headers: Record<string, unknown> }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ body, headers: req.headers });
        res.writeHead(202).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const report = record({ status: 'IN_REVIEW' });
      await reporter({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/x` }).send(report);
      const [request] = seen;
      expect(verifyWebhook(secret, request!.body, request!.headers[WEBHOOK_HEADERS.signature] as string)).toEqual({ ok: true });
      expect(request!.headers[WEBHOOK_HEADERS.participant]).toBe('bank-bpd');
      expect(request!.headers[WEBHOOK_HEADERS.eventId]).toBe(report.reportEventId);
      expect(JSON.parse(request!.body)).toEqual(statusReportOf(report));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
