import { formatNikBirthSegment, parseNik } from './nik';

const today = new Date('2026-01-01T00:00:00Z');

function ruleOf(input: string): string | undefined {
  const result = parseNik(input, { today });
  return result.ok ? undefined : result.rule;
}

describe('parseNik', () => {
  it('reads region, birth date, sex and serial of a man', () => {
    expect(parseNik('1408011705890001', { today })).toEqual({
      ok: true,
      value: {
        nik: '1408011705890001',
        provinceCode: '14',
        regencyCode: '1408',
        districtCode: '140801',
        birthDate: '1989-05-17',
        sex: 'MALE',
        serial: '0001',
      },
    });
  });

  it('subtracts 40 from the day of a woman', () => {
    const result = parseNik('3510164308920002', { today });
    expect(result.ok && result.value).toMatchObject({ birthDate: '1992-08-03', sex: 'FEMALE' });
  });

  it('trims surrounding whitespace', () => {
    const result = parseNik('  5103015112000003\n', { today });
    expect(result.ok && result.value).toMatchObject({ nik: '5103015112000003', birthDate: '2000-12-11', sex: 'FEMALE' });
  });

  it('puts a two-digit year not after this year in this century and later ones in the last', () => {
    const born2025 = parseNik('3271011001250001', { today });
    const born1927 = parseNik('3271011001270001', { today });
    expect(born2025.ok && born2025.value.birthDate).toBe('2025-01-10');
    expect(born1927.ok && born1927.value.birthDate).toBe('1927-01-10');
  });

  it('accepts a woman born on the 31st (day 71)', () => {
    expect(ruleOf('7601027101880004')).toBeUndefined();
  });

  it('accepts 29 February in a leap year only', () => {
    expect(ruleOf('1604102902000001')).toBeUndefined();
    expect(ruleOf('1604102902010001')).toBe('NIK_BIRTH_DATE');
  });

  it('rejects a length other than 16 digits', () => {
    expect(parseNik('140801170589000', { today })).toEqual({
      ok: false,
      rule: 'NIK_LENGTH',
      message: 'NIK must be exactly 16 digits (got 15)',
    });
    expect(ruleOf('14080117058900011')).toBe('NIK_LENGTH');
    expect(ruleOf('')).toBe('NIK_LENGTH');
  });

  it('rejects non-digits, including spaces inside the number', () => {
    expect(parseNik('1408 011705890001', { today })).toMatchObject({
      rule: 'NIK_DIGITS',
      message: 'NIK must contain only digits (found " " at position 5)',
    });
    expect(ruleOf('14080117058900O1')).toBe('NIK_DIGITS');
  });

  it('rejects a province code that is not a province', () => {
    expect(parseNik('9908011705890001', { today })).toEqual({
      ok: false,
      rule: 'NIK_PROVINCE',
      message: 'NIK province code 99 is not a province in the Kemendagri region code list',
    });
    expect(ruleOf('2008011705890001')).toBe('NIK_PROVINCE');
  });

  it('rejects regency or district 00', () => {
    expect(ruleOf('1400011705890001')).toBe('NIK_REGENCY');
    expect(ruleOf('1408001705890001')).toBe('NIK_DISTRICT');
  });

  it('rejects a regency or district code Kemendagri does not list with NIK_REGION', () => {
    // Riau has no regency 1411, and Batam's old code 1472 moved to Kepulauan Riau (2171).
    expect(parseNik('1411011705890001', { today })).toMatchObject({ ok: false, rule: 'NIK_REGION', message: expect.stringMatching(/regency code 1411/) });
    expect(ruleOf('1472011705890001')).toBe('NIK_REGION');
    expect(ruleOf('3580011705890001')).toBe('NIK_REGION');
    // Banyuwangi has 25 kecamatan; 3510 99 is none of them.
    expect(parseNik('3510991705890001', { today })).toMatchObject({ ok: false, rule: 'NIK_REGION', message: expect.stringMatching(/district code 351099/) });
    expect(ruleOf('2171011705890001')).toBeUndefined();
    expect(ruleOf('3173011705890001')).toBeUndefined();
  });

  it('rejects a birth date that does not exist', () => {
    expect(parseNik('1408013102990001', { today })).toEqual({
      ok: false,
      rule: 'NIK_BIRTH_DATE',
      message: 'NIK birth date 310299 is not a real date (day 31, month 02)',
    });
    expect(parseNik('1408017102990001', { today })).toMatchObject({
      rule: 'NIK_BIRTH_DATE',
      message: 'NIK birth date 710299 is not a real date (day 31 after subtracting 40 for a woman, month 02)',
    });
    expect(ruleOf('1408011713890001')).toBe('NIK_BIRTH_DATE');
  });

  it('rejects birth days that are neither a man\'s nor a woman\'s', () => {
    for (const day of ['00', '32', '40', '72', '99']) {
      expect(parseNik(`140801${day}0589` + '0001', { today })).toMatchObject({
        rule: 'NIK_BIRTH_DATE',
        message: `NIK birth day ${day} is neither a man's day (01–31) nor a woman's day (41–71)`,
      });
    }
  });

  it('rejects a birth date after today', () => {
    expect(parseNik('1408010201260001', { today })).toEqual({
      ok: false,
      rule: 'NIK_BIRTH_DATE',
      message: 'NIK birth date 2026-01-02 is in the future',
    });
    expect(ruleOf('1408010101260001')).toBeUndefined();
  });

  it('rejects serial 0000', () => {
    expect(ruleOf('1408011705890000')).toBe('NIK_SERIAL');
  });

  it('uses the current date when no today is given', () => {
    const nextYear = String((new Date().getUTCFullYear() + 1) % 100).padStart(2, '0');
    const result = parseNik(`1408010101${nextYear}0001`);
    expect(result.ok && result.value.birthDate).toBe(`19${nextYear}-01-01`);
  });
});

describe('formatNikBirthSegment', () => {
  it('writes DDMMYY for men and adds 40 to the day for women', () => {
    expect(formatNikBirthSegment('1989-05-17', 'MALE')).toBe('170589');
    expect(formatNikBirthSegment('1992-08-03', 'FEMALE')).toBe('430892');
    expect(formatNikBirthSegment('2001-12-31', 'FEMALE')).toBe('711201');
  });

  it('round-trips through parseNik', () => {
    const segment = formatNikBirthSegment('1975-02-28', 'FEMALE');
    const result = parseNik(`351016${segment}0007`, { today });
    expect(result.ok && result.value).toMatchObject({ birthDate: '1975-02-28', sex: 'FEMALE' });
  });

  it('refuses a date that is not YYYY-MM-DD or not real', () => {
    expect(() => formatNikBirthSegment('17-05-1989', 'MALE')).toThrow(RangeError);
    expect(() => formatNikBirthSegment('2023-02-29', 'MALE')).toThrow(RangeError);
  });
});
