import { BadUserInputError } from '@simpul/service-kit';
import { parseNop } from '@simpul/identifiers';
import type { PropertyTaxBillRow } from '../../db/schema';
import type { TaxLoaders } from '../../loaders';

/** The 18 NOP digits as stored (the dotted PP.RR.DDD.VVV.BBB.SSSS.T form is accepted too). */
export function requireValidNop(nop: string, argument = 'nop'): string {
  const parsed = parseNop(nop);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value.nop;
}

export async function findPropertyTaxBills(loaders: TaxLoaders, nop: string): Promise<PropertyTaxBillRow[]> {
  return loaders.propertyTaxBillsByNop.load(requireValidNop(nop));
}
