import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import {
  INTERNAL_CONTEXT_HEADER,
  createInternalContextSigner,
  createLogger,
  generateInternalContextKeys,
  graphqlRequestHash,
  listen,
  verifyInternalContext,
  type Ed25519Jwk,
  type RunningHttpServer,
} from '@simpul/service-kit';
import type { Principal } from '@simpul/service-kit';
import { internalContextEnvShape } from './internal-context-env';
import { internalContextClaims, purposeOf, purposeRoute, readDeclaredPurpose } from './internal-context';
import { SubgraphDataSource } from './subgraph-data-source';

const logger = createLogger('internal-context-spec', 'silent');
const APPLICATION = '0195f3a2-7c1d-7e4b-9a0b-1c2d3e4f5a6b';
const WARGA: Principal = { subject: 'user-warga', client: 'mpp-console', actorType: 'user', roles: ['citizen'], nik: '3510011501900001', username: 'warga' };
const BANK: Principal = { subject: 'service-account-bank-bpd', client: 'bank-bpd', actorType: 'client', roles: ['participant:bank-bpd'] };

/** The service and request a context is bound to (the data source computes them per fetch). */
const BINDING = { audience: 'dukcapil', requestHash: 'h'.repeat(43) };

let keys: { publicKey: Ed25519Jwk; privateKey: Ed25519Jwk };
beforeAll(async () => {
  keys = await generateInternalContextKeys();
});

describe('internalContextClaims', () => {
  it('vouches for the principal of the request, its purpose and correlation id', () => {
    expect(internalContextClaims({ principal: WARGA, correlationId: 'c-1', purpose: `application:${APPLICATION}` }, BINDING)).toEqual({
      subject: 'user-warga',
      client: 'mpp-console',
      actorType: 'user',
      roles: ['citizen'],
      nik: '3510011501900001',
      purpose: `application:${APPLICATION}`,
      correlationId: 'c-1',
      ...BINDING,
    });
    expect(internalContextClaims({ principal: BANK, correlationId: 'c-2' }, BINDING)).toEqual({
      subject: 'service-account-bank-bpd',
      client: 'bank-bpd',
      actorType: 'client',
      roles: ['participant:bank-bpd'],
      correlationId: 'c-2',
      ...BINDING,
    });
  });

  it('vouches for an anonymous caller without roles when nobody signed in (identity off)', () => {
    expect(internalContextClaims({ correlationId: 'c-3', purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY' }, BINDING)).toEqual({
      subject: 'anonymous',
      client: 'anonymous',
      actorType: 'client',
      roles: [],
      purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
      correlationId: 'c-3',
      ...BINDING,
    });
  });

  it('reads a purpose once, normalised, and refuses a malformed or repeated one with its rule', () => {
    expect(readDeclaredPurpose(`application:${APPLICATION.toUpperCase()}`)).toEqual({ ok: true, value: `application:${APPLICATION}` });
    expect(readDeclaredPurpose('legal-basis:NOPE')).toMatchObject({ ok: false, rule: 'PURPOSE_LEGAL_BASIS' });
    expect(readDeclaredPurpose(['legal-basis:AUDIT_OVERSIGHT', 'legal-basis:LEGAL_OBLIGATION'])).toMatchObject({ ok: false, rule: 'PURPOSE_FORMAT' });
    expect(readDeclaredPurpose(undefined)).toEqual({ ok: true });
  });
});

describe('purposeRoute', () => {
  let http: RunningHttpServer;
  let seen: IncomingHttpHeaders | undefined;
  let kept: string | undefined;
  beforeAll(async () => {
    const route = purposeRoute();
    http = await listen(async (req: IncomingMessage, res) => {
      if (await route(req, res)) return;
      seen = req.headers;
      kept = purposeOf(req);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":{}}');
    });
  });
  afterAll(() => http.close());

  const post = async (path: string, headers: Record<string, string>) => {
    seen = undefined;
    const response = await fetch(new URL(path, http.url), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ serviceCatalog { code } }"}' });
    return { status: response.status, body: (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] } };
  };

  it('answers a malformed purpose with 400 BAD_USER_INPUT naming the rule, before anything else', async () => {
    for (const [purpose, rule] of [
      ['application:42', 'PURPOSE_APPLICATION_ID'],
      ['legal-basis:BECAUSE', 'PURPOSE_LEGAL_BASIS'],
      ['marketing', 'PURPOSE_FORMAT'],
    ] as const) {
      for (const path of ['/graphql', '/live/applications/x']) {
        const response = await post(path, { 'x-simpul-purpose': purpose });
        expect(response.status).toBe(400);
        expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'x-simpul-purpose', rule });
        expect(seen).toBeUndefined();
      }
    }
  });

  it('lets a well-formed purpose, or none, through and keeps it, normalised, for the request context', async () => {
    expect((await post('/graphql', { 'x-simpul-purpose': `application:${APPLICATION.toUpperCase()}` })).status).toBe(200);
    expect(kept).toBe(`application:${APPLICATION}`);
    expect((await post('/live/applications/x', { 'x-simpul-purpose': 'legal-basis:CITIZEN_OWN_DATA_REQUEST' })).status).toBe(200);
    expect(kept).toBe('legal-basis:CITIZEN_OWN_DATA_REQUEST');
    expect((await post('/graphql', {})).status).toBe(200);
    expect(kept).toBeUndefined();
  });

  it('leaves the purpose of routes that take none unread', async () => {
    expect((await post('/participants/tasks/x/status', { 'x-simpul-purpose': 'nonsense' })).status).toBe(200);
    expect(kept).toBeUndefined();
  });

  it('drops a client’s own x-simpul-context on every path', async () => {
    await post('/graphql', { [INTERNAL_CONTEXT_HEADER]: 'forged' });
    expect(seen).toBeDefined();
    expect(seen?.[INTERNAL_CONTEXT_HEADER]).toBeUndefined();
    await post('/participants/tasks/x/status', { [INTERNAL_CONTEXT_HEADER]: 'forged' });
    expect(seen?.[INTERNAL_CONTEXT_HEADER]).toBeUndefined();
  });
});

