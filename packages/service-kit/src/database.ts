import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Logger as DrizzleLogger } from 'drizzle-orm/logger';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { sql } from 'drizzle-orm';
import { Pool } from 'pg';

/** A service's database, whichever engine is behind it (Postgres in production, PGlite embedded). */
export type Database<TSchema extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, TSchema>;

/** The transaction `db.transaction()` hands its callback, for any drizzle Postgres database. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TransactionOf<TDb extends PgDatabase<PgQueryResultHKT, any, any>> = Parameters<Parameters<TDb['transaction']>[0]>[0];

/** A transaction on a service's database: what repositories and task handlers take. */
export type Transaction<TSchema extends Record<string, unknown>> = TransactionOf<Database<TSchema>>;

export interface QueryCounter {
  count: number;
  queries: string[];
  reset(): void;
}

export function createQueryCounter(): QueryCounter & DrizzleLogger {
  return {
    count: 0,
    queries: [],
    reset() {
      this.count = 0;
      this.queries = [];
    },
    logQuery(query: string) {
      this.count += 1;
      this.queries.push(query);
    },
  };
}

/** The Postgres schema that owns a service's tables: its name with underscores (`religious-affairs` → `religious_affairs`). */
export function serviceSchemaName(serviceName: string): string {
  return serviceName.replace(/-/g, '_');
}

export interface OpenDatabaseOptions<TSchema extends Record<string, unknown>> {
  /** `postgres://…`: production and integration tests. */
  url?: string;
  /** PGlite data directory (embedded default); `memory://` keeps it in memory. */
  dataDir?: string;
  schema: TSchema;
  /** Folder of drizzle-kit SQL migrations, applied on open. */
  migrationsFolder: string;
  /** Postgres schema that owns this service's tables; names its migration journal `drizzle.<schema>_migrations`. */
  serviceSchema: string;
  logger?: DrizzleLogger;
  poolSize?: number;
}

export interface OpenedDatabase<TSchema extends Record<string, unknown>> {
  db: Database<TSchema>;
  engine: 'postgres' | 'pglite';
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase<TSchema extends Record<string, unknown>>(
  options: OpenDatabaseOptions<TSchema>,
): Promise<OpenedDatabase<TSchema>> {
  const migrationConfig = {
    migrationsFolder: options.migrationsFolder,
    // The journal lives outside the service schema, which the first migration creates itself.
    migrationsSchema: 'drizzle',
    migrationsTable: `${options.serviceSchema}_migrations`,
  };
  if (options.url) {
    const pool = new Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle connection the server drops (a restart, a failover, an administrator's terminate) is
    // emitted on the pool; without a listener that error would crash the whole service. The pool
    // has already discarded the connection and opens a new one on the next query.
    pool.on('error', (error) => process.emitWarning(`idle Postgres connection lost: ${error.message}`, 'SimpulDatabaseWarning'));
    const db = drizzleNodePg(pool, { schema: options.schema, logger: options.logger });
    await migrateNodePg(db, migrationConfig);
    return {
      db: db as unknown as Database<TSchema>,
      engine: 'postgres',
      ping: async () => void (await pool.query('select 1')),
      close: () => pool.end(),
    };
  }
  if (!options.dataDir) throw new Error('openDatabase needs a url (Postgres) or a dataDir (PGlite)');
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  const db = drizzlePglite(client, { schema: options.schema, logger: options.logger });
  await migratePglite(db, migrationConfig);
  return {
    db: db as unknown as Database<TSchema>,
    engine: 'pglite',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}

/** Inserts rows in chunks (one statement each), reporting progress; used by demo seeding. */
export async function insertInChunks<T>(
  rows: readonly T[],
  insertChunk: (chunk: T[]) => Promise<unknown>,
  onProgress?: (done: number, total: number) => void,
  chunkSize = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += chunkSize) {
    await insertChunk(rows.slice(i, i + chunkSize));
    onProgress?.(Math.min(i + chunkSize, rows.length), rows.length);
  }
}
