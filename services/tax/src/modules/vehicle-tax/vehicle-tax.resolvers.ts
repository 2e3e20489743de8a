import type { TaxContext } from '../../context';

/** POLRI owns the vehicle; here a reference is just its plate number, and its PKB one batched query. */
interface VehicleReference {
  plateNumber: string;
}

export const vehicleTaxResolvers = {
  Vehicle: {
    __resolveReference: (ref: VehicleReference): VehicleReference => ({ plateNumber: ref.plateNumber }),
    taxDue: (vehicle: VehicleReference, _: unknown, ctx: TaxContext) => ctx.loaders.vehicleTaxByPlateNumber.load(vehicle.plateNumber),
  },
};
