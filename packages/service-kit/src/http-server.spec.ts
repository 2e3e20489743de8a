import { ApolloServer } from '@apollo/server';
import { createGraphQLHandler, listen, MAX_BODY_BYTES, type RunningHttpServer } from './http-server';
import { registerReadinessCheck } from './observability/health';
import { gatewayRequests } from './observability/metrics';

let apollo: ApolloServer;
let http: RunningHttpServer;
let ready = true;

beforeAll(async () => {
  apollo = new ApolloServer({ typeDefs: 'type Query { hello(name: String!): String! }', resolvers: { Query: { hello: (_: unknown, a: { name: string }) => `Halo, ${a.name}` } } });
  await apollo.start();
  http = await listen(
    createGraphQLHandler({
      server: apollo,
      context: async () => ({}),
      ready: async () => {
        if (!ready) throw new Error('db down');
      },
    }),
  );
});
afterAll(async () => {
  await http.close();
  await apollo.stop();
});

const base = () => http.url.replace(/\/graphql$/, '');

describe('GraphQL over node:http', () => {
  it('serves GraphQL POSTs', async () => {
    const res = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello(name: "Siak") }' }) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { hello: 'Halo, Siak' } });
  });

  it('reports health and readiness', async () => {
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
    ready = false;
    const notReady = await fetch(`${base()}/readyz`);
    expect(notReady.status).toBe(503);
    // The failing dependency is named, with why.
    expect(await notReady.json()).toMatchObject({ status: 'not ready', reason: 'service: db down', checks: { service: { status: 'failing', reason: 'db down' } } });
    ready = true;
  });

  it('adds the process-wide checks, and an optional one failing leaves the process ready', async () => {
    const removeBroker = registerReadinessCheck('broker', async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:4011');
    });
    const removeAudit = registerReadinessCheck('audit-log', { check: () => Promise.reject(new Error('unreachable')), required: false });
    try {
      const res = await fetch(`${base()}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { reason: string }).reason).toBe('broker: connect ECONNREFUSED 127.0.0.1:4011');
      removeBroker();
      const optional = await fetch(`${base()}/readyz`);
      expect(optional.status).toBe(200);
      expect(await optional.json()).toMatchObject({ status: 'ready', checks: { 'audit-log': { status: 'failing', required: false }, service: { status: 'ok' } } });
    } finally {
      removeBroker();
      removeAudit();
    }
  });

  it('serves the Prometheus metrics', async () => {
    gatewayRequests.inc({ operation: 'UnifiedProfile', outcome: 'ok' });
    const res = await fetch(`${base()}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^simpul_gateway_requests_total\{operation="UnifiedProfile",outcome="ok"\} [1-9]/m);
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
  });

  it('refuses oversized bodies with 413 and malformed JSON with 400', async () => {
    const big = JSON.stringify({ query: `{ hello(name: "${'x'.repeat(MAX_BODY_BYTES)}") }` });
    const tooLarge = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(tooLarge.status).toBe(413);
    const malformed = await fetch(http.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('answers 404 off the GraphQL path', async () => {
    expect((await fetch(`${base()}/nope`)).status).toBe(404);
  });
});
