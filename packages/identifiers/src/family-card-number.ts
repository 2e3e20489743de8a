import { expandTwoDigitYear, firstNonDigit, isoDateOf, isRealDate, toIsoDate } from './calendar-date';
import { accepted, rejected, type ParseResult } from './parse-result';
import { PROVINCES, isListedDistrict } from './regions';

export interface ParsedFamilyCardNumber {
  number: string;
  /** Six digits: province, regency and district of the issuing Dukcapil office. */
  regionCode: string;
  /** `YYYY-MM-DD`. */
  issuedOn: string;
  serial: string;
}

export interface FamilyCardNumberParseOptions {
  /** Reference day for the century of the issue year and the not-in-the-future rule. Default: now. */
  today?: Date;
}

/** Parses a KK (Kartu Keluarga) number: region(6), issue date DDMMYY, serial(4). */
export function parseFamilyCardNumber(
  input: string,
  options: FamilyCardNumberParseOptions = {},
): ParseResult<ParsedFamilyCardNumber> {
  const number = input.trim();
  const nonDigit = firstNonDigit(number);
  if (nonDigit) {
    return rejected('KK_DIGITS', `KK number must contain only digits (found "${nonDigit.character}" at position ${nonDigit.position})`);
  }
  if (number.length !== 16) {
    return rejected('KK_LENGTH', `KK number must be exactly 16 digits (got ${number.length})`);
  }

  const regionCode = number.slice(0, 6);
  const provinceCode = regionCode.slice(0, 2);
  if (!(provinceCode in PROVINCES)) {
    return rejected('KK_PROVINCE', `KK province code ${provinceCode} is not a province in the Kemendagri region code list`);
  }
  if (regionCode.slice(2, 4) === '00' || regionCode.slice(4, 6) === '00') {
    return rejected('KK_REGION', `KK region code ${regionCode} must name a district (regency and district digits must not be 00)`);
  }
  if (!isListedDistrict(regionCode)) {
    return rejected('KK_REGION', `KK region code ${regionCode} is not a district in the Kemendagri region code list`);
  }

  const issueSegment = number.slice(6, 12);
  const day = Number(issueSegment.slice(0, 2));
  const month = Number(issueSegment.slice(2, 4));
  const today = options.today ?? new Date();
  const year = expandTwoDigitYear(Number(issueSegment.slice(4, 6)), today);
  if (!isRealDate(year, month, day)) {
    return rejected(
      'KK_ISSUE_DATE',
      `KK issue date ${issueSegment} is not a real date (day ${issueSegment.slice(0, 2)}, month ${issueSegment.slice(2, 4)})`,
    );
  }
  const issuedOn = toIsoDate(year, month, day);
  if (issuedOn > isoDateOf(today)) {
    return rejected('KK_ISSUE_DATE', `KK issue date ${issuedOn} is in the future`);
  }

  const serial = number.slice(12);
  if (serial === '0000') {
    return rejected('KK_SERIAL', 'KK serial number (digits 13–16) must not be 0000');
  }

  return accepted({ number, regionCode, issuedOn, serial });
}
