import type { PoliceContext } from '../../context';

/** Dukcapil owns the citizen; here a reference is just its NIK, and each field is one batched query. */
interface CitizenReference {
  nik: string;
}

export const citizenResolvers = {
  Citizen: {
    __resolveReference: (ref: CitizenReference): CitizenReference => ({ nik: ref.nik }),
    drivingLicences: (citizen: CitizenReference, _: unknown, ctx: PoliceContext) => ctx.loaders.drivingLicencesByNik.load(citizen.nik),
    vehicles: async (citizen: CitizenReference, _: unknown, ctx: PoliceContext) => {
      const owned = await ctx.loaders.vehiclesByOwnerNik.load(citizen.nik);
      for (const vehicle of owned) ctx.loaders.vehicleByPlateNumber.prime(vehicle.plateNumber, vehicle);
      return owned;
    },
  },
};
