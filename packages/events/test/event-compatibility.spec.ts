import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  EVENT_CONTRACTS,
  FIXTURES_DIR,
  checkFrozenSchemas,
  defineEvent,
  describeSchemaProblem,
  freezeNewSchemas,
  frozenSchemaPath,
  keyOf,
  parseEvent,
  taskStatusDataSchema,
  taskStatusV1,
  topicOf,
  uuidSchema,
} from '../src';

// The guard against breaking consumers: every golden fixture of a published version must still
// parse, and the JSON Schema of each published version must be exactly the frozen one.

function loadFixtures(name: string): unknown[] {
  const fixtures: unknown = JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8'));
  if (!Array.isArray(fixtures)) throw new Error(`${name}.json must be an array of example events`);
  return fixtures;
}

describe('published event versions', () => {
  describe.each(EVENT_CONTRACTS.map((contract) => [contract.name, contract] as const))('%s', (name, contract) => {
    it('still parses every golden fixture', () => {
      const fixtures = loadFixtures(name);
      expect(fixtures.length).toBeGreaterThanOrEqual(3);
      for (const fixture of fixtures) {
        const result = parseEvent(JSON.stringify(fixture));
        if (!result.ok) throw new Error(`${name} fixture ${JSON.stringify(fixture).slice(0, 120)}… no longer parses: ${result.error.message}`);
        expect(result.event.type).toBe(contract.type);
        expect(result.event.version).toBe(contract.version);
        expect(keyOf(result.event)).toBe((result.event.data as { applicationId: string }).applicationId);
        expect(topicOf(result.event)).toMatch(/^mpp\.[a-z.-]+\.v1$/);
      }
    });
  });

  it('keeps the frozen JSON Schema of every published version (add a v2 for a breaking change)', () => {
    const problems = checkFrozenSchemas()
      .map(describeSchemaProblem)
      .filter((problem) => problem !== undefined);
    expect(problems).toEqual([]);
  });

  it('has a fixture file only for versions that exist', () => {
    const names = new Set<string>(EVENT_CONTRACTS.map((c) => c.name));
    const fixtureNames = readdirSync(FIXTURES_DIR)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.replace(/\.json$/, ''));
    expect(fixtureNames.filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('frozen schema check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'simpul-event-schemas-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fails a changed existing version and tells to add a v2', () => {
    freezeNewSchemas(dir, [taskStatusV1]);
    // A "small" change: a new required field. Consumers of v1 would reject or mis-handle it.
    const changed = defineEvent({
      type: 'mpp.task.status',
      version: 1,
      description: taskStatusV1.description,
      data: taskStatusDataSchema.safeExtend({ officer: z.string() }),
      subject: uuidSchema,
      topic: taskStatusV1.topic,
      key: taskStatusV1.key,
    });
    const [result] = checkFrozenSchemas(dir, [changed]);
    expect(result).toMatchObject({ name: 'mpp.task.status.v1', status: 'changed' });
    expect(result?.status === 'changed' && result.differences.join('\n')).toContain('/properties/data/properties/officer: added');
    expect(describeSchemaProblem(result!)).toMatch(/add the change as a new version \(a v2 contract/);
  });

  it('--update freezes only new versions and never rewrites an existing one', () => {
    const path = frozenSchemaPath(taskStatusV1.name, dir);
    writeFileSync(path, '{"tampered":true}\n');
    const written = freezeNewSchemas(dir, EVENT_CONTRACTS);
    expect(written).not.toContain(path);
    expect(written).toHaveLength(EVENT_CONTRACTS.length - 1);
    expect(readFileSync(path, 'utf8')).toBe('{"tampered":true}\n');
    const statuses = checkFrozenSchemas(dir, EVENT_CONTRACTS);
    expect(statuses.filter((s) => s.status !== 'unchanged').map((s) => s.name)).toEqual([taskStatusV1.name]);
  });

  it('reports a new version without a frozen schema and a removed version', () => {
    writeFileSync(frozenSchemaPath('mpp.task.cancelled.v1', dir), '{}\n');
    const statuses = checkFrozenSchemas(dir, [taskStatusV1]);
    expect(statuses).toEqual([
      { name: 'mpp.task.status.v1', status: 'new' },
      { name: 'mpp.task.cancelled.v1', status: 'removed' },
    ]);
    expect(statuses.map(describeSchemaProblem).join('\n')).toMatch(/schemas:freeze[\s\S]*keep its contract/);
  });
});
