import { median, percentile, ratio } from './statistics';

describe('median', () => {
  it('takes the middle value of an odd sample regardless of order', () => {
    expect(median([310, 120, 250])).toBe(250);
  });

  it('averages the two middle values of an even sample', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('does not reorder the caller’s array', () => {
    const runs = [3, 1, 2];
    median(runs);
    expect(runs).toEqual([3, 1, 2]);
  });

  it('rejects an empty sample', () => {
    expect(() => median([])).toThrow('empty');
  });
});

describe('percentile', () => {
  const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1);

  it('uses nearest rank', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7, 8, 9], 50)).toBe(8);
    expect(percentile([7, 8, 9], 99)).toBe(9);
  });

  it('returns the only value of a single-element sample', () => {
    expect(percentile([42], 1)).toBe(42);
    expect(percentile([42], 99)).toBe(42);
  });

  it('rejects empty samples and out-of-range percents', () => {
    expect(() => percentile([], 50)).toThrow('empty');
    expect(() => percentile([1], 0)).toThrow('(0, 100]');
    expect(() => percentile([1], 101)).toThrow('(0, 100]');
  });
});

describe('ratio', () => {
  it('divides subject by baseline', () => {
    expect(ratio(180, 200)).toBeCloseTo(0.9);
    expect(ratio(30, 20)).toBe(1.5);
  });

  it('is null for a zero baseline', () => {
    expect(ratio(5, 0)).toBeNull();
  });
});
