import { parsePassportNumber } from '@simpul/identifiers';
import { addYears, drawPassportNumber, passportValidityYears } from './passport.tasks';

describe('passport issue rules', () => {
  it('adds years to a date, 29 February becoming 28 February in a common year', () => {
    expect(addYears('2026-01-15', 10)).toBe('2036-01-15');
    expect(addYears('2024-02-29', 10)).toBe('2034-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('gives ten years from the 17th birthday, five before', () => {
    expect(passportValidityYears('2009-01-15', '2026-01-15')).toBe(10);
    expect(passportValidityYears('2009-01-16', '2026-01-15')).toBe(5);
  });

  it('draws numbers of the series of the kind, passing the passport number rules', () => {
    for (let i = 0; i < 200; i++) {
      for (const [kind, letter] of [['ELECTRONIC', 'E'], ['REGULAR', 'C']] as const) {
        const number = drawPassportNumber(kind);
        expect(number[0]).toBe(letter);
        expect(parsePassportNumber(number)).toEqual({ ok: true, value: number });
      }
    }
  });
});
