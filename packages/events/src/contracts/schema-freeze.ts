import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { EventContract } from './define-event';
import { EVENT_CONTRACTS } from './registry';

// Published event versions are immutable: consumers in other services (and other institutions)
// were built against them. Each version's JSON Schema is frozen in fixtures/schemas/ and compared
// on every test run; a different schema for an existing version means: add a v2 instead.

/** packages/events/fixtures (the same relative path from src/contracts and dist/contracts). */
export const FIXTURES_DIR = join(__dirname, '../../fixtures');
export const FROZEN_SCHEMAS_DIR = join(FIXTURES_DIR, 'schemas');

/** The wire JSON Schema of an event version (what a producer may send and a consumer must accept). */
export function contractJsonSchema(contract: EventContract): unknown {
  return normalize(z.toJSONSchema(contract.envelope, { io: 'input', target: 'draft-2020-12' }));
}

// Only what a message must look like is frozen. zod emits its own regex next to `format` for
// uuid/date-time, whose text may change between zod releases without the contract changing, so the
// frozen schema keeps only the format; descriptions are documentation and may be reworded.
function normalize(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => normalize(item));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const record = node as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    if (!isPropertyMap && key === 'pattern' && typeof record.format === 'string') continue;
    if (!isPropertyMap && key === 'description') continue;
    out[key] = normalize(record[key], !isPropertyMap && key === 'properties');
  }
  return out;
}

export function frozenSchemaPath(name: string, dir = FROZEN_SCHEMAS_DIR): string {
  return join(dir, `${name}.schema.json`);
}

export type FrozenSchemaStatus =
  | { name: string; status: 'unchanged' }
  /** A version with no frozen schema yet: a new version, freeze it with `--update`. */
  | { name: string; status: 'new' }
  /** The schema of a published version changed: a breaking change for its consumers. */
  | { name: string; status: 'changed'; differences: string[] }
  /** A frozen version no longer has a contract: consumers of it would break. */
  | { name: string; status: 'removed' };

export function checkFrozenSchemas(dir = FROZEN_SCHEMAS_DIR, contracts: readonly EventContract[] = EVENT_CONTRACTS): FrozenSchemaStatus[] {
  const results: FrozenSchemaStatus[] = [];
  for (const contract of contracts) {
    const path = frozenSchemaPath(contract.name, dir);
    if (!existsSync(path)) {
      results.push({ name: contract.name, status: 'new' });
      continue;
    }
    const frozen: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const differences = diffJson(frozen, contractJsonSchema(contract));
    results.push(differences.length === 0 ? { name: contract.name, status: 'unchanged' } : { name: contract.name, status: 'changed', differences });
  }
  const names = new Set<string>(contracts.map((c) => c.name));
  if (existsSync(dir)) {
    for (const file of readdirSync(dir).sort()) {
      const name = file.replace(/\.schema\.json$/, '');
      if (file.endsWith('.schema.json') && !names.has(name)) results.push({ name, status: 'removed' });
    }
  }
  return results;
}

/** Writes the schema of every version not frozen yet. Never touches an existing file. */
export function freezeNewSchemas(dir = FROZEN_SCHEMAS_DIR, contracts: readonly EventContract[] = EVENT_CONTRACTS): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const contract of contracts) {
    const path = frozenSchemaPath(contract.name, dir);
    if (existsSync(path)) continue;
    writeFileSync(path, `${JSON.stringify(contractJsonSchema(contract), null, 2)}\n`);
    written.push(path);
  }
  return written;
}

export function describeSchemaProblem(result: FrozenSchemaStatus): string | undefined {
  switch (result.status) {
    case 'unchanged':
      return undefined;
    case 'new':
      return `${result.name} has no frozen schema. If it is a new version, freeze it: npm run schemas:freeze -w @simpul/events`;
    case 'changed':
      return (
        `${result.name} changed after it was published (${result.differences.slice(0, 8).join('; ')}). ` +
        `Published versions are immutable: restore it and add the change as a new version ` +
        `(a v2 contract with its own topic, fixtures and frozen schema) instead.`
      );
    case 'removed':
      return `${result.name} was removed, but consumers may still depend on it: keep its contract (deprecate it, do not delete it).`;
  }
}

/** JSON-pointer-ish paths where two JSON values differ. */
export function diffJson(before: unknown, after: unknown, path = ''): string[] {
  if (before === after) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) {
    return [`${path || '/'}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`];
  }
  const differences: string[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const child = `${path}/${key}`;
    if (!(key in after)) differences.push(`${child}: removed`);
    else if (!(key in before)) differences.push(`${child}: added`);
    else differences.push(...diffJson(before[key], after[key], child));
  }
  return differences;
}
