import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createLogger, type RunningHttpServer } from '@simpul/service-kit';
import { serveGatewayWithApplicationsAt, serveRoute, startStubService, throughUnreachableService, type StubService } from '../../test/support/upstream-stubs';
import { taskStatusProxyRoute } from './task-status-proxy';

const logger = createLogger('gateway-test', 'silent');
const SECRET = 'bank-bpd-webhook-secret-0123456789';
const EVENT_ID = '01a2087a-af5b-7688-a49c-68628f8f9741';

/** What a participant's connector sends: odd spacing and non-ASCII, so any re-serialisation shows. */
const BODY = '{"taskId":"01a2087a-af5b-7688-a49c-68628f8f9740",  "applicationId":"01a2087a-0000-7000-8000-000000000001","status":"REJECTED","reason":"Tunggakan PKB — 2 tahun"}\n';

function sign(body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
}

interface ReceivedReport {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Stands in for the applications service's `POST /participants/<code>/task-status`: records, answers 202. */
class FakeApplicationsService {
  readonly received: ReceivedReport[] = [];
  answer: { status: number; body: unknown } = { status: 202, body: { eventId: EVENT_ID } };
  private service?: StubService;

  async start(): Promise<string> {
    this.service = await startStubService((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.answer.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(this.answer.body));
      });
    });
    return this.service.url;
  }

  async stop(): Promise<void> {
    await this.service?.stop();
  }
}

async function post(url: string, body: string | undefined, headers: Record<string, string> = {}, method = 'POST') {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

describe('POST /participants/<code>/task-status', () => {
  const upstream = new FakeApplicationsService();
  let proxy: RunningHttpServer;
  let reportUrl: (code: string) => string;

  beforeAll(async () => {
    const applicationsUrl = await upstream.start();
    proxy = await serveRoute(taskStatusProxyRoute({ applicationsUrl, timeoutMs: 2000, logger }));
    reportUrl = (code) => new URL(`/participants/${code}/task-status`, proxy.url).toString();
  });

  afterAll(async () => {
    await proxy?.close();
    await upstream.stop();
  });

  beforeEach(() => {
    upstream.received.length = 0;
    upstream.answer = { status: 202, body: { eventId: EVENT_ID } };
  });

  it('forwards the raw body and the signature untouched, and returns the answer', async () => {
    const signature = sign(BODY);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const answer = await post(reportUrl('bank-bpd'), BODY, { 'x-simpul-signature': signature, traceparent, 'x-correlation-id': 'bpd-report-7', authorization: 'Bearer not-for-upstream' });

    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ eventId: EVENT_ID });
    expect(answer.headers.get('x-correlation-id')).toBe('bpd-report-7');
    expect(upstream.received).toHaveLength(1);
    const [report] = upstream.received;
    expect(report!.method).toBe('POST');
    expect(report!.path).toBe('/participants/bank-bpd/task-status');
    expect(report!.body.equals(Buffer.from(BODY, 'utf8'))).toBe(true);
    expect(report!.headers['x-simpul-signature']).toBe(signature);
    // What the applications service checks: the signature still matches the bytes it received.
    expect(sign(report!.body.toString('utf8'), Number(/t=(\d+)/.exec(signature)![1]))).toBe(signature);
    expect(report!.headers).toMatchObject({ 'content-type': 'application/json', traceparent, 'x-correlation-id': 'bpd-report-7' });
    expect(report!.headers.authorization).toBeUndefined();
  });

  it('passes the applications service refusal through, status and error', async () => {
    upstream.answer = { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'bad signature', reason: 'BAD_SIGNATURE' } } };
    const answer = await post(reportUrl('bank-bpd'), BODY, { 'x-simpul-signature': sign('another body') });
    expect(answer).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED', reason: 'BAD_SIGNATURE' } } });
  });

  it('answers 404 for a path segment that is no participant code, without calling the applications service', async () => {
    for (const code of ['Bank_BPD', 'bank%2Fbpd', '-bpd', 'bank%20bpd', '%E0%A4%A']) {
      const answer = await post(reportUrl(code), BODY, { 'x-simpul-signature': sign(BODY) });
      expect(answer).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
    }
    expect(upstream.received).toEqual([]);
  });

  it('answers 405 to anything but POST', async () => {
    const answer = await post(reportUrl('bank-bpd'), undefined, {}, 'GET');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(answer.body).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED' } });
  });

  it('leaves other paths to the next route', async () => {
    const response = await fetch(new URL('/participants/bank-bpd/task-status/extra', proxy.url), { method: 'POST', body: BODY });
    expect(response.status).toBe(404);
    expect(upstream.received).toEqual([]);
  });
});

describe('POST /participants/<code>/task-status with the applications service unreachable', () => {
  const report = (how: 'down' | 'hung', timeoutMs: number) =>
    throughUnreachableService(
      how,
      (applicationsUrl) => taskStatusProxyRoute({ applicationsUrl, timeoutMs, logger }),
      (url) => post(new URL('/participants/bank-bpd/task-status', url).toString(), BODY, { 'x-simpul-signature': sign(BODY) }),
    );

  it('answers 502 SUBGRAPH_UNAVAILABLE when nothing listens', async () => {
    const answer = await report('down', 2000);
    expect(answer).toEqual({
      status: 502,
      headers: expect.anything(),
      body: { error: { code: 'SUBGRAPH_UNAVAILABLE', message: 'The applications service is unavailable', serviceName: 'applications' } },
    });
  });

  it('answers 504 SUBGRAPH_TIMEOUT when it takes the request but never answers', async () => {
    const answer = await report('hung', 200);
    expect(answer.status).toBe(504);
    expect(answer.body).toMatchObject({ error: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'applications' } });
  });
});

describe('the gateway serving /participants/<code>/task-status', () => {
  const upstream = new FakeApplicationsService();
  let http: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    http = await serveGatewayWithApplicationsAt(await upstream.start(), logger);
  });

  afterAll(async () => {
    await http?.stop();
    await upstream.stop();
  });

  it('forwards the report to the origin of the configured applications subgraph URL', async () => {
    const signature = sign(BODY);
    const answer = await post(new URL('/participants/bank-bpd/task-status', http.url).toString(), BODY, { 'x-simpul-signature': signature });
    expect(answer).toMatchObject({ status: 202, body: { eventId: EVENT_ID } });
    expect(upstream.received.map((r) => [r.path, r.body.toString('utf8'), r.headers['x-simpul-signature']])).toEqual([
      ['/participants/bank-bpd/task-status', BODY, signature],
    ]);
  });
});
