import { BadUserInputError } from '@simpul/service-kit';
import { addYears, requireValidPlateNumber, STNK_VALIDATION_NUMBER_PATTERN, stnkValidationNumber } from './vehicle.service';

describe('requireValidPlateNumber', () => {
  it.each([
    ['bm1234ab', 'BM 1234 AB'],
    ['  BM  1234   ab ', 'BM 1234 AB'],
    ['b 1', 'B 1'],
    ['DK 987 ABC', 'DK 987 ABC'],
  ])('normalises %j to %j', (typed, normalised) => {
    expect(requireValidPlateNumber(typed)).toBe(normalised);
  });

  it('rejects a malformed plate as bad input naming the argument and the rule', () => {
    let thrown: unknown;
    try {
      requireValidPlateNumber('BM 12345 AB', 'plate');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect(thrown).toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'plate', rule: 'PLATE_NUMBER' } });
  });
});

describe('addYears', () => {
  it.each([
    ['2026-01-02', 1, '2027-01-02'],
    ['2028-02-29', 1, '2029-02-28'],
    ['2028-02-29', 4, '2032-02-29'],
    ['2026-12-31', 1, '2027-12-31'],
  ])('%s plus %i year(s) is %s', (date, years, expected) => {
    expect(addYears(date, years)).toBe(expected);
  });
});

describe('stnkValidationNumber', () => {
  it('pads the serial to 8 digits after the year', () => {
    expect(stnkValidationNumber(2026, 42)).toBe('STNK/2026/00000042');
    expect(stnkValidationNumber(2026, 42)).toMatch(STNK_VALIDATION_NUMBER_PATTERN);
  });

  it('refuses a serial that does not fit', () => {
    expect(() => stnkValidationNumber(2026, 100_000_000)).toThrow(RangeError);
    expect(() => stnkValidationNumber(2026, 0)).toThrow(RangeError);
  });
});
