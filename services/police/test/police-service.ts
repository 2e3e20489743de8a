import { join } from 'node:path';
import { createLogger, createQueryCounter, openDatabase, serveSubgraph, type OpenedDatabase } from '@simpul/service-kit';
import { createTestDatabase, type TestDatabase } from '@simpul/testing';
import { createPoliceSubgraph } from '../src/app';
import { schema, type PoliceSchema } from '../src/db/schema';
import { seed } from '../src/db/seed';

/** The police subgraph on a fresh Postgres database seeded with the given world, on a random port. */
export async function startPoliceService(world: { citizens: number; seed: number }) {
  const counter = createQueryCounter();
  let testDb: TestDatabase | undefined;
  let database: OpenedDatabase<PoliceSchema> | undefined;
  let http: Awaited<ReturnType<typeof serveSubgraph>> | undefined;
  const stop = async () => {
    await http?.stop();
    await database?.close();
    await testDb?.drop();
  };
  try {
    testDb = await createTestDatabase('police');
    database = await openDatabase({
      url: testDb.url,
      schema,
      serviceSchema: 'police',
      migrationsFolder: join(__dirname, '../migrations'),
      logger: counter,
    });
    await seed(database.db, world);
    http = await serveSubgraph(await createPoliceSubgraph({ db: database.db, logger: createLogger('police', 'silent') }), {});
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: http.url, db: database.db, counter, stop };
}

export type RunningPoliceService = Awaited<ReturnType<typeof startPoliceService>>;
