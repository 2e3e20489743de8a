import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@simpul/service-kit';
import { freePort } from '@simpul/testing';
import { SubgraphDataSource } from './subgraph-data-source';

const logger = createLogger('gateway-test', 'silent');
const ENTITY_QUERY = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Citizen { businesses { nib } } }
}`;
const representations = [
  { __typename: 'Citizen', nik: '3510014101900001' },
  { __typename: 'Citizen', nik: '3510010202900002' },
];

type Behaviour = (body: unknown, res: import('node:http').ServerResponse) => void;
const behaviours: Record<string, Behaviour> = {
  '/ok': (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { _entities: [{ businesses: [] }, { businesses: [{ nib: '1234567890123' }] }] } }));
  },
  '/html': (_body, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>502 Bad Gateway</html>');
  },
  '/broken-json': (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"data": {"_entities": [');
  },
  '/wrong-entity-count': (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { _entities: [{ businesses: [] }] } }));
  },
  '/server-error': (_body, res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'boom' }] }));
  },
  '/rejects-operation': (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ message: 'Cannot query field "businesses" on type "Citizen".' }] }));
  },
  '/field-error': (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        data: { _entities: [{ businesses: null }, { businesses: [] }] },
        errors: [{ message: 'bad', path: ['_entities', 0, 'businesses'], extensions: { code: 'BAD_USER_INPUT', rule: 'X' } }],
      }),
    );
  },
  '/stalls-body': (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"data": ');
  },
};

let http: Server;
let httpBase: string;
let lastHeaders: IncomingHttpHeaders | undefined;
let silent: TcpServer;
let silentUrl: string;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  http = createHttpServer(async (req, res) => {
    lastHeaders = req.headers;
    let raw = '';
    for await (const chunk of req) raw += chunk;
    (behaviours[req.url ?? ''] ?? behaviours['/html']!)(JSON.parse(raw || 'null'), res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  // Accepts connections and never answers: a hung subgraph.
  silent = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

function fetchThrough(url: string, timeoutMs = 2000, query = ENTITY_QUERY, variables: Record<string, unknown> = { representations }) {
  const dataSource = new SubgraphDataSource({ name: 'licensing', url, timeoutMs, logger });
  return dataSource.process({
    kind: 'incoming operation',
    request: { query, variables },
    context: { correlationId: 'corr-123', logger },
    incomingRequestContext: {},
    pathInIncomingRequest: ['citizen'],
  } as unknown as Parameters<SubgraphDataSource['process']>[0]);
}

const unavailable = (index: number) => ({
  message: 'The licensing service is unavailable',
  path: ['_entities', index, 'businesses'],
  extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'licensing' },
});

describe('SubgraphDataSource', () => {
  it('passes a good response through and forwards the correlation id', async () => {
    const response = await fetchThrough(`${httpBase}/ok`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ _entities: [{ businesses: [] }, { businesses: [{ nib: '1234567890123' }] }] });
    expect(lastHeaders?.['x-correlation-id']).toBe('corr-123');
  });

  it('passes field errors of the subgraph through untouched', async () => {
    const response = await fetchThrough(`${httpBase}/field-error`);
    expect(response.errors).toEqual([
      { message: 'bad', path: ['_entities', 0, 'businesses'], extensions: { code: 'BAD_USER_INPUT', rule: 'X' } },
    ]);
  });

  it('turns a subgraph that does not answer in time into SUBGRAPH_TIMEOUT errors on the requested fields', async () => {
    const started = Date.now();
    const response = await fetchThrough(silentUrl, 300);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(response.data).toBeNull();
    expect(response.errors).toEqual(
      [0, 1].map((index) => ({
        message: 'The licensing service did not answer within 300 ms',
        path: ['_entities', index, 'businesses'],
        extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'licensing' },
      })),
    );
  });

  it('times out a response whose body never ends', async () => {
    const response = await fetchThrough(`${httpBase}/stalls-body`, 300);
    expect(response.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_TIMEOUT', 'SUBGRAPH_TIMEOUT']);
  });

  it('turns a refused connection into SUBGRAPH_UNAVAILABLE errors on the requested fields', async () => {
    const response = await fetchThrough(`http://127.0.0.1:${await freePort()}/graphql`);
    expect(response).toEqual({ data: null, errors: [unavailable(0), unavailable(1)] });
  });

  it.each(['/html', '/broken-json', '/wrong-entity-count', '/server-error', '/rejects-operation'])(
    'treats a garbage answer (%s) as SUBGRAPH_UNAVAILABLE',
    async (path) => {
      const response = await fetchThrough(`${httpBase}${path}`);
      expect(response).toEqual({ data: null, errors: [unavailable(0), unavailable(1)] });
    },
  );

  it('maps a failed root fetch onto its root fields', async () => {
    const response = await fetchThrough(silentUrl, 100, 'query($nik: String!) { citizen(nik: $nik) { __typename nik fullName } }', {
      nik: '3510014101900001',
    });
    expect(response.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['citizen'], 'SUBGRAPH_TIMEOUT']]);
  });
});
