import {
  createLogger,
  createQueryCounter,
  openDatabase,
  serveSubgraph,
  serviceSchemaName,
  type Database,
  type Logger,
  type OpenedDatabase,
  type QueryCounter,
  type RequestContext,
  type Subgraph,
} from '@simpul/service-kit';
import { createTestCallerSigner, createTestInternalContextKeys, type TestCaller, type TestInternalContextKeys } from './internal-context';
import { createTestDatabase, type TestDatabase } from './postgres';

/** The synthetic world a test seeds: `generateWorld(world)` gives the data it should find. */
export interface TestWorld {
  citizens: number;
  seed: number;
}

/**
 * The parts of a service's `startSubgraphService` definition that a test runs: the same object
 * serves both, so tests migrate, seed and build the subgraph exactly as the service does.
 */
export interface SubgraphServiceUnderTest<TSchema extends Record<string, unknown>, TContext extends RequestContext> {
  name: string;
  schema: TSchema;
  migrationsFolder: string;
  demoData: { seed(db: Database<TSchema>, world: TestWorld): Promise<void> };
  createSubgraph(deps: { db: Database<TSchema>; logger: Logger; internalContextPublicKey?: string }): Promise<Subgraph<TContext>>;
}

export interface SubgraphOnPostgresOptions {
  /**
   * The gateway's public JWK (JSON): the subgraph then refuses requests without a context signed
   * with its private half, and enforces every field's `@access` (see startSecuredSubgraphOnPostgres).
   */
  internalContextPublicKey?: string;
}

export interface SubgraphOnPostgres<TSchema extends Record<string, unknown>> {
  /** The subgraph's GraphQL endpoint. */
  url: string;
  /** The service's own database, for asserting on what is stored. */
  db: Database<TSchema>;
  /** Counts every SQL statement run on `db`, the subgraph's and the test's; `reset()` before what is measured. */
  counter: QueryCounter;
  /** Stops the server, closes the database pool and drops the database. */
  stop(): Promise<void>;
}

/**
 * A subgraph service on a fresh database of its own on the test Postgres server: migrated, seeded
 * with the service's slice of `world`, and served on a random port with a silent logger. If any
 * step fails, what was already started is stopped again before the error is rethrown.
 */
export async function startSubgraphOnPostgres<TSchema extends Record<string, unknown>, TContext extends RequestContext>(
  service: SubgraphServiceUnderTest<TSchema, TContext>,
  world: TestWorld,
  options: SubgraphOnPostgresOptions = {},
): Promise<SubgraphOnPostgres<TSchema>> {
  const counter = createQueryCounter();
  let testDb: TestDatabase | undefined;
  let database: OpenedDatabase<TSchema> | undefined;
  let subgraph: Subgraph<TContext> | undefined;
  let http: Awaited<ReturnType<typeof serveSubgraph>> | undefined;
  const stop = async () => {
    // Stopping the HTTP server stops the subgraph's Apollo server too.
    await (http ? http.stop() : subgraph?.apollo.stop());
    await database?.close();
    await testDb?.drop();
  };
  try {
    testDb = await createTestDatabase(service.name);
    database = await openDatabase({
      url: testDb.url,
      schema: service.schema,
      serviceSchema: serviceSchemaName(service.name),
      migrationsFolder: service.migrationsFolder,
      logger: counter,
    });
    await service.demoData.seed(database.db, world);
    const logger = createLogger(service.name, 'silent');
    subgraph = await service.createSubgraph(
      options.internalContextPublicKey === undefined ? { db: database.db, logger } : { db: database.db, logger, internalContextPublicKey: options.internalContextPublicKey },
    );
    http = await serveSubgraph(subgraph, {});
  } catch (error) {
    // The original failure is the one worth reporting; a cleanup error would only hide it.
    await stop().catch(() => undefined);
    throw error;
  }
  return { url: http.url, db: database.db, counter, stop };
}

export interface SecuredSubgraphOnPostgres<TSchema extends Record<string, unknown>> extends SubgraphOnPostgres<TSchema> {
  /** The key pair the subgraph verifies with (public) and the test signs with (private). */
  keys: TestInternalContextKeys;
  /** Signed `x-simpul-context` headers of `caller`, as the gateway would send them. */
  headersFor(caller: TestCaller): Promise<Record<string, string>>;
}

/**
 * startSubgraphOnPostgres with the security of a production subgraph: a fresh gateway key pair,
 * the subgraph given its public half (a request without a valid signed context is a 401, and every
 * field's `@access` / `@personalData` is enforced), and `headersFor(caller)` to call it as a role.
 */
export async function startSecuredSubgraphOnPostgres<TSchema extends Record<string, unknown>, TContext extends RequestContext>(
  service: SubgraphServiceUnderTest<TSchema, TContext>,
  world: TestWorld,
): Promise<SecuredSubgraphOnPostgres<TSchema>> {
  const keys = await createTestInternalContextKeys();
  const subgraph = await startSubgraphOnPostgres(service, world, { internalContextPublicKey: keys.publicKey });
  const signer = createTestCallerSigner(keys.privateKey, service.name);
  return { ...subgraph, keys, headersFor: (caller) => signer.headers(caller) };
}
