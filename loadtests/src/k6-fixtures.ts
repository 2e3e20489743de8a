import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateWorld } from '@simpul/synthetic-data';
import { displayPath } from './display-path';
import { k6Fixture } from './workload/k6-fixture';

/** loadtests/dist → loadtests/k6/fixtures, where k6/unified-citizen.ts looks by default. */
const DEFAULT_OUTPUT = resolve(__dirname, '..', 'k6', 'fixtures', 'unified-citizen.json');

/**
 * Writes the k6 fixture: the same query and NIK rotation the Node runner measures, for the world a
 * stack was seeded with. Usage: node loadtests/dist/k6-fixtures.js [--citizens 2000] [--seed N] [--output file]
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { citizens: { type: 'string' }, seed: { type: 'string' }, output: { type: 'string' } },
  });
  const citizens = Number(values.citizens ?? 2000);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (!Number.isInteger(citizens) || citizens < 1) throw new Error(`--citizens must be a positive whole number`);
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`--seed must be a whole number`);

  const world = generateWorld({ citizens, seed });
  const output = resolve(values.output ?? DEFAULT_OUTPUT);
  const fixture = k6Fixture(world);
  await mkdir(dirname(output), { recursive: true });
  await writeFile(output, `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`wrote ${displayPath(output)}: ${fixture.niks.length} NIKs, world seed ${world.seed}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
