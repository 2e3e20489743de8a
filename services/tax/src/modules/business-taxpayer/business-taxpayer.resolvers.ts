import type { TaxContext } from '../../context';
import type { BusinessTaxpayerRow } from '../../db/schema';
import { displayNpwp } from '../taxpayer/taxpayer.service';
import { findBusinessTaxpayer } from './business-taxpayer.service';

export const businessTaxpayerResolvers = {
  Query: {
    businessTaxpayer: (_: unknown, args: { npwp: string }, ctx: TaxContext) => findBusinessTaxpayer(ctx.loaders, args.npwp),
  },
  BusinessTaxpayer: {
    npwp: (taxpayer: BusinessTaxpayerRow) => displayNpwp(taxpayer.npwp),
    responsible: (taxpayer: BusinessTaxpayerRow) => ({ nik: taxpayer.responsibleNik }),
  },
};
