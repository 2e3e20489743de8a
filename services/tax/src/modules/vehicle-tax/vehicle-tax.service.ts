import { BadUserInputError } from '@simpul/service-kit';
import { parsePlateNumber } from '@simpul/identifiers';
import type { TaxLoaders } from '../../loaders';
import type { VehicleTaxWithReceipt } from './vehicle-tax.repository';

/** SKPD/PKB receipt numbers: PKB/<tax year>/<serial, 8 digits>. */
export const PKB_RECEIPT_NUMBER_PATTERN = /^PKB\/\d{4}\/\d{8}$/;

export function pkbReceiptNumber(taxYear: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1 || serial > 99_999_999) throw new RangeError(`PKB receipt serial out of range: ${serial}`);
  return `PKB/${taxYear}/${String(serial).padStart(8, '0')}`;
}

/** The normalised plate ('bm1234ab' → 'BM 1234 AB'); a malformed one is the caller's error. */
export function requireValidPlateNumber(plateNumber: string, argument = 'plateNumber'): string {
  const parsed = parsePlateNumber(plateNumber);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value.plateNumber;
}

export async function findVehicleTax(loaders: TaxLoaders, plateNumber: string): Promise<VehicleTaxWithReceipt | null> {
  return loaders.vehicleTaxByPlateNumber.load(requireValidPlateNumber(plateNumber));
}
