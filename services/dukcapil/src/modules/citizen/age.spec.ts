import { addYears, ageOn, dayBefore } from './age';

describe('age arithmetic on ISO dates', () => {
  it('counts full years, the birthday itself included', () => {
    expect(ageOn('2010-06-15', '2027-06-14')).toBe(16);
    expect(ageOn('2010-06-15', '2027-06-15')).toBe(17);
  });

  it('adds years (29 February to 28 February) and steps back a day across months and years', () => {
    expect(addYears('2024-02-29', 5)).toBe('2029-02-28');
    expect(dayBefore('2027-03-01')).toBe('2027-02-28');
    expect(dayBefore('2027-01-01')).toBe('2026-12-31');
  });
});
