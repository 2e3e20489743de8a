import DataLoader from 'dataloader';

/**
 * A per-request loader for one-to-many relations (citizen → vehicles): one batched query for all keys,
 * rows grouped back onto their keys in key order.
 */
export function manyByKeyLoader<K extends string, R>(
  fetchRows: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
): DataLoader<K, R[]> {
  return new DataLoader<K, R[]>(async (keys) => {
    const grouped = new Map<K, R[]>(keys.map((k) => [k, []]));
    for (const row of await fetchRows(keys)) grouped.get(keyOf(row))?.push(row);
    return keys.map((k) => grouped.get(k) ?? []);
  });
}

/** A per-request loader for entities by their key (NIK → citizen): missing keys resolve to null. */
export function oneByKeyLoader<K extends string, R>(
  fetchRows: (keys: readonly K[]) => Promise<R[]>,
  keyOf: (row: R) => K,
): DataLoader<K, R | null> {
  return new DataLoader<K, R | null>(async (keys) => {
    const byKey = new Map<K, R>();
    for (const row of await fetchRows(keys)) byKey.set(keyOf(row), row);
    return keys.map((k) => byKey.get(k) ?? null);
  });
}
