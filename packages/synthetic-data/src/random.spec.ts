import { createRandom } from './random';

function draws(seed: number, count: number): number[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.next());
}

describe('createRandom', () => {
  it('repeats its sequence for the same seed and diverges for neighbouring seeds', () => {
    expect(draws(7, 50)).toEqual(draws(7, 50));
    const neighbour = draws(8, 50);
    expect(draws(7, 50).filter((value, index) => value === neighbour[index])).toEqual([]);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const values = draws(20171006, 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const lowerHalf = values.filter((value) => value < 0.5).length;
    expect(lowerHalf / values.length).toBeCloseTo(0.5, 1);
  });

  it('draws integers within inclusive bounds, reaching both ends', () => {
    const random = createRandom(1);
    const values = new Set(Array.from({ length: 2_000 }, () => random.int(3, 7)));
    expect([...values].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('picks by weight and never picks a zero weight', () => {
    const random = createRandom(2);
    const counts = { common: 0, rare: 0, never: 0 };
    for (let index = 0; index < 10_000; index += 1) {
      counts[random.weighted([['common', 9], ['rare', 1], ['never', 0]] as const)] += 1;
    }
    expect(counts.never).toBe(0);
    expect(counts.common / 10_000).toBeCloseTo(0.9, 1);
  });

  it('refuses to pick from an empty list', () => {
    const random = createRandom(3);
    expect(() => random.pick([])).toThrow(RangeError);
    expect(() => random.weighted([])).toThrow(RangeError);
  });

  it('makes version-4-shaped UUIDs', () => {
    const random = createRandom(4);
    const uuids = Array.from({ length: 200 }, () => random.uuid());
    for (const uuid of uuids) expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(uuids).size).toBe(uuids.length);
  });
});
