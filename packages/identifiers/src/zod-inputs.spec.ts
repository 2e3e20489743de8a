import { z } from 'zod';
import { parseFamilyCardNumber } from './family-card-number';
import { parseNik } from './nik';
import { parsePassportNumber } from './passport-number';
import { parsePlateNumber } from './plate-number';
import { familyCardNumberInput, isoDateInput, nikInput, parsedNikInput, passportNumberInput, plateNumberInput } from './zod-inputs';

function messageOf<T>(result: { ok: true; value: T } | { ok: false; message: string }): string | undefined {
  return result.ok ? undefined : result.message;
}

describe('identifier task inputs', () => {
  it('gives the NIK trimmed', () => {
    expect(nikInput.parse(' 3271014506880002 ')).toBe('3271014506880002');
  });

  it('gives the NIK parsed when asked: birth date and regency', () => {
    expect(parsedNikInput.parse('3271014506880002')).toMatchObject({ nik: '3271014506880002', birthDate: '1988-06-05', regencyCode: '3271' });
  });

  it('gives the KK number trimmed', () => {
    const number = '3271011203150007';
    expect(parseFamilyCardNumber(number).ok).toBe(true);
    expect(familyCardNumberInput.parse(` ${number} `)).toBe(number);
  });

  it('gives the plate and the passport number normalised', () => {
    expect(plateNumberInput.parse('bm1234ab')).toBe('BM 1234 AB');
    const passport = parsePassportNumber('e1234567');
    expect(passportNumberInput.safeParse('e1234567').data).toBe(passport.ok ? passport.value : undefined);
  });

  it('takes a real calendar date only', () => {
    expect(isoDateInput.parse('2024-02-29')).toBe('2024-02-29');
    expect(isoDateInput.safeParse('2023-02-29').success).toBe(false);
    expect(isoDateInput.safeParse('29-02-2024').success).toBe(false);
  });

  it('reports what does not parse at its field, with the parser sentence', () => {
    const schema = z.object({ applicantNik: nikInput, plateNumber: plateNumberInput, familyCardNumber: familyCardNumberInput, passport: passportNumberInput });
    const result = schema.safeParse({ applicantNik: '3271014506880000', plateNumber: 'F 0234 AB', familyCardNumber: '3271011203150', passport: 'X' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['applicantNik', messageOf(parseNik('3271014506880000'))],
      ['plateNumber', messageOf(parsePlateNumber('F 0234 AB'))],
      ['familyCardNumber', messageOf(parseFamilyCardNumber('3271011203150'))],
      ['passport', messageOf(parsePassportNumber('X'))],
    ]);
    expect(result.error?.issues.every((issue) => issue.message.length > 10)).toBe(true);
  });
});
