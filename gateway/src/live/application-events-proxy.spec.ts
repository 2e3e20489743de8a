import { createServer, get, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { composeServices } from '@apollo/composition';
import { createLogger, listen, type HttpRoute, type RunningHttpServer } from '@simpul/service-kit';
import { freePort } from '@simpul/testing';
import { parse } from 'graphql';
import { createGateway, type Gateway } from '../gateway';
import { applicationEventsProxyRoute } from './application-events-proxy';

const logger = createLogger('gateway-test', 'silent');
const APPLICATION_ID = '01a2087a-af5b-7688-a49c-68628f8f9740';
const UNKNOWN_APPLICATION_ID = '01a2087a-0000-7000-8000-000000000000';

/** One stream the fake applications service is serving, driven by the test. */
interface UpstreamStream {
  path: string;
  headers: IncomingHttpHeaders;
  res: ServerResponse;
  closed: Promise<void>;
}

/** Stands in for the applications service's `GET /applications/<id>/events`. */
class FakeApplicationsService {
  readonly streams: UpstreamStream[] = [];
  private readonly server: Server;
  private waiting: ((stream: UpstreamStream) => void)[] = [];

  constructor() {
    this.server = createServer((req, res) => this.serve(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  /** The next stream the service opens; call before the client connects. */
  nextStream(): Promise<UpstreamStream> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    if (path === `/applications/${UNKNOWN_APPLICATION_ID}/events`) {
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: `no application ${UNKNOWN_APPLICATION_ID}` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' });
    res.write(`event: status\nid: 262\ndata: {"status":"SUBMITTED"}\n\n`);
    const stream: UpstreamStream = {
      path,
      headers: req.headers,
      res,
      closed: new Promise((resolve) => res.once('close', () => resolve())),
    };
    this.streams.push(stream);
    for (const resolve of this.waiting.splice(0)) resolve(stream);
  }
}

/** A client of the proxy reading server-sent events one at a time, as they arrive. */
interface EventStreamClient {
  response: IncomingMessage;
  nextEvent(): Promise<string>;
  ended: Promise<void>;
  close(): void;
}

function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
      let buffered = '';
      const events: string[] = [];
      const waiting: ((event: string) => void)[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          events.push(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
        }
        while (events.length > 0 && waiting.length > 0) waiting.shift()!(events.shift()!);
      });
      response.on('error', () => undefined);
      resolve({
        response,
        nextEvent: () => new Promise((next) => (events.length > 0 ? next(events.shift()!) : waiting.push(next))),
        ended: new Promise((done) => response.once('end', () => done())),
        close: () => request.destroy(),
      });
    });
    request.once('error', reject);
  });
}

