import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BoundedQueryCache,
  checkAllowList,
  loadPersistedQueryList,
  parsePersistedQueryList,
  PersistedQueryListError,
  sha256Hex,
} from './persisted-queries';

const STATUS = '{ status }';
const CITIZEN = 'query Citizen($nik: String!) { citizen(nik: $nik) { nik fullName } }';

describe('parsePersistedQueryList', () => {
  it('reads a plain { sha256: query } map', () => {
    const list = parsePersistedQueryList({ [sha256Hex(STATUS)]: STATUS });
    expect(list.byId.get(sha256Hex(STATUS))).toBe(STATUS);
    expect(list.textHashes.has(sha256Hex(STATUS))).toBe(true);
  });

  it("reads Apollo's persisted query manifest, whose ids need not be hashes", () => {
    const list = parsePersistedQueryList({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: 'citizen-v1', name: 'Citizen', type: 'query', body: CITIZEN },
        { id: sha256Hex(STATUS), name: 'Status', type: 'query', body: STATUS },
      ],
    });
    expect(list.byId.get('citizen-v1')).toBe(CITIZEN);
    expect([...list.textHashes]).toEqual([sha256Hex(CITIZEN), sha256Hex(STATUS)]);
  });

  it.each([
    ['not an object', [STATUS], 'expected a JSON object'],
    ['an empty list', {}, 'lists no operation'],
    ['a key that is not a hash', { status: STATUS }, 'is not a lowercase hex SHA-256'],
    ['a key that is not the hash of its query', { [sha256Hex(CITIZEN)]: STATUS }, 'is not the SHA-256 of its query'],
    ['a manifest of another version', { format: 'apollo-persisted-query-manifest', version: 2, operations: [] }, 'unsupported manifest version'],
    ['an operation without body', { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x' }] }, 'operations[0].body'],
  ])('refuses %s', (_what, json, message) => {
    expect(() => parsePersistedQueryList(json, 'pq.json')).toThrow(PersistedQueryListError);
    expect(() => parsePersistedQueryList(json, 'pq.json')).toThrow(message);
  });

  it('loads a file and names it when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simpul-pq-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ [sha256Hex(STATUS)]: STATUS }));
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(loadPersistedQueryList(join(dir, 'good.json')).byId.size).toBe(1);
    expect(() => loadPersistedQueryList(join(dir, 'bad.json'))).toThrow(`${join(dir, 'bad.json')} is not valid JSON`);
    expect(() => loadPersistedQueryList(join(dir, 'missing.json'))).toThrow('cannot read the persisted query list');
  });
});

describe('checkAllowList', () => {
  const list = parsePersistedQueryList({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [{ id: 'citizen-v1', name: 'Citizen', type: 'query', body: CITIZEN }],
  });

  it('resolves a listed id to its text', () => {
    expect(checkAllowList(list, undefined, 'citizen-v1')).toEqual({ allowed: true, query: CITIZEN });
    expect(checkAllowList(list, CITIZEN, 'citizen-v1')).toEqual({ allowed: true, query: CITIZEN });
  });

  it('accepts the exact text of a listed operation', () => {
    expect(checkAllowList(list, CITIZEN, undefined)).toEqual({ allowed: true, query: CITIZEN });
  });

  it('refuses unknown ids, unlisted text, and an id sent with other text', () => {
    expect(checkAllowList(list, undefined, sha256Hex(STATUS))).toEqual({ allowed: false, reason: 'UNKNOWN_ID' });
    expect(checkAllowList(list, STATUS, undefined)).toEqual({ allowed: false, reason: 'NOT_LISTED' });
    expect(checkAllowList(list, `${CITIZEN} `, undefined)).toEqual({ allowed: false, reason: 'NOT_LISTED' });
    expect(checkAllowList(list, STATUS, 'citizen-v1')).toEqual({ allowed: false, reason: 'ID_AND_TEXT_DIFFER' });
  });

  it('leaves a request with neither query nor id to Apollo Server', () => {
    expect(checkAllowList(list, undefined, undefined)).toBeUndefined();
  });
});

describe('BoundedQueryCache', () => {
  it('evicts the least recently used texts once over its size', async () => {
    const cache = new BoundedQueryCache(3 * (1 + 10) * 2);
    await cache.set('a', 'x'.repeat(10));
    await cache.set('b', 'x'.repeat(10));
    await cache.set('c', 'x'.repeat(10));
    expect(await cache.get('a')).toBeDefined();
    await cache.set('d', 'x'.repeat(10));
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(cache.size).toBe(3);
    expect(cache.usedBytes).toBe(3 * 11 * 2);
  });

  it('never stores a text bigger than the whole cache, and replaces an existing key', async () => {
    const cache = new BoundedQueryCache(100);
    await cache.set('big', 'x'.repeat(100));
    expect(cache.size).toBe(0);
    await cache.set('k', 'one');
    await cache.set('k', 'three');
    expect(await cache.get('k')).toBe('three');
    expect(cache.usedBytes).toBe((1 + 5) * 2);
    expect(await cache.delete('k')).toBe(true);
    expect(cache.usedBytes).toBe(0);
  });
});
