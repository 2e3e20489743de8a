import { BadUserInputError } from '@simpul/service-kit';
import { parsePlateNumber } from '@simpul/identifiers';
import type { VehicleRow } from '../../db/schema';
import type { PoliceLoaders } from '../../loaders';

/** The normalised plate ('bm1234ab' → 'BM 1234 AB'); a malformed one is the caller's error. */
export function requireValidPlateNumber(plateNumber: string, argument = 'plateNumber'): string {
  const parsed = parsePlateNumber(plateNumber);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value.plateNumber;
}

export async function findVehicle(loaders: PoliceLoaders, plateNumber: string): Promise<VehicleRow | null> {
  return loaders.vehicleByPlateNumber.load(requireValidPlateNumber(plateNumber));
}
