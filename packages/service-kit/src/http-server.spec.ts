import { ApolloServer } from '@apollo/server';
import { createGraphQLHandler, listen, MAX_BODY_BYTES, type RunningHttpServer } from './http-server';

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
    expect((await fetch(`${base()}/readyz`)).status).toBe(503);
    ready = true;
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
