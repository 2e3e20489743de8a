import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * Any drizzle Postgres database or transaction (node-postgres or PGlite), whatever the service's
 * schema: the outbox and inbox only touch their own tables.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PgExecutor = PgDatabase<PgQueryResultHKT, any, any>;

export type { TransactionOf } from '@simpul/service-kit';
