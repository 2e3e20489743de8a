import { BadUserInputError } from '@simpul/service-kit';
import { parseNib } from '@simpul/identifiers';
import type { BusinessRow } from '../../db/schema';
import type { LicensingLoaders } from '../../loaders';

export function requireValidNib(nib: string, argument = 'nib'): string {
  const parsed = parseNib(nib);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value;
}

export async function findBusiness(loaders: LicensingLoaders, nib: string): Promise<BusinessRow | null> {
  return loaders.businessByNib.load(requireValidNib(nib));
}

/** An owner's businesses; each is also remembered by NIB so a later lookup in the request costs no query. */
export async function findBusinessesOfOwner(loaders: LicensingLoaders, nik: string): Promise<BusinessRow[]> {
  const owned = await loaders.businessesByOwnerNik.load(nik);
  for (const business of owned) loaders.businessByNib.prime(business.nib, business);
  return owned;
}
