import type { ImmigrationContext } from '../../context';
import type { PassportRow } from '../../db/schema';
import { findPassport, findPassportsOfHolder } from './passport.service';

export const passportResolvers = {
  Query: {
    passport: (_: unknown, args: { number: string }, ctx: ImmigrationContext) => findPassport(ctx.loaders, args.number),
  },
  Citizen: {
    // Dukcapil owns the citizen; here a reference is all the contributed fields need.
    __resolveReference: (ref: { nik: string }) => ({ nik: ref.nik }),
    passports: (citizen: { nik: string }, _: unknown, ctx: ImmigrationContext) => findPassportsOfHolder(ctx.loaders, citizen.nik),
  },
  Passport: {
    __resolveReference: (ref: { number: string }, ctx: ImmigrationContext) => ctx.loaders.passportByNumber.load(ref.number),
    holder: (passport: PassportRow) => ({ nik: passport.nik }),
    replacedBy: (passport: PassportRow, _: unknown, ctx: ImmigrationContext) => (passport.replacedBy ? ctx.loaders.passportByNumber.load(passport.replacedBy) : null),
  },
};
