import type { TaxContext } from '../../context';
import { findVehicleTax } from './vehicle-tax.service';

/** POLRI owns the vehicle; here a reference is just its plate number, and its PKB one batched query. */
interface VehicleReference {
  plateNumber: string;
}

export const vehicleTaxResolvers = {
  Query: {
    vehicleTax: (_: unknown, args: { plateNumber: string }, ctx: TaxContext) => findVehicleTax(ctx.loaders, args.plateNumber),
  },
  Vehicle: {
    __resolveReference: (ref: VehicleReference): VehicleReference => ({ plateNumber: ref.plateNumber }),
    taxDue: (vehicle: VehicleReference, _: unknown, ctx: TaxContext) => ctx.loaders.vehicleTaxByPlateNumber.load(vehicle.plateNumber),
  },
};
