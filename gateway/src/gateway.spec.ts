import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { composeServices } from '@apollo/composition';
import {
  BadUserInputError,
  createLogger,
  createSubgraph,
  listen,
  serveSubgraph,
  type RequestContext,
  type RunningHttpServer,
} from '@simpul/service-kit';
import { postGraphQL } from '@simpul/testing';
import { parse } from 'graphql';
import { createGateway, type Gateway } from './gateway';

// Two small subgraphs shaped like Simpul's: a registry owning Citizen and a contributor adding a
// nullable list field and an entity of its own with a nested contribution.
const REGISTRY_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query { citizen(nik: String!): Citizen  citizens: [Citizen!]! }
  type Citizen @key(fields: "nik") { nik: String! fullName: String! }
`;
const LICENSING_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Citizen @key(fields: "nik") { nik: String! businesses: [Business!] }
  type Business @key(fields: "nib") { nib: String! name: String! }
`;
const PEOPLE = [
  { nik: '3510014101900001', fullName: 'Siti Rahayu' },
  { nik: '3510010202900002', fullName: 'Budi Santoso' },
  { nik: '3510010303900003', fullName: 'Made Wirawan' },
];
const BUSINESSES: Record<string, { nib: string; name: string }[]> = {
  '3510014101900001': [{ nib: '9120000000001', name: 'Warung Siti' }],
  '3510010202900002': [],
  '3510010303900003': [{ nib: '9120000000003', name: 'Bengkel Made' }],
};

const logger = createLogger('gateway-test', 'silent');
const registryCorrelationIds: string[] = [];

async function startRegistry(port = 0) {
  const subgraph = await createSubgraph<RequestContext>({
    name: 'registry',
    typeDefs: parse(REGISTRY_SDL),
    logger,
    createContext: (base) => {
      registryCorrelationIds.push(base.correlationId);
      return base;
    },
    resolvers: {
      Query: {
        citizen: (_: unknown, { nik }: { nik: string }) => {
          if (!/^\d{16}$/.test(nik)) throw new BadUserInputError('NIK must be 16 digits', { argument: 'nik', rule: 'NIK_LENGTH' });
          if (nik === '3510019999990000') throw new Error('database exploded');
          return PEOPLE.find((p) => p.nik === nik) ?? null;
        },
        citizens: () => PEOPLE,
      },
      Citizen: { __resolveReference: ({ nik }: { nik: string }) => PEOPLE.find((p) => p.nik === nik) ?? null },
    },
  });
  return serveSubgraph(subgraph, { port });
}

async function startLicensing(port = 0) {
  const subgraph = await createSubgraph<RequestContext>({
    name: 'licensing',
    typeDefs: parse(LICENSING_SDL),
    logger,
    createContext: (base) => base,
    resolvers: {
      Citizen: {
        __resolveReference: ({ nik }: { nik: string }) => ({ nik }),
        businesses: ({ nik }: { nik: string }) => BUSINESSES[nik] ?? [],
      },
    },
  });
  return serveSubgraph(subgraph, { port });
}

type Served = Awaited<ReturnType<typeof serveSubgraph>>;
let registry: Served;
let licensing: Served | undefined;
let licensingPort: number;
let gateway: Gateway;
let http: RunningHttpServer;
let hung: TcpServer;
const hungSockets = new Set<Socket>();

