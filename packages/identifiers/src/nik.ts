import { expandTwoDigitYear, firstNonDigit, isoDateOf, isRealDate, padNumber, toIsoDate } from './calendar-date';
import { accepted, rejected, type ParseResult } from './parse-result';
import { PROVINCES, isListedDistrict, isListedRegency } from './regions';

export type Sex = 'MALE' | 'FEMALE';

/** Women's NIKs carry the birth day plus 40. */
const FEMALE_DAY_OFFSET = 40;

export interface ParsedNik {
  nik: string;
  /** Two digits. */
  provinceCode: string;
  /** Four digits: province and regency. */
  regencyCode: string;
  /** Six digits: province, regency and district. */
  districtCode: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  sex: Sex;
  serial: string;
}

export interface NikParseOptions {
  /** Reference day for the century of the birth year and the not-in-the-future rule. Default: now. */
  today?: Date;
}

/**
 * Parses a NIK (Nomor Induk Kependudukan): province(2) regency(2) district(2), birth date DDMMYY
 * with 40 added to the day for women, and a serial(4).
 */
export function parseNik(input: string, options: NikParseOptions = {}): ParseResult<ParsedNik> {
  const nik = input.trim();
  const nonDigit = firstNonDigit(nik);
  if (nonDigit) {
    return rejected('NIK_DIGITS', `NIK must contain only digits (found "${nonDigit.character}" at position ${nonDigit.position})`);
  }
  if (nik.length !== 16) {
    return rejected('NIK_LENGTH', `NIK must be exactly 16 digits (got ${nik.length})`);
  }

  const provinceCode = nik.slice(0, 2);
  if (!(provinceCode in PROVINCES)) {
    return rejected('NIK_PROVINCE', `NIK province code ${provinceCode} is not a province in the Kemendagri region code list`);
  }
  if (nik.slice(2, 4) === '00') {
    return rejected('NIK_REGENCY', 'NIK regency code (digits 3–4) must not be 00');
  }
  if (nik.slice(4, 6) === '00') {
    return rejected('NIK_DISTRICT', 'NIK district code (digits 5–6) must not be 00');
  }
  if (!isListedRegency(nik.slice(0, 4))) {
    return rejected('NIK_REGION', `NIK regency code ${nik.slice(0, 4)} is not a regency or city of province ${provinceCode} in the Kemendagri region code list`);
  }
  if (!isListedDistrict(nik.slice(0, 6))) {
    return rejected('NIK_REGION', `NIK district code ${nik.slice(0, 6)} is not a district of regency ${nik.slice(0, 4)} in the Kemendagri region code list`);
  }

  const birthSegment = nik.slice(6, 12);
  const encodedDay = Number(birthSegment.slice(0, 2));
  const month = Number(birthSegment.slice(2, 4));
  const sex: Sex = encodedDay > FEMALE_DAY_OFFSET ? 'FEMALE' : 'MALE';
  const day = sex === 'FEMALE' ? encodedDay - FEMALE_DAY_OFFSET : encodedDay;
  if (encodedDay < 1 || encodedDay > 71 || (encodedDay > 31 && encodedDay <= FEMALE_DAY_OFFSET)) {
    return rejected(
      'NIK_BIRTH_DATE',
      `NIK birth day ${birthSegment.slice(0, 2)} is neither a man's day (01–31) nor a woman's day (41–71)`,
    );
  }
  const today = options.today ?? new Date();
  const year = expandTwoDigitYear(Number(birthSegment.slice(4, 6)), today);
  if (!isRealDate(year, month, day)) {
    const dayNote = sex === 'FEMALE' ? `day ${padNumber(day, 2)} after subtracting 40 for a woman` : `day ${padNumber(day, 2)}`;
    return rejected(
      'NIK_BIRTH_DATE',
      `NIK birth date ${birthSegment} is not a real date (${dayNote}, month ${birthSegment.slice(2, 4)})`,
    );
  }
  const birthDate = toIsoDate(year, month, day);
  if (birthDate > isoDateOf(today)) {
    return rejected('NIK_BIRTH_DATE', `NIK birth date ${birthDate} is in the future`);
  }

  const serial = nik.slice(12);
  if (serial === '0000') {
    return rejected('NIK_SERIAL', 'NIK serial number (digits 13–16) must not be 0000');
  }

  return accepted({
    nik,
    provinceCode,
    regencyCode: nik.slice(0, 4),
    districtCode: nik.slice(0, 6),
    birthDate,
    sex,
    serial,
  });
}

/** The DDMMYY birth segment of a NIK; women's days are written plus 40. `birthDate` is `YYYY-MM-DD`. */
export function formatNikBirthSegment(birthDate: string, sex: Sex): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!match || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new RangeError(`birthDate must be a real YYYY-MM-DD date (got "${birthDate}")`);
  }
  const [, year = '', month = '', day = ''] = match;
  const encodedDay = Number(day) + (sex === 'FEMALE' ? FEMALE_DAY_OFFSET : 0);
  return `${padNumber(encodedDay, 2)}${month}${year.slice(2)}`;
}
