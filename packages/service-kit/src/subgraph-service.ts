import { z } from 'zod';
import { auditOptionsFromEnv, type AuditOptions } from './audit/audit-config';
import { openDatabase, serviceSchemaName, type Database } from './database';
import { loadEnv, serviceEnvSchema, type ServiceEnv } from './env';
import type { Logger } from './logger';
import { runService, type RunningService } from './run-service';
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
  /** `false` only for the audit log itself, which records its own reads; others get AUDIT_URL's (required in production). */
  audit?: false;
  demoData: {
    hasData(db: Database<TSchema>): Promise<boolean>;
    /** Writes this service's slice of the synthetic world for `citizens` people and PRNG `seed` (`env`: the parsed environment). */
    seed(db: Database<TSchema>, options: { citizens: number; seed: number; env: TEnv }, progress: SeedProgress): Promise<void>;
  };
  createSubgraph(deps: {
    db: Database<TSchema>;
    /** Which engine is behind `db` (PGlite is a single connection). */
    engine: 'postgres' | 'pglite';
    env: TEnv;
    logger: Logger;
    production: boolean;
    ready: () => Promise<void>;
    /** Where personal-data accesses are recorded (from the parsed env); undefined: not recorded. */
    audit?: AuditOptions;
    /** The gateway's public JWK verifying `x-simpul-context` (INTERNAL_CONTEXT_PUBLIC_KEY). */
    internalContextPublicKey?: string;
  }): Promise<Subgraph<TContext>>;
  /**
   * The participant's task worker (participantTasks of @simpul/events): its variables are parsed with
   * the service's; it starts once the database is migrated and the subgraph built, and stops before
   * the server and the database close.
   */
  tasks?: ServiceTasks<TSchema, TEnv>;
}

/** Work a service runs beside its HTTP server, declared on its definition; startSubgraphService runs it. */
export interface ServiceTasks<TSchema extends Record<string, unknown>, TEnv> {
  /** The variables it reads, parsed once with the service's own (and listed by `--help`). */
  envShape: z.ZodRawShape;
  start(deps: { db: Database<TSchema>; env: TEnv; logger: Logger }): Promise<{ stop(): Promise<void> }>;
}

/** Every variable the service reads: the shared ones, its own, its task worker's. The one list `--help` prints. */
export function serviceEnvSchemaOf<TEnv extends ServiceEnv>(definition: {
  envSchema?: z.ZodType<TEnv>;
  tasks?: { envShape: z.ZodRawShape };
}): z.ZodType<TEnv> {
  const own = (definition.envSchema ?? serviceEnvSchema) as z.ZodType<TEnv>;
  return (definition.tasks ? z.intersection(own, z.object(definition.tasks.envShape)) : own) as z.ZodType<TEnv>;
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
  const env = loadEnv(serviceEnvSchemaOf(definition), source);
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
      seed: (progress) => definition.demoData.seed(database.db, { citizens, seed: env.SEED, env }, progress),
    });
  }
  const production = env.NODE_ENV === 'production';
  const subgraph = await definition.createSubgraph({
    db: database.db,
    engine: database.engine,
    env,
    logger,
    production,
    ready: database.ping,
    audit: definition.audit === false ? undefined : auditOptionsFromEnv(env, production, definition.name),
    internalContextPublicKey: env.INTERNAL_CONTEXT_PUBLIC_KEY,
  });
  let workers: { stop(): Promise<void> } | undefined;
  try {
    workers = await definition.tasks?.start({ db: database.db, env, logger });
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

/** A subgraph service's process entry (src/index.ts): `--help` lists every variable it reads; otherwise it starts. */
export function runSubgraphService<
  TSchema extends Record<string, unknown>,
  TEnv extends ServiceEnv,
  TContext extends RequestContext = RequestContext,
>(definition: SubgraphServiceDefinition<TSchema, TEnv, TContext>): void {
  runService(definition.name, (logger) => startSubgraphService(definition, logger), { envSchema: serviceEnvSchemaOf(definition) });
}
