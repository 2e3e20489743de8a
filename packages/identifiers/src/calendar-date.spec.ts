import { indonesianDate } from './calendar-date';

describe('indonesianDate', () => {
  it('turns the day at midnight WIB (17:00 UTC)', () => {
    expect(indonesianDate(new Date('2026-01-14T16:59:59Z'))).toBe('2026-01-14');
    expect(indonesianDate(new Date('2026-01-14T17:00:00Z'))).toBe('2026-01-15');
  });

  it('turns the year with the day', () => {
    expect(indonesianDate(new Date('2025-12-31T17:00:00Z'))).toBe('2026-01-01');
  });

  it('takes the date in the zone given: WITA turns an hour earlier', () => {
    expect(indonesianDate(new Date('2026-01-14T16:00:00Z'), 'Asia/Makassar')).toBe('2026-01-15');
    expect(indonesianDate(new Date('2026-01-14T16:00:00Z'))).toBe('2026-01-14');
  });
});
