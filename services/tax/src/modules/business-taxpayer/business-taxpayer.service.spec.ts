import { parseNpwp } from '@simpul/identifiers';
import { businessNpwp } from './business-taxpayer.service';

describe('businessNpwp', () => {
  it('builds a valid legacy NPWP: 01, the serial, its check digit, the KPP code and 000 (head office)', () => {
    const npwp = businessNpwp(1234, '627');
    expect(npwp).toMatch(/^01001234\d627000$/);
    expect(parseNpwp(npwp)).toMatchObject({ ok: true, value: { kind: 'LEGACY_15', npwp } });
  });

  it('gives every serial a different NPWP with a correct check digit', () => {
    const numbers = Array.from({ length: 50 }, (_, i) => businessNpwp(i + 1));
    expect(new Set(numbers).size).toBe(50);
    for (const npwp of numbers) expect(parseNpwp(npwp).ok).toBe(true);
  });

  it('refuses a serial or office code that does not fit', () => {
    expect(() => businessNpwp(0)).toThrow(RangeError);
    expect(() => businessNpwp(1_000_000)).toThrow(RangeError);
    expect(() => businessNpwp(1, '62')).toThrow(RangeError);
  });
});