async function readJson(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** A node:http server serving only the route (404 otherwise), as createGraphQLHandler tries it. */
async function serveRoute(route: HttpRoute): Promise<RunningHttpServer> {
  return listen(async (req, res) => {
    if (await route(req, res)) return;
    res.writeHead(404).end();
  });
}

describe('GET /live/applications/<id>', () => {
  const upstream = new FakeApplicationsService();
  let proxy: RunningHttpServer;
  let liveUrl: (id: string) => string;

  beforeAll(async () => {
    const applicationsUrl = await upstream.start();
    proxy = await serveRoute(applicationEventsProxyRoute({ applicationsUrl, connectTimeoutMs: 2000, logger }));
    liveUrl = (id) => new URL(`/live/applications/${id}`, proxy.url).toString();
  });

  afterAll(async () => {
    await proxy?.close();
    await upstream.stop();
  });

  it('passes each event on as it arrives, while the upstream stream stays open', async () => {
    const opened = upstream.nextStream();
    const client = await openEventStream(liveUrl(APPLICATION_ID));
    const stream = await opened;

    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    expect(await client.nextEvent()).toBe('event: status\nid: 262\ndata: {"status":"SUBMITTED"}');

    stream.res.write('event: timeline\nid: 263\ndata: {"taskStatus":"RECEIVED"}\n\n');
    expect(await client.nextEvent()).toBe('event: timeline\nid: 263\ndata: {"taskStatus":"RECEIVED"}');
    stream.res.write('event: timeline\nid: 264\ndata: {"applicationStatus":"IN_PROGRESS"}\n\n');
    expect(await client.nextEvent()).toBe('event: timeline\nid: 264\ndata: {"applicationStatus":"IN_PROGRESS"}');
    expect(stream.res.writableEnded).toBe(false);

    stream.res.end();
    await client.ended;
  });

  it('forwards Last-Event-ID and the correlation id, and returns the correlation id', async () => {
    const opened = upstream.nextStream();
    const client = await openEventStream(liveUrl(APPLICATION_ID.toUpperCase()), {
      'last-event-id': '263',
      'x-correlation-id': 'mpp-counter-42',
    });
    const stream = await opened;

    expect(stream.path).toBe(`/applications/${APPLICATION_ID}/events`);
    expect(stream.headers['last-event-id']).toBe('263');
    expect(stream.headers['x-correlation-id']).toBe('mpp-counter-42');
    expect(client.response.headers['x-correlation-id']).toBe('mpp-counter-42');
    client.close();
    await stream.closed;
  });

  it('closes the upstream stream when the client disconnects', async () => {
    const opened = upstream.nextStream();
    const client = await openEventStream(liveUrl(APPLICATION_ID));
    const stream = await opened;
    await client.nextEvent();

    client.close();
    await stream.closed;
    expect(stream.res.destroyed).toBe(true);
  });

  it('answers 400 for an id that is not a UUID, without calling the applications service', async () => {
    const before = upstream.streams.length;
    const response = await readJson(liveUrl('not-a-uuid'));

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [
        {
          message: 'Application id must be a UUID: 32 hexadecimal digits grouped 8-4-4-4-12',
          extensions: { code: 'BAD_USER_INPUT', rule: 'UUID' },
        },
      ],
    });
    expect(upstream.streams.length).toBe(before);
  });

  it('passes the applications service refusal of an unknown application through', async () => {
    const response = await readJson(liveUrl(UNKNOWN_APPLICATION_ID));
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: `no application ${UNKNOWN_APPLICATION_ID}` });
  });

  it('answers 405 to anything but GET', async () => {
    const response = await readJson(liveUrl(APPLICATION_ID), { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('leaves other paths to the next route', async () => {
    const response = await fetch(new URL(`/live/applications/${APPLICATION_ID}/extra`, proxy.url));
    expect(response.status).toBe(404);
  });
});

describe('GET /live/applications/<id> with the applications service unreachable', () => {
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
    proxy = await serveRoute(applicationEventsProxyRoute({ applicationsUrl, connectTimeoutMs: 2000, logger }));
    const response = await readJson(new URL(`/live/applications/${APPLICATION_ID}`, proxy.url).toString());

    expect(response.status).toBe(502);
    expect(response.body).toEqual({
      errors: [
        { message: 'The applications service is unavailable', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'applications' } },
      ],
    });
  });

  it('answers 504 SUBGRAPH_TIMEOUT when it accepts the connection but never answers', async () => {
    hung = createTcpServer((socket) => {
      hungSockets.add(socket);
      socket.on('close', () => hungSockets.delete(socket));
    });
    await new Promise<void>((resolve) => hung!.listen(0, '127.0.0.1', resolve));
    const applicationsUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`;
    proxy = await serveRoute(applicationEventsProxyRoute({ applicationsUrl, connectTimeoutMs: 200, logger }));
    const response = await readJson(new URL(`/live/applications/${APPLICATION_ID}`, proxy.url).toString());

    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ errors: [{ extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'applications' } }] });
  });
});

describe('the gateway serving /live/applications/<id>', () => {
  const upstream = new FakeApplicationsService();
  let gateway: Gateway;
  let http: RunningHttpServer;

  beforeAll(async () => {
    const applicationsUrl = await upstream.start();
    const composed = composeServices([
      {
        name: 'applications',
        url: 'http://127.0.0.1:1/graphql',
        typeDefs: parse(`type Query { serviceCatalogVersion: String }`),
      },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    // The supergraph's URL is deliberately wrong: the stream must follow SUBGRAPH_APPLICATIONS_URL.
    gateway = await createGateway({
      supergraphSdl: composed.supergraphSdl,
      subgraphs: { applications: { url: applicationsUrl } },
      defaultTimeoutMs: 2000,
      logger,
    });
    http = await listen(gateway.handler, {});
  });

  afterAll(async () => {
    await http?.close();
    await gateway?.stop();
    await upstream.stop();
  });

  it('proxies to the origin of the configured applications subgraph URL', async () => {
    const opened = upstream.nextStream();
    const client = await openEventStream(new URL(`/live/applications/${APPLICATION_ID}`, http.url).toString());
    const stream = await opened;

    expect(stream.path).toBe(`/applications/${APPLICATION_ID}/events`);
    expect(await client.nextEvent()).toBe('event: status\nid: 262\ndata: {"status":"SUBMITTED"}');
    client.close();
    await stream.closed;
  });

  it('still serves GraphQL', async () => {
    const response = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
