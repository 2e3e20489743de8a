import type { TaxContext } from '../../context';
import { displayNpwp } from '../taxpayer/taxpayer.service';

/** Dukcapil owns the citizen; here a reference is just its NIK, and each field is one batched query. */
interface CitizenReference {
  nik: string;
}

export const citizenResolvers = {
  Citizen: {
    __resolveReference: (ref: CitizenReference): CitizenReference => ({ nik: ref.nik }),
    npwp: async (citizen: CitizenReference, _: unknown, ctx: TaxContext) => {
      const taxpayer = await ctx.loaders.taxpayerByNik.load(citizen.nik);
      return taxpayer ? displayNpwp(taxpayer.npwp) : null;
    },
    propertyTaxBills: (citizen: CitizenReference, _: unknown, ctx: TaxContext) => ctx.loaders.propertyTaxBillsByOwnerNik.load(citizen.nik),
  },
};
