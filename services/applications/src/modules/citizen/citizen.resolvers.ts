import type { ApplicationsContext } from '../../context';

/** Dukcapil owns the citizen; here a reference is just its NIK, and each field is one batched query. */
export interface CitizenReference {
  nik: string;
}

export const citizenReference = (nik: string): CitizenReference => ({ nik });

export const citizenResolvers = {
  Citizen: {
    __resolveReference: (ref: CitizenReference): CitizenReference => citizenReference(ref.nik),
    applications: (citizen: CitizenReference, _: unknown, ctx: ApplicationsContext) => ctx.loaders.applicationsByApplicant.load(citizen.nik),
  },
};
