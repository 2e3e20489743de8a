import { addYears, ageOn, dayNumberOf, isoDateOfDay, romanMonthOf } from './calendar';

describe('day numbers', () => {
  it('agree with Date for every day from 1900 to 2100', () => {
    const first = Date.UTC(1900, 0, 1) / 86_400_000;
    const last = Date.UTC(2100, 11, 31) / 86_400_000;
    const mismatches: string[] = [];
    for (let day = first; day <= last; day += 1) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (isoDateOfDay(day) !== iso || dayNumberOf(iso) !== day) mismatches.push(iso);
    }
    expect(mismatches).toEqual([]);
  });

  it('reject dates that are not real or not YYYY-MM-DD', () => {
    for (const input of ['2023-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-1-01', '20240101', 'next week']) {
      expect(() => dayNumberOf(input)).toThrow(RangeError);
    }
  });
});

describe('addYears', () => {
  it('keeps the calendar day and moves 29 February to 28 February in common years', () => {
    expect(addYears('2021-03-15', 5)).toBe('2026-03-15');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
});

describe('ageOn', () => {
  it('counts a year only once the birthday is reached', () => {
    expect(ageOn('1990-06-15', '2026-06-14')).toBe(35);
    expect(ageOn('1990-06-15', '2026-06-15')).toBe(36);
  });
});

describe('romanMonthOf', () => {
  it('writes the month in Roman numerals, as certificate numbers do', () => {
    expect(romanMonthOf('2019-04-02')).toBe('IV');
    expect(romanMonthOf('2019-12-31')).toBe('XII');
  });
});