describe('SubgraphDataSource signing the internal context', () => {
  let subgraph: Server;
  let url: string;
  let received: IncomingHttpHeaders | undefined;
  beforeAll(async () => {
    subgraph = createServer((req, res) => {
      received = req.headers;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: { serviceCatalog: [] } }));
      });
    });
    await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    subgraph.closeAllConnections();
    await new Promise((resolve) => subgraph.close(resolve));
  });

  function fetchAs(dataSource: SubgraphDataSource, principal: Principal | undefined, clientHeaders: Record<string, string>, purpose?: string) {
    received = undefined;
    const incomingHeaders = new HeaderMap(Object.entries(clientHeaders));
    return dataSource.process({
      kind: 'incoming operation',
      // What a plan's fetch starts from: a request whose headers a client could not have set.
      request: { query: '{ serviceCatalog { code } }', http: { method: 'POST', url, headers: new HeaderMap([[INTERNAL_CONTEXT_HEADER, 'forged']]) } },
      context: { correlationId: 'corr-9', logger, principal, purpose },
      incomingRequestContext: { request: { http: { method: 'POST', headers: incomingHeaders, search: '' } } },
      pathInIncomingRequest: [],
    } as unknown as Parameters<SubgraphDataSource['process']>[0]);
  }

  it('signs each fetch for the request’s principal and purpose, replacing anything else', async () => {
    const dataSource = new SubgraphDataSource({ name: 'dukcapil', url, timeoutMs: 2000, logger, signer: createInternalContextSigner(keys.privateKey) });
    const response = await fetchAs(dataSource, WARGA, { [INTERNAL_CONTEXT_HEADER]: 'forged-too' }, 'legal-basis:CITIZEN_OWN_DATA_REQUEST');
    expect(response.errors).toBeUndefined();
    const token = received?.[INTERNAL_CONTEXT_HEADER] as string;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // Bound to this subgraph and to the fetch's query and variables.
    const requestHash = graphqlRequestHash('{ serviceCatalog { code } }', undefined);
    await expect(verifyInternalContext(token, keys.publicKey, 'dukcapil')).resolves.toEqual({
      subject: 'user-warga',
      client: 'mpp-console',
      actorType: 'user',
      roles: ['citizen'],
      nik: '3510011501900001',
      purpose: 'legal-basis:CITIZEN_OWN_DATA_REQUEST',
      correlationId: 'corr-9',
      audience: 'dukcapil',
      requestHash,
    });
    await expect(verifyInternalContext(token, keys.publicKey, 'tax')).rejects.toThrow(/not for this service/);

    await fetchAs(dataSource, BANK, {});
    const bank = await verifyInternalContext(received?.[INTERNAL_CONTEXT_HEADER] as string, keys.publicKey, 'dukcapil');
    expect(bank).toEqual({ subject: 'service-account-bank-bpd', client: 'bank-bpd', actorType: 'client', roles: ['participant:bank-bpd'], correlationId: 'corr-9', audience: 'dukcapil', requestHash });
  });

  it('sends no context at all without a signing key', async () => {
    const dataSource = new SubgraphDataSource({ name: 'dukcapil', url, timeoutMs: 2000, logger });
    await fetchAs(dataSource, WARGA, { [INTERNAL_CONTEXT_HEADER]: 'forged' });
    expect(received).toBeDefined();
    expect(received?.[INTERNAL_CONTEXT_HEADER]).toBeUndefined();
  });
});

describe('INTERNAL_CONTEXT_PRIVATE_KEY', () => {
  const schema = internalContextEnvShape.INTERNAL_CONTEXT_PRIVATE_KEY;
  it('takes the private JWK, and refuses the public one or garbage', () => {
    expect(schema.safeParse(JSON.stringify(keys.privateKey)).success).toBe(true);
    expect(schema.safeParse(undefined).success).toBe(true);
    expect(schema.safeParse('').data).toBeUndefined();
    expect(schema.safeParse(JSON.stringify(keys.publicKey)).error?.issues[0]?.message).toMatch(/no valid "d"/);
    expect(schema.safeParse('{').error?.issues[0]?.message).toMatch(/not JSON/);
  });
});
