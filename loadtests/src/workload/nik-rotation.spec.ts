import { nikRotation, shuffled } from './nik-rotation';

const numbers = Array.from({ length: 200 }, (_, i) => i);

describe('shuffled', () => {
  it('is a permutation of its input and leaves the input alone', () => {
    const input = [...numbers];
    const result = shuffled(input, 7);
    expect(input).toEqual(numbers);
    expect([...result].sort((a, b) => a - b)).toEqual(numbers);
    expect(result).not.toEqual(numbers);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    expect(shuffled(numbers, 20171006)).toEqual(shuffled(numbers, 20171006));
    expect(shuffled(numbers, 1)).not.toEqual(shuffled(numbers, 2));
  });

  it('handles empty and single-element lists', () => {
    expect(shuffled([], 1)).toEqual([]);
    expect(shuffled(['only'], 1)).toEqual(['only']);
  });
});

describe('nikRotation', () => {
  it('lists every citizen’s NIK exactly once', () => {
    const citizens = numbers.map((i) => ({ nik: `351001450990${String(i).padStart(4, '0')}` }));
    const rotation = nikRotation({ seed: 3, citizens } as Parameters<typeof nikRotation>[0]);
    expect(new Set(rotation).size).toBe(citizens.length);
    expect([...rotation].sort()).toEqual(citizens.map((citizen) => citizen.nik));
  });
});
