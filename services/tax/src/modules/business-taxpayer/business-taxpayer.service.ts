import { npwpCheckDigit } from '@simpul/identifiers';
import type { BusinessTaxpayerRow } from '../../db/schema';
import type { TaxLoaders } from '../../loaders';
import { requireValidNpwp } from '../taxpayer/taxpayer.service';

/** Second NPWP digit of a business entity (badan); individuals' NPWPs carry 4–9 there, so the two never collide. */
const BUSINESS_TYPE_DIGITS = '01';
/** KPP Pratama code of the tax office registering businesses at this MPP (NPWP digits 10–12). */
export const REGISTERING_TAX_OFFICE_CODE = '218';
/** Digits 13–15: 000 for a head office (pusat). */
const HEAD_OFFICE = '000';

/** A business's 15-digit NPWP from its serial: 01 + serial(6) + check digit + KPP(3) + 000. */
export function businessNpwp(serial: number, taxOfficeCode = REGISTERING_TAX_OFFICE_CODE): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 999_999) throw new RangeError(`business NPWP serial out of range: ${serial}`);
  if (!/^\d{3}$/.test(taxOfficeCode)) throw new RangeError(`tax office code must be 3 digits: ${taxOfficeCode}`);
  const firstEight = `${BUSINESS_TYPE_DIGITS}${String(serial).padStart(6, '0')}`;
  return `${firstEight}${npwpCheckDigit(firstEight)}${taxOfficeCode}${HEAD_OFFICE}`;
}

export async function findBusinessTaxpayer(loaders: TaxLoaders, npwp: string): Promise<BusinessTaxpayerRow | null> {
  return loaders.businessTaxpayerByNpwp.load(requireValidNpwp(npwp));
}
