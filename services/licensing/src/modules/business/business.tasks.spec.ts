import { parseNib } from '@simpul/identifiers';
import { comparableBusinessName } from './business.repository';
import { drawNib } from './business.tasks';

describe('NIB issue rules', () => {
  it('draws OSS RBA NIBs: 13 digits starting with 1, passing the NIB rules', () => {
    const drawn = Array.from({ length: 500 }, drawNib);
    for (const nib of drawn) {
      expect(nib).toMatch(/^1\d{12}$/);
      expect(parseNib(nib)).toEqual({ ok: true, value: nib });
    }
    expect(new Set(drawn).size).toBe(drawn.length);
  });

  it('compares business names regardless of case and runs of spaces', () => {
    expect(comparableBusinessName('  Warung   Kopi OSING ')).toBe(comparableBusinessName('warung kopi osing'));
    expect(comparableBusinessName('Warung Kopi')).not.toBe(comparableBusinessName('Warung Kopi Osing'));
  });
});
