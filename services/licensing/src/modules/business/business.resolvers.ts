import type { LicensingContext } from '../../context';
import type { BusinessRow } from '../../db/schema';
import { findBusiness, findBusinessesOfOwner } from './business.service';

export const businessResolvers = {
  Query: {
    business: (_: unknown, args: { nib: string }, ctx: LicensingContext) => findBusiness(ctx.loaders, args.nib),
  },
  Citizen: {
    // Dukcapil owns the citizen; here a reference is all the contributed fields need.
    __resolveReference: (ref: { nik: string }) => ({ nik: ref.nik }),
    businesses: (citizen: { nik: string }, _: unknown, ctx: LicensingContext) => findBusinessesOfOwner(ctx.loaders, citizen.nik),
  },
  Business: {
    __resolveReference: (ref: { nib: string }, ctx: LicensingContext) => ctx.loaders.businessByNib.load(ref.nib),
    owner: (business: BusinessRow) => ({ nik: business.ownerNik }),
  },
};
