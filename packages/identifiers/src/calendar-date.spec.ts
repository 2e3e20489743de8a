import { indonesianDate, jakartaClock } from './calendar-date';

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

describe('jakartaClock', () => {
  it('dates by Asia/Jakarta: 23:30 UTC is already the next day in WIB', () => {
    expect(jakartaClock(() => new Date('2026-03-09T23:30:00Z')).today()).toBe('2026-03-10');
    expect(jakartaClock(() => new Date('2026-03-09T16:59:59Z')).today()).toBe('2026-03-09');
  });
});
