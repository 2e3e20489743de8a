import type { PoliceContext } from '../../context';
import type { VehicleRow } from '../../db/schema';
import { findVehicle } from './vehicle.service';

export const vehicleResolvers = {
  Query: {
    vehicle: (_: unknown, args: { plateNumber: string }, ctx: PoliceContext) => findVehicle(ctx.loaders, args.plateNumber),
  },
  Vehicle: {
    __resolveReference: (ref: { plateNumber: string }, ctx: PoliceContext) => ctx.loaders.vehicleByPlateNumber.load(ref.plateNumber),
    // A reference only: the gateway asks Dukcapil (and the other subgraphs) for the owner's fields.
    owner: (vehicle: VehicleRow) => ({ nik: vehicle.ownerNik }),
    stnkValidation: (vehicle: VehicleRow, _: unknown, ctx: PoliceContext) => ctx.loaders.latestStnkValidationByPlateNumber.load(vehicle.plateNumber),
  },
};
