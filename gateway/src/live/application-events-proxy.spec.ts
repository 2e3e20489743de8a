import { get, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { composeServices } from '@apollo/composition';
import {
  INTERNAL_CONTEXT_HEADER,
  authenticateSubgraphRequest,
  createInternalContextSigner,
  createInternalContextVerifier,
  createLogger,
  generateInternalContextKeys,
  httpRequestHash,
  listen,
  type Ed25519Jwk,
  type InternalCaller,
  type InternalContextVerifier,
  type RunningHttpServer,
} from '@simpul/service-kit';
import { postGraphQL } from '@simpul/testing';
import { parse } from 'graphql';
import { createTestKey, TestIdentityProvider, type TestKey } from '@simpul/service-kit/testing';
import { createGatewayAuth, type GatewayAuth } from '../auth/gateway-auth';
import { createGateway, type Gateway } from '../gateway';
import { purposeRoute } from '../subgraphs/internal-context';
import { serveGatewayWithApplicationsAt, serveRoute, startStubService, throughUnreachableService, type StubService } from '../../test/support/upstream-stubs';
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
  /** The verified `x-simpul-context`, when the service checks it. */
  caller?: InternalCaller;
}

/**
 * Stands in for the applications service's `GET /applications/<id>/events` (and its `/graphql`, which
 * answers `serviceCatalogVersion`). Given a verifier it checks `x-simpul-context` as the real route
 * does with INTERNAL_CONTEXT_PUBLIC_KEY (authenticateSubgraphRequest): 401 without a valid one.
 */
class FakeApplicationsService {
  readonly streams: UpstreamStream[] = [];
  /** The verified callers of the `/graphql` requests, in order. */
  readonly graphqlCallers: InternalCaller[] = [];
  private service?: StubService;
  private waiting: ((stream: UpstreamStream) => void)[] = [];

  constructor(private readonly verifier?: InternalContextVerifier) {}

  async start(): Promise<string> {
    this.service = await startStubService((req, res) => void this.serve(req, res));
    return this.service.url;
  }

  /** The next stream the service opens; call before the client connects. */
  nextStream(): Promise<UpstreamStream> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async stop(): Promise<void> {
    await this.service?.stop();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    let caller: InternalCaller | undefined;
    if (this.verifier) {
      try {
        caller = await authenticateSubgraphRequest(this.verifier, req);
      } catch (error) {
        res.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ errors: [{ message: (error as Error).message, extensions: { code: 'UNAUTHENTICATED' } }] }));
        return;
      }
    }
    if (path === '/graphql') {
      if (caller) this.graphqlCallers.push(caller);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { serviceCatalogVersion: '2025.1' } }));
      return;
    }
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
      ...(caller ? { caller } : {}),
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

describe('GET /live/applications/<id>', () => {
  const upstream = new FakeApplicationsService();
  let proxy: RunningHttpServer;
  let liveUrl: (id: string) => string;

  beforeAll(async () => {
    const applicationsUrl = await upstream.start();
    proxy = await serveRoute(purposeRoute(), applicationEventsProxyRoute({ applicationsUrl, connectTimeoutMs: 2000, logger }));
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
    // No INTERNAL_CONTEXT_PRIVATE_KEY here: no context, as before.
    expect(stream.headers[INTERNAL_CONTEXT_HEADER]).toBeUndefined();
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
  const open = (how: 'down' | 'hung', connectTimeoutMs: number) =>
    throughUnreachableService(
      how,
      (applicationsUrl) => applicationEventsProxyRoute({ applicationsUrl, connectTimeoutMs, logger }),
      (url) => readJson(new URL(`/live/applications/${APPLICATION_ID}`, url).toString()),
    );

  it('answers 502 SUBGRAPH_UNAVAILABLE when nothing listens', async () => {
    const response = await open('down', 2000);

    expect(response.status).toBe(502);
    expect(response.body).toEqual({
      errors: [
        { message: 'The applications service is unavailable', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'applications' } },
      ],
    });
  });

  it('answers 504 SUBGRAPH_TIMEOUT when it accepts the connection but never answers', async () => {
    const response = await open('hung', 200);

    expect(response.status).toBe(504);
    expect(response.body).toMatchObject({ errors: [{ extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'applications' } }] });
  });
});

