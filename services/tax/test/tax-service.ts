import { join } from 'node:path';
import { createLogger, createQueryCounter, openDatabase, serveSubgraph, type OpenedDatabase } from '@simpul/service-kit';
import { createTestDatabase, type TestDatabase } from '@simpul/testing';
import { createTaxSubgraph } from '../src/app';
import { schema, type TaxSchema } from '../src/db/schema';
import { seed } from '../src/db/seed';

/** The tax subgraph on a fresh Postgres database seeded with the given world, on a random port. */
export async function startTaxService(world: { citizens: number; seed: number }) {
  const counter = createQueryCounter();
  let testDb: TestDatabase | undefined;
  let database: OpenedDatabase<TaxSchema> | undefined;
  let http: Awaited<ReturnType<typeof serveSubgraph>> | undefined;
  const stop = async () => {
    await http?.stop();
    await database?.close();
    await testDb?.drop();
  };
  try {
    testDb = await createTestDatabase('tax');
    database = await openDatabase({
      url: testDb.url,
      schema,
      serviceSchema: 'tax',
      migrationsFolder: join(__dirname, '../migrations'),
      logger: counter,
    });
    await seed(database.db, world);
    http = await serveSubgraph(await createTaxSubgraph({ db: database.db, logger: createLogger('tax', 'silent') }), {});
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: http.url, db: database.db, counter, stop };
}

export type RunningTaxService = Awaited<ReturnType<typeof startTaxService>>;
