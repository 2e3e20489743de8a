import { parse } from 'graphql';
import type { Database } from './database';
import { createLogger } from './logger';
import { subgraphFactory, type LoadersContext } from './subgraph-factory';
import { serveSubgraph } from './subgraph-server';

type Loaders = { db: unknown; instance: number };

const db = { name: 'stand-in database' } as unknown as Database<Record<string, never>>;
const logger = createLogger('subgraph-factory-spec', 'silent');

let created = 0;
const createDemoSubgraph = subgraphFactory({
  name: 'demo',
  typeDefs: parse('type Query { loaderInstance: Int! loadersGotDatabase: Boolean! }'),
  resolvers: {
    Query: {
      loaderInstance: (_: unknown, __: unknown, context: LoadersContext<Loaders>) => context.loaders.instance,
      loadersGotDatabase: (_: unknown, __: unknown, context: LoadersContext<Loaders>) => context.loaders.db === db,
    },
  },
  createLoaders: (database: Database<Record<string, never>>): Loaders => ({ db: database, instance: ++created }),
});

async function post(url: string, query: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
}

describe('subgraphFactory', () => {
  it('gives every request fresh loaders built over the service database', async () => {
    const http = await serveSubgraph(await createDemoSubgraph({ db, logger }), {});
    const before = created;
    try {
      const first = await post(http.url, '{ loaderInstance loadersGotDatabase }');
      const second = await post(http.url, '{ loaderInstance }');
      expect(first.body.data).toEqual({ loaderInstance: before + 1, loadersGotDatabase: true });
      expect(second.body.data).toEqual({ loaderInstance: before + 2 });
    } finally {
      await http.stop();
    }
  });

  it('hides the schema from introspection in production only', async () => {
    const introspection = '{ __schema { queryType { name } } }';
    // Production requires auditing (AUDIT_URL); nothing here touches personal data, so nothing is sent.
    const audit = { sink: { append: () => Promise.reject(new Error('no personal data here')) }, nikHashPepper: 'a-pepper-of-16-chars' };
    for (const [production, allowed] of [[false, true], [true, false]] as const) {
      const http = await serveSubgraph(await createDemoSubgraph({ db, logger, production, ...(production ? { audit } : {}) }), {});
      try {
        const { body } = await post(http.url, introspection);
        expect(body.errors === undefined).toBe(allowed);
      } finally {
        await http.stop();
      }
    }
  });

  it('answers /readyz with the readiness check it is given', async () => {
    let databaseUp = true;
    const ready = async () => {
      if (!databaseUp) throw new Error('database down');
    };
    const http = await serveSubgraph(await createDemoSubgraph({ db, logger, ready }), {});
    try {
      const readyz = new URL('/readyz', http.url);
      expect((await fetch(readyz)).status).toBe(200);
      databaseUp = false;
      expect((await fetch(readyz)).status).toBe(503);
    } finally {
      await http.stop();
    }
  });
});
