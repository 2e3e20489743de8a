import type { PoliceContext } from '../../context';
import { findDrivingLicence } from './driving-licence.service';

export const drivingLicenceResolvers = {
  Query: {
    drivingLicence: (_: unknown, args: { number: string }, ctx: PoliceContext) => findDrivingLicence(ctx.loaders, args.number),
  },
};
