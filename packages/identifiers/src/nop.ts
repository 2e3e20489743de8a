import { accepted, rejected, type ParseResult } from './parse-result';
import { PROVINCES } from './regions';

/**
 * A PBB object number. Region codes are cumulative (like NIK codes): `regencyCode` holds the
 * province too, `districtCode` province + regency + district, and so on.
 */
export interface ParsedNop {
  /** 18 digits. */
  nop: string;
  /** 2 digits. */
  provinceCode: string;
  /** 4 digits. */
  regencyCode: string;
  /** 7 digits. */
  districtCode: string;
  /** 10 digits. */
  villageCode: string;
  /** 3 digits. */
  block: string;
  /** 4 digits. */
  serial: string;
  /** 1 digit: object type. */
  type: string;
}

const DOTTED_NOP = /^\d{2}\.\d{2}\.\d{3}\.\d{3}\.\d{3}\.\d{4}\.\d$/;

/** Parses a NOP (Nomor Objek Pajak of PBB): 18 digits, or the dotted form `PP.RR.DDD.VVV.BBB.SSSS.T`. */
export function parseNop(input: string): ParseResult<ParsedNop> {
  const trimmed = input.trim();
  if (!/^[\d.]*$/.test(trimmed)) {
    return rejected('NOP_DIGITS', 'NOP must contain only digits, optionally dotted as PP.RR.DDD.VVV.BBB.SSSS.T');
  }
  let nop = trimmed;
  if (trimmed.includes('.')) {
    if (!DOTTED_NOP.test(trimmed)) {
      return rejected('NOP_FORMAT', 'A dotted NOP must be grouped as PP.RR.DDD.VVV.BBB.SSSS.T');
    }
    nop = trimmed.replace(/\./g, '');
  }
  if (nop.length !== 18) {
    return rejected('NOP_LENGTH', `NOP must be exactly 18 digits (got ${nop.length})`);
  }

  const provinceCode = nop.slice(0, 2);
  if (!(provinceCode in PROVINCES)) {
    return rejected('NOP_PROVINCE', `NOP province code ${provinceCode} is not a province in the Kemendagri region code list`);
  }
  const segmentRules: [rule: string, name: string, start: number, end: number][] = [
    ['NOP_REGENCY', 'regency code (digits 3–4)', 2, 4],
    ['NOP_DISTRICT', 'district code (digits 5–7)', 4, 7],
    ['NOP_VILLAGE', 'village code (digits 8–10)', 7, 10],
    ['NOP_BLOCK', 'block (digits 11–13)', 10, 13],
    ['NOP_SERIAL', 'serial number (digits 14–17)', 13, 17],
  ];
  for (const [rule, name, start, end] of segmentRules) {
    if (/^0+$/.test(nop.slice(start, end))) {
      return rejected(rule, `NOP ${name} must not be all zeros`);
    }
  }

  return accepted({
    nop,
    provinceCode,
    regencyCode: nop.slice(0, 4),
    districtCode: nop.slice(0, 7),
    villageCode: nop.slice(0, 10),
    block: nop.slice(10, 13),
    serial: nop.slice(13, 17),
    type: nop.slice(17),
  });
}

/** `PP.RR.DDD.VVV.BBB.SSSS.T` from 18 digits. */
export function formatNop(nop: string): string {
  if (!/^\d{18}$/.test(nop)) {
    throw new RangeError('formatNop expects exactly 18 digits');
  }
  return [nop.slice(0, 2), nop.slice(2, 4), nop.slice(4, 7), nop.slice(7, 10), nop.slice(10, 13), nop.slice(13, 17), nop.slice(17)].join('.');
}
