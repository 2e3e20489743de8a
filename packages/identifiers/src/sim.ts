import { firstNonDigit } from './calendar-date';
import { accepted, rejected, type ParseResult } from './parse-result';

export type SimClass = 'A' | 'B1' | 'B2' | 'C' | 'D';

export const SIM_CLASSES: readonly SimClass[] = Object.freeze(['A', 'B1', 'B2', 'C', 'D']);

const SIM_CLASS_ALIASES: Readonly<Record<string, SimClass>> = {
  A: 'A',
  B1: 'B1',
  BI: 'B1',
  B2: 'B2',
  BII: 'B2',
  C: 'C',
  D: 'D',
};

/** Parses a SIM (driving licence) class; accepts the Roman forms written on old cards (`B I`, `B II`). */
export function parseSimClass(input: string): ParseResult<SimClass> {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  const simClass = SIM_CLASS_ALIASES[compact];
  if (!simClass) {
    return rejected('SIM_CLASS', `SIM class must be one of ${SIM_CLASSES.join(', ')} (got "${input.trim()}")`);
  }
  return accepted(simClass);
}

/**
 * Parses a SIM number: 12 digits = holder's birth month and year MMYY, police region(4),
 * serial(4). Accepts the printed grouping with dashes, `0589-1408-0012`.
 */
export function parseSimNumber(input: string): ParseResult<string> {
  const trimmed = input.trim();
  const digits = /^\d{4}-\d{4}-\d{4}$/.test(trimmed) ? trimmed.replace(/-/g, '') : trimmed;
  const nonDigit = firstNonDigit(digits);
  if (nonDigit) {
    return rejected('SIM_FORMAT', 'SIM number must be 12 digits, optionally grouped 4-4-4 with dashes');
  }
  if (digits.length !== 12) {
    return rejected('SIM_LENGTH', `SIM number must be exactly 12 digits (got ${digits.length})`);
  }
  const month = Number(digits.slice(0, 2));
  if (month < 1 || month > 12) {
    return rejected('SIM_BIRTH_MONTH', `SIM birth month ${digits.slice(0, 2)} (digits 1–2) is not a month 01–12`);
  }
  if (digits.slice(4, 8) === '0000') {
    return rejected('SIM_REGION', 'SIM police region code (digits 5–8) must not be 0000');
  }
  if (digits.slice(8) === '0000') {
    return rejected('SIM_SERIAL', 'SIM serial number (digits 9–12) must not be 0000');
  }
  return accepted(digits);
}
