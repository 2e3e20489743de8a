import { accepted, rejected, type ParseResult } from './parse-result';
import { PLATE_REGION_PREFIXES } from './regions';

export interface ParsedPlateNumber {
  /** Normalised: upper case, single spaces, e.g. `BM 1234 AB` (or `B 1234` with no suffix). */
  plateNumber: string;
  regionLetters: string;
  number: string;
  /** 0–3 letters; empty when the plate has none. */
  suffix: string;
}

const KNOWN_REGIONS = new Set(PLATE_REGION_PREFIXES);

/** Parses a vehicle registration plate (TNKB); case and spaces do not matter (`bm1234ab`). */
export function parsePlateNumber(input: string): ParseResult<ParsedPlateNumber> {
  const compact = input.replace(/\s+/g, '').toUpperCase();
  const match = /^([A-Z]+)(\d+)([A-Z]*)$/.exec(compact);
  if (!match) {
    return rejected('PLATE_FORMAT', 'Plate number must be region letters, then digits, then up to 3 letters (e.g. BM 1234 AB)');
  }
  const [, regionLetters = '', number = '', suffix = ''] = match;
  if (regionLetters.length > 2) {
    return rejected('PLATE_REGION', `Plate region code must be 1 or 2 letters (got ${regionLetters.length})`);
  }
  if (!KNOWN_REGIONS.has(regionLetters)) {
    return rejected('PLATE_REGION', `Plate region code ${regionLetters} is not an Indonesian registration region`);
  }
  if (number.length > 4) {
    return rejected('PLATE_NUMBER', `Plate number must have 1 to 4 digits (got ${number.length})`);
  }
  if (number.startsWith('0')) {
    return rejected('PLATE_NUMBER', 'Plate number digits must not start with 0');
  }
  if (suffix.length > 3) {
    return rejected('PLATE_SUFFIX', `Plate suffix must have at most 3 letters (got ${suffix.length})`);
  }
  const plateNumber = suffix ? `${regionLetters} ${number} ${suffix}` : `${regionLetters} ${number}`;
  return accepted({ plateNumber, regionLetters, number, suffix });
}
