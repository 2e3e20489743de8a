import { formatNpwp, npwpCheckDigit, parseNpwp } from './npwp';

const today = new Date('2026-01-01T00:00:00Z');

describe('parseNpwp', () => {
  it('accepts the dotted legacy form and returns its digits', () => {
    expect(parseNpwp('01.312.166.0-091.000')).toEqual({
      ok: true,
      value: { npwp: '013121660091000', formatted: '01.312.166.0-091.000', kind: 'LEGACY_15' },
    });
  });

  it('accepts 15 plain digits and formats them', () => {
    expect(parseNpwp(' 021832415000000 ')).toEqual({
      ok: true,
      value: { npwp: '021832415000000', formatted: '02.183.241.5-000.000', kind: 'LEGACY_15' },
    });
  });

  it('accepts a valid NIK as 16-digit NPWP', () => {
    expect(parseNpwp('1408011705890001', { today })).toEqual({
      ok: true,
      value: { npwp: '1408011705890001', formatted: '1408011705890001', kind: 'NIK_16' },
    });
  });

  it('rejects 16 digits that are not a valid NIK, naming the NIK rule', () => {
    expect(parseNpwp('9908011705890001', { today })).toEqual({
      ok: false,
      rule: 'NPWP_NIK',
      message: 'A 16-digit NPWP must be a valid NIK: NIK province code 99 is not a province in the Kemendagri region code list',
    });
  });

  it('rejects other lengths', () => {
    expect(parseNpwp('01312166009100')).toEqual({
      ok: false,
      rule: 'NPWP_LENGTH',
      message: 'NPWP must have 15 digits (legacy) or 16 digits (NIK) (got 14)',
    });
  });

  it('rejects characters outside the plain or dotted forms', () => {
    expect(parseNpwp('01.312.166.0.091.000')).toMatchObject({ rule: 'NPWP_FORMAT' });
    expect(parseNpwp('01-312-166-0-091-000')).toMatchObject({ rule: 'NPWP_FORMAT' });
    expect(parseNpwp('0131216600910OO')).toMatchObject({ rule: 'NPWP_FORMAT' });
  });

  it('rejects a wrong check digit', () => {
    expect(parseNpwp('01.312.166.1-091.000')).toEqual({
      ok: false,
      rule: 'NPWP_CHECK_DIGIT',
      message: 'NPWP check digit (9th digit) is 1 but its first 8 digits give 0',
    });
  });
});

describe('npwpCheckDigit', () => {
  it('computes the Luhn digit of the first 8 digits', () => {
    expect(npwpCheckDigit('01312166')).toBe(0);
    expect(npwpCheckDigit('02183241')).toBe(5);
    expect(npwpCheckDigit('01609052')).toBe(4);
  });
});

describe('formatNpwp', () => {
  it('dots 15 digits', () => {
    expect(formatNpwp('016090524017000')).toBe('01.609.052.4-017.000');
  });

  it('refuses anything but 15 digits', () => {
    expect(() => formatNpwp('01609052401700')).toThrow(RangeError);
    expect(() => formatNpwp('01.609.052.4-017.000')).toThrow(RangeError);
  });
});
