import type { World } from '@simpul/synthetic-data';

/** mulberry32: a tiny seeded PRNG, enough to shuffle reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded Fisher–Yates shuffle: same seed, same order. Returns a new array. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const result = [...items];
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/**
 * Every citizen's NIK in a reproducible shuffled order. The world lists citizens family by family;
 * shuffling keeps consecutive requests from hitting the same household's rows.
 */
export function nikRotation(world: Pick<World, 'citizens' | 'seed'>): string[] {
  return shuffled(
    world.citizens.map((citizen) => citizen.nik),
    world.seed,
  );
}
