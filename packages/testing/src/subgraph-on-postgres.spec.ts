import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadTypeDefs, serviceSchemaName, subgraphFactory, type Database } from '@simpul/service-kit';
import { postGraphQL } from './graphql-client';
import { PG_ADMIN_URL } from './postgres';
import { startSubgraphOnPostgres, type TestWorld } from './subgraph-on-postgres';

// A one-table service with a name of its own, so that its test databases are told apart from any other's.
const SERVICE_NAME = `on-postgres-spec-${randomBytes(3).toString('hex')}`;
const SERVICE_SCHEMA = serviceSchemaName(SERVICE_NAME);
const WORLD: TestWorld = { citizens: 5, seed: 3 };

type NoTables = Record<string, never>;

/** drizzle-kit's layout: `<tag>.sql` statements split by breakpoints, listed in `meta/_journal.json`. */
function writeServiceFiles(): { migrationsFolder: string; modulesFolder: string } {
  const root = mkdtempSync(join(tmpdir(), 'simpul-on-postgres-'));
  const migrationsFolder = join(root, 'migrations');
  const modulesFolder = join(root, 'modules');
  mkdirSync(join(migrationsFolder, 'meta'), { recursive: true });
  mkdirSync(modulesFolder);
  writeFileSync(
    join(migrationsFolder, '0000_init.sql'),
    `CREATE SCHEMA "${SERVICE_SCHEMA}";\n--> statement-breakpoint\nCREATE TABLE "${SERVICE_SCHEMA}"."citizen" ("nik" varchar(16) PRIMARY KEY NOT NULL);\n`,
  );
  writeFileSync(
    join(migrationsFolder, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1, tag: '0000_init', breakpoints: true }] }),
  );
  writeFileSync(join(modulesFolder, 'citizen.graphql'), 'type Query { citizenCount: Int! }\n');
  return { migrationsFolder, modulesFolder };
}

async function countCitizens(db: Database<NoTables>): Promise<number> {
  const result = await db.execute(`select count(*)::int as n from "${SERVICE_SCHEMA}".citizen`);
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

const { migrationsFolder, modulesFolder } = writeServiceFiles();
const seededWorlds: TestWorld[] = [];

const demoService = {
  name: SERVICE_NAME,
  schema: {} as NoTables,
  migrationsFolder,
  demoData: {
    async seed(db: Database<NoTables>, world: TestWorld) {
      seededWorlds.push(world);
      await db.execute(`insert into "${SERVICE_SCHEMA}".citizen select lpad(n::text, 16, '0') from generate_series(1, ${world.citizens}) n`);
    },
  },
  createSubgraph: subgraphFactory({
    name: SERVICE_NAME,
    typeDefs: loadTypeDefs(modulesFolder),
    resolvers: { Query: { citizenCount: (_: unknown, __: unknown, context: { loaders: { countCitizens(): Promise<number> } }) => context.loaders.countCitizens() } },
    createLoaders: (db: Database<NoTables>) => ({ countCitizens: () => countCitizens(db) }),
  }),
};

/** The service's databases that exist on the test server right now. */
async function serviceDatabases(): Promise<string[]> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    const prefix = `${SERVICE_SCHEMA}_`;
    const result = await admin.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [prefix]);
    return result.rows.map((row) => row.datname);
  } finally {
    await admin.end();
  }
}

describe('startSubgraphOnPostgres', () => {
  it('migrates and seeds a database of its own, serves the subgraph over it counting statements, and drops it on stop', async () => {
    const running = await startSubgraphOnPostgres(demoService, WORLD);
    try {
      expect(seededWorlds).toEqual([WORLD]);
      expect(await serviceDatabases()).toHaveLength(1);
      running.counter.reset();
      const response = await postGraphQL(running.url, '{ citizenCount }');
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ citizenCount: WORLD.citizens });
      expect(running.counter.count).toBe(1);
      expect(await countCitizens(running.db)).toBe(WORLD.citizens);
    } finally {
      await running.stop();
    }
    expect(await serviceDatabases()).toEqual([]);
  });

  it.each([
    [
      'seeding',
      {
        ...demoService,
        demoData: {
          seed: async () => {
            throw new Error('seeding failed');
          },
        },
      },
    ],
    [
      'building the subgraph',
      {
        ...demoService,
        createSubgraph: async () => {
          throw new Error('building the subgraph failed');
        },
      },
    ],
  ])('rethrows a failure in %s after dropping the database it had made', async (step, failing) => {
    await expect(startSubgraphOnPostgres(failing, WORLD)).rejects.toThrow(`${step} failed`);
    expect(await serviceDatabases()).toEqual([]);
  });
});