describe('the gateway serving /live/applications/<id>', () => {
  const upstream = new FakeApplicationsService();
  let http: { url: string; stop(): Promise<void> };

  beforeAll(async () => {
    http = await serveGatewayWithApplicationsAt(await upstream.start(), logger);
  });

  afterAll(async () => {
    await http?.stop();
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

describe('GET /live/applications/<id> with INTERNAL_CONTEXT_PRIVATE_KEY', () => {
  let keys: { publicKey: Ed25519Jwk; privateKey: Ed25519Jwk };
  let upstream: FakeApplicationsService;
  let applicationsUrl: string;
  let proxy: RunningHttpServer;
  let liveUrl: (id: string) => string;

  beforeAll(async () => {
    keys = await generateInternalContextKeys();
    upstream = new FakeApplicationsService(createInternalContextVerifier(keys.publicKey, { audience: 'applications' }));
    applicationsUrl = await upstream.start();
    proxy = await serveRoute(
      purposeRoute(),
      applicationEventsProxyRoute({ applicationsUrl, connectTimeoutMs: 2000, logger, signer: createInternalContextSigner(keys.privateKey) }),
    );
    liveUrl = (id) => new URL(`/live/applications/${id}`, proxy.url).toString();
  });

  afterAll(async () => {
    await proxy?.close();
    await upstream?.stop();
  });

  it('sends a context signed with the key, which the applications service accepts: caller, purpose and correlation id', async () => {
    const opened = upstream.nextStream();
    const client = await openEventStream(liveUrl(APPLICATION_ID), {
      'x-simpul-purpose': `application:${APPLICATION_ID.toUpperCase()}`,
      'x-correlation-id': 'mpp-counter-43',
    });
    expect(client.response.statusCode).toBe(200);
    const stream = await opened;

    // Nobody signed in (OIDC off): the anonymous caller, without roles, as for a GraphQL fetch.
    expect(stream.caller).toEqual({
      subject: 'anonymous',
      client: 'anonymous',
      actorType: 'client',
      roles: [],
      purpose: `application:${APPLICATION_ID}`,
      correlationId: 'mpp-counter-43',
      // For the applications service only, and only for this stream's request.
      audience: 'applications',
      requestHash: httpRequestHash('GET', `/applications/${APPLICATION_ID}/events`),
    });
    expect(await client.nextEvent()).toBe('event: status\nid: 262\ndata: {"status":"SUBMITTED"}');
    client.close();
    await stream.closed;
  });

  it('leaves the purpose out when none is declared', async () => {
    const opened = upstream.nextStream();
    const client = await openEventStream(liveUrl(APPLICATION_ID));
    const stream = await opened;
    expect(stream.caller).toBeDefined();
    expect(stream.caller).not.toHaveProperty('purpose');
    client.close();
    await stream.closed;
  });

  it('never passes a client’s own x-simpul-context on', async () => {
    const rogue = await generateInternalContextKeys();
    const forged = await createInternalContextSigner(rogue.privateKey).sign({
      subject: 'me',
      client: 'mpp-console',
      actorType: 'user',
      roles: ['supervisor'],
      correlationId: 'forged',
      audience: 'applications',
    });
    const opened = upstream.nextStream();
    const client = await openEventStream(liveUrl(APPLICATION_ID), { [INTERNAL_CONTEXT_HEADER]: forged });
    const stream = await opened;

    expect(stream.headers[INTERNAL_CONTEXT_HEADER]).not.toBe(forged);
    expect(stream.caller).toMatchObject({ subject: 'anonymous', roles: [] });
    client.close();
    await stream.closed;
  });

  it('answers a malformed x-simpul-purpose with 400 BAD_USER_INPUT naming the rule, without calling the service', async () => {
    const before = upstream.streams.length;
    for (const [purpose, rule] of [
      ['application:42', 'PURPOSE_APPLICATION_ID'],
      ['legal-basis:BECAUSE', 'PURPOSE_LEGAL_BASIS'],
      ['marketing', 'PURPOSE_FORMAT'],
    ] as const) {
      const response = await readJson(liveUrl(APPLICATION_ID), { headers: { 'x-simpul-purpose': purpose } });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', argument: 'x-simpul-purpose', rule } }] });
    }
    expect(upstream.streams.length).toBe(before);
  });

  it('without the key the applications service refuses the stream: its 401 is passed on', async () => {
    const unsigned = await serveRoute(purposeRoute(), applicationEventsProxyRoute({ applicationsUrl, connectTimeoutMs: 2000, logger }));
    try {
      const before = upstream.streams.length;
      const response = await readJson(new URL(`/live/applications/${APPLICATION_ID}`, unsigned.url).toString());
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
      expect(upstream.streams.length).toBe(before);
    } finally {
      await unsigned.close();
    }
  });
});

describe('the gateway signing the live stream as it signs subgraph fetches', () => {
  let idp: TestIdentityProvider;
  let key: TestKey;
  let upstream: FakeApplicationsService;
  let auth: GatewayAuth;
  let gateway: Gateway;
  let http: RunningHttpServer;

  beforeAll(async () => {
    const keys = await generateInternalContextKeys();
    key = await createTestKey('key-1');
    idp = await TestIdentityProvider.start();
    idp.publish('simpul', [key]);
    upstream = new FakeApplicationsService(createInternalContextVerifier(keys.publicKey, { audience: 'applications' }));
    const applicationsUrl = await upstream.start();
    const composed = composeServices([
      { name: 'applications', url: applicationsUrl, typeDefs: parse(`type Query { serviceCatalogVersion: String }`) },
    ]);
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    auth = createGatewayAuth({
      settings: { issuer: idp.issuer(), audience: 'simpul-gateway', algorithms: ['RS256'], clockToleranceSeconds: 30 },
      logger,
    });
    await auth.verifier.whenReady();
    gateway = await createGateway({
      supergraphSdl: composed.supergraphSdl,
      subgraphs: {},
      defaultTimeoutMs: 2000,
      logger,
      auth,
      internalContextPrivateKey: keys.privateKey,
    });
    http = await listen(gateway.handler, {});
  });

  afterAll(async () => {
    await http?.close();
    await gateway?.stop();
    auth?.stop();
    await upstream?.stop();
    await idp?.stop();
  });

  it('vouches for the token’s principal, purpose and correlation id exactly as for a GraphQL fetch', async () => {
    const token = await idp.mint(key, {
      sub: 'citizen-7',
      azp: 'mpp-console',
      preferred_username: 'warga',
      realm_access: { roles: ['citizen'] },
      nik: '3510014101900001',
    });
    const headers = { authorization: `Bearer ${token}`, 'x-simpul-purpose': 'legal-basis:CITIZEN_OWN_DATA_REQUEST', 'x-correlation-id': 'portal-7' };
    const expected: Omit<InternalCaller, 'audience'> = {
      subject: 'citizen-7',
      client: 'mpp-console',
      actorType: 'user',
      roles: ['citizen'],
      nik: '3510014101900001',
      purpose: 'legal-basis:CITIZEN_OWN_DATA_REQUEST',
      correlationId: 'portal-7',
    };

    const answer = await postGraphQL(http.url, '{ serviceCatalogVersion }', undefined, headers);
    expect(answer).toMatchObject({ status: 200, data: { serviceCatalogVersion: '2025.1' } });
    // Each bound to its own request: the GraphQL fetch's to its query, the stream's to its path.
    expect(upstream.graphqlCallers.at(-1)).toEqual({ ...expected, audience: 'applications', requestHash: expect.stringMatching(/^[\w-]{43}$/) });

    const opened = upstream.nextStream();
    const client = await openEventStream(new URL(`/live/applications/${APPLICATION_ID}`, http.url).toString(), headers);
    expect(client.response.statusCode).toBe(200);
    const stream = await opened;
    expect(stream.caller).toEqual({ ...expected, audience: 'applications', requestHash: httpRequestHash('GET', `/applications/${APPLICATION_ID}/events`) });
    client.close();
    await stream.closed;
  });

  it('proxies nothing for a request without a token', async () => {
    const before = upstream.streams.length;
    const response = await readJson(new URL(`/live/applications/${APPLICATION_ID}`, http.url).toString());
    expect(response.status).toBe(401);
    expect(upstream.streams.length).toBe(before);
  });
});
