import { firstNonDigit } from './calendar-date';
import { parseNik } from './nik';
import { accepted, rejected, type ParseResult } from './parse-result';

export interface ParsedNpwp {
  /** Digits only: 15 for a legacy NPWP, 16 for a NIK used as NPWP. */
  npwp: string;
  /** `99.999.999.9-999.999` for a legacy NPWP; the 16 digits for a NIK-based one. */
  formatted: string;
  kind: 'LEGACY_15' | 'NIK_16';
}

const DOTTED_LEGACY_NPWP = /^\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}$/;

/**
 * Luhn check digit for the first 8 digits of a legacy NPWP (the 9th digit). Exported for
 * generators that must produce NPWPs this parser accepts.
 */
export function npwpCheckDigit(firstEightDigits: string): number {
  let sum = 0;
  for (let index = 0; index < 8; index += 1) {
    let value = Number(firstEightDigits.charAt(index));
    // With the check digit appended as 9th digit, Luhn doubles the 2nd, 4th, 6th and 8th digits.
    if (index % 2 === 1) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return (10 - (sum % 10)) % 10;
}

/** `99.999.999.9-999.999` from 15 digits. */
export function formatNpwp(digits15: string): string {
  if (!/^\d{15}$/.test(digits15)) {
    throw new RangeError('formatNpwp expects exactly 15 digits');
  }
  const d = digits15;
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}.${d.slice(8, 9)}-${d.slice(9, 12)}.${d.slice(12, 15)}`;
}

export interface NpwpParseOptions {
  /** Passed to the NIK rules of a 16-digit NPWP. Default: now. */
  today?: Date;
}

/**
 * Parses an NPWP: the legacy 15 digits (plain or dotted `99.999.999.9-999.999`, 9th digit a Luhn
 * check digit), or 16 digits, which since 2024 is an individual's NIK and must be a valid NIK.
 */
export function parseNpwp(input: string, options: NpwpParseOptions = {}): ParseResult<ParsedNpwp> {
  const trimmed = input.trim();
  let digits = trimmed;
  if (DOTTED_LEGACY_NPWP.test(trimmed)) {
    digits = trimmed.replace(/[.-]/g, '');
  } else if (firstNonDigit(trimmed)) {
    return rejected('NPWP_FORMAT', 'NPWP must be 15 digits, the dotted form 99.999.999.9-999.999, or a 16-digit NIK');
  }

  if (digits.length === 16) {
    const nik = parseNik(digits, options);
    if (!nik.ok) {
      return rejected('NPWP_NIK', `A 16-digit NPWP must be a valid NIK: ${nik.message}`);
    }
    return accepted({ npwp: digits, formatted: digits, kind: 'NIK_16' });
  }
  if (digits.length !== 15) {
    return rejected('NPWP_LENGTH', `NPWP must have 15 digits (legacy) or 16 digits (NIK) (got ${digits.length})`);
  }

  const expected = npwpCheckDigit(digits.slice(0, 8));
  const actual = Number(digits.charAt(8));
  if (actual !== expected) {
    return rejected('NPWP_CHECK_DIGIT', `NPWP check digit (9th digit) is ${actual} but its first 8 digits give ${expected}`);
  }
  return accepted({ npwp: digits, formatted: formatNpwp(digits), kind: 'LEGACY_15' });
}