async function startGatewayOver(urls: { registry: string; licensing: string }, timeoutMs = 2000, maxResponseBytes?: number) {
  const composed = composeServices([
    { name: 'registry', url: urls.registry, typeDefs: parse(REGISTRY_SDL) },
    { name: 'licensing', url: 'http://127.0.0.1:1/graphql', typeDefs: parse(LICENSING_SDL) },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const created = await createGateway({
    supergraphSdl: composed.supergraphSdl,
    // The licensing URL in the supergraph is deliberately wrong: the override must win.
    subgraphs: { licensing: { url: urls.licensing, ...(maxResponseBytes ? { maxResponseBytes } : {}) } },
    defaultTimeoutMs: timeoutMs,
    logger,
  });
  return { gateway: created, http: await listen(created.handler, {}) };
}

beforeAll(async () => {
  registry = await startRegistry();
  licensing = await startLicensing();
  licensingPort = licensing.port;
  ({ gateway, http } = await startGatewayOver({ registry: registry.url, licensing: licensing.url }));
  hung = createTcpServer((socket) => {
    hungSockets.add(socket);
    socket.on('close', () => hungSockets.delete(socket));
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await http?.close();
  await gateway?.stop();
  await licensing?.stop();
  await registry?.stop();
  for (const socket of hungSockets) socket.destroy();
  await new Promise((resolve) => hung?.close(resolve));
});

const CITIZEN = `query ($nik: String!) { citizen(nik: $nik) { nik fullName businesses { nib name } } }`;
const CITIZENS = `{ citizens { nik fullName businesses { nib } } }`;

describe('gateway over live subgraphs', () => {
  it('joins a citizen across subgraphs', async () => {
    const response = await postGraphQL(http.url, CITIZEN, { nik: PEOPLE[0]!.nik });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ citizen: { ...PEOPLE[0], businesses: BUSINESSES[PEOPLE[0]!.nik] } });
  });

  it('forwards the caller correlation id to subgraphs and returns it', async () => {
    const response = await fetch(http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': 'mpp-counter-42' },
      body: JSON.stringify({ query: CITIZEN, variables: { nik: PEOPLE[1]!.nik } }),
    });
    expect(response.headers.get('x-correlation-id')).toBe('mpp-counter-42');
    expect(registryCorrelationIds.at(-1)).toBe('mpp-counter-42');
  });

  it('generates a correlation id when the caller sends none', async () => {
    const response = await fetch(http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ citizens { nik } }' }),
    });
    const id = response.headers.get('x-correlation-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(registryCorrelationIds.at(-1)).toBe(id);
  });

  it('passes BAD_USER_INPUT from a subgraph through with its rule', async () => {
    const response = await postGraphQL(http.url, CITIZEN, { nik: '123' });
    expect(response.data).toEqual({ citizen: null });
    expect(response.errors).toEqual([
      {
        message: 'NIK must be 16 digits',
        path: ['citizen'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'nik', rule: 'NIK_LENGTH', serviceName: 'registry' },
      },
    ]);
  });

  it('masks an unexpected subgraph failure', async () => {
    const response = await postGraphQL(http.url, CITIZEN, { nik: '3510019999990000' });
    expect(response.data).toEqual({ citizen: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]).toMatchObject({ message: 'Internal server error', path: ['citizen'] });
    expect(JSON.stringify(response.errors)).not.toContain('exploded');
  });

  it('refuses a subscription with 400, naming the live status stream instead', async () => {
    const response = await fetch(http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'subscription { applicationStatus(id: "x") { status } }' }),
    });
    const body = (await response.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
    expect(body.errors).toEqual([
      {
        message: expect.stringContaining('/live/applications/<id>'),
        extensions: expect.objectContaining({ code: 'BAD_REQUEST', rule: 'SUBSCRIPTIONS_NOT_SUPPORTED' }),
      },
    ]);
    expect(response.status).toBe(400);
  });

  it('answers /readyz once the supergraph is loaded', async () => {
    const response = await fetch(new URL('/readyz', http.url));
    expect(response.status).toBe(200);
  });

  describe('with the licensing subgraph down', () => {
    beforeAll(async () => {
      await licensing?.stop();
      licensing = undefined;
    });
    afterAll(async () => {
      licensing = await startLicensing(licensingPort);
    });

    it('returns the citizen with businesses null and an error at that field', async () => {
      const response = await postGraphQL(http.url, CITIZEN, { nik: PEOPLE[0]!.nik });
      expect(response.data).toEqual({ citizen: { ...PEOPLE[0], businesses: null } });
      expect(response.errors).toEqual([
        {
          message: 'The licensing service is unavailable',
          path: ['citizen', 'businesses'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'licensing' },
        },
      ]);
    });

    it('puts one error on each entity of a list', async () => {
      const response = await postGraphQL<{ citizens: { businesses: unknown }[] }>(http.url, CITIZENS);
      expect(response.data?.citizens.map((c) => c.businesses)).toEqual([null, null, null]);
      expect(response.errors?.map((e) => e.path)).toEqual([
        ['citizens', 0, 'businesses'],
        ['citizens', 1, 'businesses'],
        ['citizens', 2, 'businesses'],
      ]);
    });
  });

  it('recovers once the subgraph is back', async () => {
    const response = await postGraphQL(http.url, CITIZEN, { nik: PEOPLE[2]!.nik });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ citizen: { ...PEOPLE[2], businesses: BUSINESSES[PEOPLE[2]!.nik] } });
  });

  it('times out a hung subgraph and still answers the rest', async () => {
    const slow = await startGatewayOver(
      { registry: registry.url, licensing: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql` },
      250,
    );
    try {
      const started = Date.now();
      const response = await postGraphQL(slow.http.url, CITIZEN, { nik: PEOPLE[0]!.nik });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(response.data).toEqual({ citizen: { ...PEOPLE[0], businesses: null } });
      expect(response.errors).toEqual([
        {
          message: 'The licensing service did not answer within 250 ms',
          path: ['citizen', 'businesses'],
          extensions: { code: 'SUBGRAPH_TIMEOUT', serviceName: 'licensing' },
        },
      ]);
    } finally {
      await slow.http.close();
      await slow.gateway.stop();
    }
  });

  it('stops reading a subgraph answer over the cap: SUBGRAPH_RESPONSE_TOO_LARGE on its fields, the rest served', async () => {
    // A misbehaving licensing subgraph: an endless JSON answer, 64 KiB at a time, as long as anyone reads.
    let sent = 0;
    let cutOff!: () => void;
    const connectionDropped = new Promise<void>((resolve) => (cutOff = resolve));
    const flood = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"_entities":[{"businesses":[');
      const chunk = `${'{"nib":"9120000000001","name":"Warung Siti"},'.repeat(1450)}`;
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
      };
      res.on('drain', pump);
      res.on('close', () => cutOff());
      pump();
    });
    await new Promise<void>((resolve) => flood.listen(0, '127.0.0.1', resolve));
    const capped = await startGatewayOver({ registry: registry.url, licensing: `http://127.0.0.1:${(flood.address() as AddressInfo).port}/graphql` }, 10_000, 256 * 1024);
    try {
      const response = await postGraphQL(capped.http.url, CITIZEN, { nik: PEOPLE[0]!.nik });
      expect(response.data).toEqual({ citizen: { ...PEOPLE[0], businesses: null } });
      expect(response.errors).toEqual([
        {
          message: `The licensing service answered with more than ${256 * 1024} bytes`,
          path: ['citizen', 'businesses'],
          extensions: { code: 'SUBGRAPH_RESPONSE_TOO_LARGE', serviceName: 'licensing' },
        },
      ]);
      // The gateway hung up rather than reading on: the subgraph could send only what the socket buffers held.
      await connectionDropped;
      expect(sent).toBeLessThan(16 * 1024 * 1024);
    } finally {
      flood.closeAllConnections();
      await new Promise((resolve) => flood.close(resolve));
      await capped.http.close();
      await capped.gateway.stop();
    }
  });

  it('returns null for the root field when the owning subgraph is down', async () => {
    const down = await startGatewayOver({ registry: 'http://127.0.0.1:1/graphql', licensing: registry.url });
    try {
      const response = await postGraphQL(down.http.url, CITIZEN, { nik: PEOPLE[0]!.nik });
      expect(response.data).toEqual({ citizen: null });
      expect(response.errors).toEqual([
        {
          message: 'The registry service is unavailable',
          path: ['citizen'],
          extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'registry' },
        },
      ]);
    } finally {
      await down.http.close();
      await down.gateway.stop();
    }
  });
});
