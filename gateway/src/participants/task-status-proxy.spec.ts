import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { composeServices } from '@apollo/composition';
import { createLogger, listen, type HttpRoute, type RunningHttpServer } from '@simpul/service-kit';
import { freePort } from '@simpul/testing';
import { parse } from 'graphql';
import { createGateway, type Gateway } from '../gateway';
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
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.answer.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(this.answer.body));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function post(url: string, body: string | undefined, headers: Record<string, string> = {}, method = 'POST') {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

async function serveRoute(route: HttpRoute): Promise<RunningHttpServer> {
  return listen(async (req, res) => {
    if (await route(req, res)) return;
    res.writeHead(404).end();
  });
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
  let proxy: RunningHttpServer | undefined;
  let hung: TcpServer | undefined;
  const hungSockets = new Set<Socket>();

  afterEach(async () => {
    await proxy?.close();
    for (const socket of hungSockets) socket.destroy();
    if (hung) await new Promise((resolve) => hung!.close(resolve));
    proxy = undefined;
    hung = undefined;
  });

  it('answers 502 SUBGRAPH_UNAVAILABLE when nothing listens', async () => {
    const applicationsUrl = `http://127.0.0.1:${await freePort()}/graphql`;
    proxy = await serveRoute(taskStatusProxyRoute({ applicationsUrl, timeoutMs: 2000, logger }));
    const answer = await post(new URL('/participants/bank-bpd/task-status', proxy.url).toString(), BODY, { 'x-simpul-signature': sign(BODY) });
    expect(answer).toEqual({
      status: 502,
      headers: expect.anything(),
      body: { error: { code: 'SUBGRAPH_UNAVAILABLE', message: 'The applications service is unavailable', serviceName: 'applications' } },
    });
  });

  it('answers 504 SUBGRAPH_TIMEOUT when it takes the request but never answers', async () => {
    hung = createTcpServer((socket) => {
      hungSockets.add(socket);
      socket.on('close', () => hungSockets.delete(socket));
    });
    await new Promise<void>((resolve) => hung!.listen(0, '127.0.0.1', resolve));
    const applicationsUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
    proxy = await serveRoute(taskStatusProxyRoute({ applicationsUrl, timeoutMs: 200, logger }));
    const answer = await post(new URL('/participants/bank-bpd/task-status', proxy.url).toString(), BODY, { 'x-simpul-signature': sign(BODY) });
    expect(answer.status).toBe(504);
    expect(answer.body).toMatchObject({ error: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'applications' } });
  });
});

describe('the gateway serving /participants/<code>/task-status', () => {
  const upstream = new FakeApplicationsService();
  let gateway: Gateway;
  let http: RunningHttpServer;

  beforeAll(async () => {
    const applicationsUrl = await upstream.start();
    const composed = composeServices([
      { name: 'applications', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(`type Query { serviceCatalogVersion: String }`) },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    // The supergraph's URL is deliberately wrong: reports must follow SUBGRAPH_APPLICATIONS_URL.
    gateway = await createGateway({ supergraphSdl: composed.supergraphSdl, subgraphs: { applications: { url: applicationsUrl } }, defaultTimeoutMs: 2000, logger });
    http = await listen(gateway.handler, {});
  });

  afterAll(async () => {
    await http?.close();
    await gateway?.stop();
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
