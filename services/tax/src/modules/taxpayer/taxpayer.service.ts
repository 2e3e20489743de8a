import { BadUserInputError } from '@simpul/service-kit';
import { formatNpwp, parseNpwp } from '@simpul/identifiers';
import type { TaxpayerRow } from '../../db/schema';
import type { TaxLoaders } from '../../loaders';

/** How an NPWP is shown: a legacy 15-digit NPWP dotted (99.999.999.9-999.999), a NIK-based one as its 16 digits. */
export function displayNpwp(digits: string): string {
  return digits.length === 15 ? formatNpwp(digits) : digits;
}

/** The NPWP digits as stored; a malformed NPWP is the caller's error. */
export function requireValidNpwp(npwp: string, argument = 'npwp'): string {
  const parsed = parseNpwp(npwp);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value.npwp;
}

export async function findTaxpayer(loaders: TaxLoaders, npwp: string): Promise<TaxpayerRow | null> {
  return loaders.taxpayerByNpwp.load(requireValidNpwp(npwp));
}
