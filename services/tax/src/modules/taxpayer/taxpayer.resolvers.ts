import type { TaxContext } from '../../context';
import type { TaxpayerRow } from '../../db/schema';
import { displayNpwp, findTaxpayer } from './taxpayer.service';

export const taxpayerResolvers = {
  Query: {
    taxpayer: (_: unknown, args: { npwp: string }, ctx: TaxContext) => findTaxpayer(ctx.loaders, args.npwp),
  },
  Taxpayer: {
    npwp: (taxpayer: TaxpayerRow) => displayNpwp(taxpayer.npwp),
    citizen: (taxpayer: TaxpayerRow) => ({ nik: taxpayer.nik }),
  },
};
