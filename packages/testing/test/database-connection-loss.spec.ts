import { openDatabase } from '@simpul/service-kit';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { Client } from 'pg';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../src/postgres';

// A service's pool must survive Postgres dropping its idle connections (a restart, a failover, an
// administrator's pg_terminate_backend): without an error listener on the pool, node-postgres
// re-emits the error as an unhandled 'error' event and the whole service process crashes.

const probeSchema = pgSchema('connection_loss');
const notes = probeSchema.table('note', { text: text('text').notNull() });

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('connection_loss');
});

afterAll(async () => {
  await database?.drop();
});

it('keeps serving after the server terminates its idle connections', async () => {
  const migrationsFolder = await mkdtemp(join(tmpdir(), 'simpul-connection-loss-'));
  await mkdir(join(migrationsFolder, 'meta'));
  await writeFile(join(migrationsFolder, '0000_init.sql'), 'CREATE SCHEMA "connection_loss";\n--> statement-breakpoint\nCREATE TABLE "connection_loss"."note" ("text" text NOT NULL);');
  await writeFile(
    join(migrationsFolder, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1_740_000_000_000, tag: '0000_init', breakpoints: true }] }),
  );
  const opened = await openDatabase({ url: database.url, schema: { notes }, serviceSchema: 'connection_loss', migrationsFolder });
  try {
    await opened.db.insert(notes).values({ text: 'before' });

    const admin = new Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ terminated: boolean }>(
        'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database.name],
      );
      expect(rows.length).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // The idle clients learn of it asynchronously; give them a moment, then use the pool again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await opened.db.insert(notes).values({ text: 'after' });
    expect((await opened.db.select().from(notes)).map((n) => n.text)).toEqual(['before', 'after']);
  } finally {
    await opened.close();
  }
});
