import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The operations a gateway in allow-list mode executes, by id and by the hash of their text. */
export interface PersistedQueryList {
  /** Operation text by the id clients send as `extensions.persistedQuery.sha256Hash`. */
  readonly byId: ReadonlyMap<string, string>;
  /** SHA-256 (hex) of every listed operation text: a full-text request must match one exactly. */
  readonly textHashes: ReadonlySet<string>;
}

export class PersistedQueryListError extends Error {
  override name = 'PersistedQueryListError';
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Reads an allow-list manifest, in either form:
 * - Apollo's persisted query manifest (`@apollo/generate-persisted-query-manifest`):
 *   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", "name", "type" }] }`;
 * - a plain map `{ "<sha256 of the query>": "<query>" }`, where every key must be the SHA-256 (hex) of
 *   its query, as automatic persisted queries hash them.
 */
export function parsePersistedQueryList(json: unknown, source = 'manifest'): PersistedQueryList {
  const byId = new Map<string, string>();
  const fail = (message: string): never => {
    throw new PersistedQueryListError(`${source}: ${message}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected a JSON object');
  const manifest = json as Record<string, unknown>;

  if (manifest.format === 'apollo-persisted-query-manifest') {
    if (manifest.version !== 1) fail(`unsupported manifest version ${JSON.stringify(manifest.version)} (expected 1)`);
    if (!Array.isArray(manifest.operations)) fail('"operations" must be a list');
    (manifest.operations as unknown[]).forEach((operation, index) => {
      const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
      if (typeof id !== 'string' || id === '') fail(`operations[${index}].id must be a non-empty string`);
      if (typeof body !== 'string' || body.trim() === '') fail(`operations[${index}].body must be a non-empty string`);
      if (byId.has(id as string) && byId.get(id as string) !== body) fail(`operations[${index}]: id ${String(id)} is listed twice with different bodies`);
      byId.set(id as string, body as string);
    });
  } else {
    for (const [hash, query] of Object.entries(manifest)) {
      if (!SHA256_HEX.test(hash)) fail(`key "${hash}" is not a lowercase hex SHA-256`);
      if (typeof query !== 'string' || query.trim() === '') fail(`the query of ${hash} must be a non-empty string`);
      if (sha256Hex(query as string) !== hash) fail(`key ${hash} is not the SHA-256 of its query`);
      byId.set(hash, query as string);
    }
  }
  if (byId.size === 0) fail('lists no operation');
  return { byId, textHashes: new Set([...byId.values()].map(sha256Hex)) };
}

export function loadPersistedQueryList(path: string): PersistedQueryList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PersistedQueryListError(`cannot read the persisted query list ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PersistedQueryListError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePersistedQueryList(json, path);
}

/** What the allow-list decides for one GraphQL request (the query text and extensions it carries). */
export type AllowListDecision =
  | { allowed: true; /** The listed text to execute (differs from the request's when it sent only an id). */ query: string }
  | { allowed: false; reason: 'UNKNOWN_ID' | 'NOT_LISTED' | 'ID_AND_TEXT_DIFFER' };

export function checkAllowList(
  list: PersistedQueryList,
  query: unknown,
  persistedQueryId: string | undefined,
): AllowListDecision | undefined {
  if (persistedQueryId !== undefined) {
    const listed = list.byId.get(persistedQueryId);
    if (listed === undefined) return { allowed: false, reason: 'UNKNOWN_ID' };
    if (typeof query === 'string' && query !== listed) return { allowed: false, reason: 'ID_AND_TEXT_DIFFER' };
    return { allowed: true, query: listed };
  }
  // No query at all: not an operation; Apollo Server answers it with its own BAD_REQUEST.
  if (typeof query !== 'string' || query === '') return undefined;
  return list.textHashes.has(sha256Hex(query)) ? { allowed: true, query } : { allowed: false, reason: 'NOT_LISTED' };
}

/** The slice of Apollo's KeyValueCache that automatic persisted queries use. */
export interface QueryTextCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/**
 * The automatic-persisted-query store: least recently used entries are evicted once the texts
 * held exceed `maxBytes` (counted as UTF-16 code units × 2, what the strings occupy in memory), so
 * registering operations can never grow the gateway's memory without bound.
 */
export class BoundedQueryCache implements QueryTextCache {
  private readonly entries = new Map<string, string>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number {
    return this.entries.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  async set(key: string, value: string): Promise<void> {
    const size = sizeOf(key, value);
    if (size > this.maxBytes) return;
    await this.delete(key);
    this.entries.set(key, value);
    this.bytes += size;
    for (const [oldestKey, oldestValue] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldestKey);
      this.bytes -= sizeOf(oldestKey, oldestValue);
    }
  }

  async delete(key: string): Promise<boolean> {
    const value = this.entries.get(key);
    if (value === undefined) return false;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, value);
    return true;
  }
}

function sizeOf(key: string, value: string): number {
  return (key.length + value.length) * 2;
}
