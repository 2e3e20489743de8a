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

/** STNK validation numbers: STNK/<year>/<serial, 8 digits>. */
export const STNK_VALIDATION_NUMBER_PATTERN = /^STNK\/\d{4}\/\d{8}$/;

export function stnkValidationNumber(year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999_999) throw new RangeError(`STNK validation serial out of range: ${serial}`);
  return `STNK/${year}/${String(serial).padStart(8, '0')}`;
}

/** The same day `years` later (29 February becomes 28 February in a common year). */
export function addYears(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year + years, month - 1, day));
  if (date.getUTCMonth() !== month - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}
