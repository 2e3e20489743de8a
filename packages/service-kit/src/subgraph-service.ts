import type { z } from 'zod';
import { openDatabase, serviceSchemaName, type Database } from './database';
import { loadEnv, serviceEnvSchema, type ServiceEnv } from './env';
import type { Logger } from './logger';
import type { RunningService } from './run-service';
import { seedIfEmpty, type SeedProgress } from './seeding';
import { serveSubgraph, type RequestContext, type Subgraph } from './subgraph-server';

export interface SubgraphServiceDefinition<
  TSchema extends Record<string, unknown>,
  TEnv extends ServiceEnv,
  // The service's own request context (with its loaders); ApolloServer is invariant in it.
  TContext extends RequestContext = RequestContext,
> {
  name: string;
  /** Defaults to the shared service variables; pass `defineServiceEnv({...})` for more. */
  envSchema?: z.ZodType<TEnv>;
  schema: TSchema;
  migrationsFolder: string;
  demoData: {
    hasData(db: Database<TSchema>): Promise<boolean>;
    /** Writes this service's slice of the synthetic world for `citizens` people and PRNG `seed`. */
    seed(db: Database<TSchema>, options: { citizens: number; seed: number }, progress: SeedProgress): Promise<void>;
  };
  createSubgraph(deps: {
    db: Database<TSchema>;
    /** Which engine is behind `db` (PGlite is a single connection). */
    engine: 'postgres' | 'pglite';
    env: TEnv;
    logger: Logger;
    production: boolean;
    ready: () => Promise<void>;
  }): Promise<Subgraph<TContext>>;
  /**
   * Work beside the HTTP server (event consumers, outbox relays): started once the database is
   * migrated and the subgraph built, stopped before the server and the database close.
   */
  startWorkers?(deps: { db: Database<TSchema>; env: TEnv; logger: Logger }): Promise<{ stop(): Promise<void> }>;
}

/** env → database (migrated) → demo data if asked → HTTP server; stopping closes them in reverse. */
export async function startSubgraphService<
  TSchema extends Record<string, unknown>,
  TEnv extends ServiceEnv,
  TContext extends RequestContext = RequestContext,
>(
  definition: SubgraphServiceDefinition<TSchema, TEnv, TContext>,
  logger: Logger,
  source: NodeJS.ProcessEnv = process.env,
): Promise<RunningService & { port: number }> {
  const env = loadEnv((definition.envSchema ?? serviceEnvSchema) as z.ZodType<TEnv>, source);
  const database = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    schema: definition.schema,
    serviceSchema: serviceSchemaName(definition.name),
    migrationsFolder: definition.migrationsFolder,
  });
  logger.info({ engine: database.engine }, 'database migrated');
  const citizens = env.SEED_CITIZENS;
  if (citizens) {
    await seedIfEmpty({
      logger,
      hasData: () => definition.demoData.hasData(database.db),
      seed: (progress) => definition.demoData.seed(database.db, { citizens, seed: env.SEED }, progress),
    });
  }
  const subgraph = await definition.createSubgraph({
    db: database.db,
    engine: database.engine,
    env,
    logger,
    production: env.NODE_ENV === 'production',
    ready: database.ping,
  });
  let workers: { stop(): Promise<void> } | undefined;
  try {
    workers = await definition.startWorkers?.({ db: database.db, env, logger });
  } catch (error) {
    await database.close();
    throw error;
  }
  const http = await serveSubgraph(subgraph, { host: env.HOST, port: env.PORT }).catch(async (error: unknown) => {
    await workers?.stop();
    await database.close();
    throw error;
  });
  return {
    url: http.url,
    port: http.port,
    async stop() {
      // Workers first, while the database is open: the event in flight finishes, the relay its batch.
      await workers?.stop();
      await http.stop();
      await database.close();
    },
  };
}
