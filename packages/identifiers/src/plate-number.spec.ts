import { parsePlateNumber } from './plate-number';
import { MPP_REGENCIES, PLATE_REGION_PREFIXES } from './regions';

describe('parsePlateNumber', () => {
  it('normalises case and spacing', () => {
    expect(parsePlateNumber('bm1234ab')).toEqual({
      ok: true,
      value: { plateNumber: 'BM 1234 AB', regionLetters: 'BM', number: '1234', suffix: 'AB' },
    });
    expect(parsePlateNumber('  DK   5 abc ')).toMatchObject({ ok: true, value: { plateNumber: 'DK 5 ABC' } });
  });

  it('accepts a plate without suffix letters', () => {
    expect(parsePlateNumber('B 1')).toEqual({ ok: true, value: { plateNumber: 'B 1', regionLetters: 'B', number: '1', suffix: '' } });
  });

  it('knows the plate prefixes of the MPP regencies and the national list', () => {
    for (const regency of MPP_REGENCIES) {
      expect(parsePlateNumber(`${regency.platePrefix} 77 X`).ok).toBe(true);
    }
    for (const prefix of ['A', 'AA', 'AB', 'AG', 'BL', 'BP', 'DA', 'DR', 'EB', 'KU', 'PA', 'PB', 'PY']) {
      expect(PLATE_REGION_PREFIXES).toContain(prefix);
    }
  });

  it('rejects a shape that is not letters, digits, letters', () => {
    expect(parsePlateNumber('1234 AB')).toMatchObject({ rule: 'PLATE_FORMAT' });
    expect(parsePlateNumber('BM AB')).toMatchObject({ rule: 'PLATE_FORMAT' });
    expect(parsePlateNumber('BM-1234-AB')).toMatchObject({ rule: 'PLATE_FORMAT' });
    expect(parsePlateNumber('')).toMatchObject({ rule: 'PLATE_FORMAT' });
  });

  it('rejects unknown or too long region codes', () => {
    expect(parsePlateNumber('XX 1234 AB')).toEqual({
      ok: false,
      rule: 'PLATE_REGION',
      message: 'Plate region code XX is not an Indonesian registration region',
    });
    expect(parsePlateNumber('ABC 1234 AB')).toMatchObject({ rule: 'PLATE_REGION' });
  });

  it('rejects more than 4 digits or a leading zero', () => {
    expect(parsePlateNumber('BM 12345 AB')).toMatchObject({ rule: 'PLATE_NUMBER' });
    expect(parsePlateNumber('BM 0123 AB')).toEqual({
      ok: false,
      rule: 'PLATE_NUMBER',
      message: 'Plate number digits must not start with 0',
    });
  });

  it('rejects more than 3 suffix letters', () => {
    expect(parsePlateNumber('B 1234 ABCD')).toMatchObject({ rule: 'PLATE_SUFFIX' });
  });
});
