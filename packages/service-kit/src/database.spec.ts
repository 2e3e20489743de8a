import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { integer, pgSchema, text } from 'drizzle-orm/pg-core';
import { createQueryCounter, openDatabase } from './database';

const demo = pgSchema('demo');
const notes = demo.table('note', { id: integer('id').primaryKey(), body: text('body').notNull() });

function migrationsFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'simpul-migrations-'));
  mkdirSync(join(dir, 'meta'));
  writeFileSync(
    join(dir, '0000_init.sql'),
    'CREATE SCHEMA "demo";\n--> statement-breakpoint\nCREATE TABLE "demo"."note" ("id" integer PRIMARY KEY NOT NULL, "body" text NOT NULL);\n',
  );
  writeFileSync(
    join(dir, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: [{ idx: 0, version: '7', when: 1, tag: '0000_init', breakpoints: true }] }),
  );
  return dir;
}

describe('openDatabase on embedded PGlite', () => {
  it('migrates once, keeps data across reopen, and counts statements', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'simpul-pglite-'));
    const folder = migrationsFolder();
    const first = await openDatabase({ dataDir, schema: { notes }, serviceSchema: 'demo', migrationsFolder: folder });
    expect(first.engine).toBe('pglite');
    await first.db.insert(notes).values({ id: 1, body: 'Lahir procot pulang bawa akta' });
    await first.close();

    const counter = createQueryCounter();
    const second = await openDatabase({ dataDir, schema: { notes }, serviceSchema: 'demo', migrationsFolder: folder, logger: counter });
    counter.reset();
    expect(await second.db.select().from(notes)).toEqual([{ id: 1, body: 'Lahir procot pulang bawa akta' }]);
    expect(counter.count).toBe(1);
    const journal = await second.db.execute(sql`select count(*)::int as n from drizzle.demo_migrations`);
    expect((journal as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(1);
    await second.close();
  }, 120_000); // PGlite starts its WebAssembly Postgres twice: slow on a loaded 2-core machine
});
