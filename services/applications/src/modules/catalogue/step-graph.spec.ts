import { criticalPathHours, findCycle, topologicalOrder } from './step-graph';

const step = (id: string, dependsOn: string[] = [], slaHours = 1) => ({ id, dependsOn, slaHours });

describe('findCycle', () => {
  it('finds none in a diamond', () => {
    expect(findCycle([step('a'), step('b', ['a']), step('c', ['a']), step('d', ['b', 'c'])])).toBeUndefined();
  });

  it('names the steps along a cycle, first one repeated', () => {
    expect(findCycle([step('a', ['c']), step('b', ['a']), step('c', ['b'])])).toEqual(['a', 'c', 'b', 'a']);
  });

  it('finds a cycle that does not include the first step', () => {
    expect(findCycle([step('root'), step('x', ['root', 'y']), step('y', ['x'])])).toEqual(['x', 'y', 'x']);
  });

  it('ignores dependencies on unknown steps (reported separately)', () => {
    expect(findCycle([step('a', ['missing'])])).toBeUndefined();
  });
});

describe('topologicalOrder', () => {
  it('puts every step after its dependencies, keeping declaration order among ready steps', () => {
    const ordered = topologicalOrder([step('d', ['b', 'c']), step('c', ['a']), step('b', ['a']), step('a')]);
    expect(ordered.map((s) => s.id)).toEqual(['a', 'c', 'b', 'd']);
  });

  it('refuses a cycle', () => {
    expect(() => topologicalOrder([step('a', ['b']), step('b', ['a'])])).toThrow(/cycle/);
  });
});

describe('criticalPathHours', () => {
  it('is the longest chain of SLAs, not their sum', () => {
    // a(24) → b(72), a → c(48), a → d(120): the longest chain is a → d.
    expect(criticalPathHours([step('a', [], 24), step('b', ['a'], 72), step('c', ['a'], 48), step('d', ['a'], 120)])).toBe(144);
  });

  it('follows the slower branch into a join', () => {
    expect(criticalPathHours([step('a', [], 10), step('b', ['a'], 5), step('c', ['a'], 50), step('d', ['b', 'c'], 1)])).toBe(61);
  });
});
