import { formatNop } from '@simpul/identifiers';
import type { TaxContext } from '../../context';
import type { PropertyTaxBillRow } from '../../db/schema';
import { findPropertyTaxBills } from './property-tax.service';

export const propertyTaxResolvers = {
  Query: {
    propertyTaxBills: (_: unknown, args: { nop: string }, ctx: TaxContext) => findPropertyTaxBills(ctx.loaders, args.nop),
  },
  PropertyTaxBill: {
    nop: (bill: PropertyTaxBillRow) => formatNop(bill.nop),
  },
};
