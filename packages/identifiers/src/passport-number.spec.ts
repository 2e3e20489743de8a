import { parsePassportNumber } from './passport-number';

describe('parsePassportNumber', () => {
  it('accepts a letter and 7 digits, upper-cased', () => {
    expect(parsePassportNumber('C1234567')).toEqual({ ok: true, value: 'C1234567' });
    expect(parsePassportNumber(' e7654321 ')).toEqual({ ok: true, value: 'E7654321' });
  });

  it('rejects other lengths', () => {
    expect(parsePassportNumber('C123456')).toEqual({
      ok: false,
      rule: 'PASSPORT_LENGTH',
      message: 'Passport number must be 8 characters, one letter and 7 digits (got 7)',
    });
  });

  it('rejects a number not starting with a letter', () => {
    expect(parsePassportNumber('12345678')).toMatchObject({ rule: 'PASSPORT_LETTER' });
  });

  it('rejects anything but digits after the letter', () => {
    expect(parsePassportNumber('CC234567')).toMatchObject({ rule: 'PASSPORT_DIGITS' });
    expect(parsePassportNumber('C123 567')).toMatchObject({ rule: 'PASSPORT_DIGITS' });
  });
});
