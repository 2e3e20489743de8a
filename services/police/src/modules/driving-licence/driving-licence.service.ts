import { BadUserInputError } from '@simpul/service-kit';
import { parseSimNumber } from '@simpul/identifiers';
import type { DrivingLicenceRow } from '../../db/schema';
import type { PoliceLoaders } from '../../loaders';

/** The 12 digits of a SIM number (the printed '0589-1408-0012' grouping is accepted too). */
export function requireValidSimNumber(number: string, argument = 'number'): string {
  const parsed = parseSimNumber(number);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value;
}

export async function findDrivingLicence(loaders: PoliceLoaders, number: string): Promise<DrivingLicenceRow | null> {
  return loaders.drivingLicenceByNumber.load(requireValidSimNumber(number));
}
