import type { ReligiousAffairsContext } from '../../context';
import { citizenReference } from '../citizen/citizen.resolvers';
import type { MarriageView } from './marriage.repository';
import { findMarriage, resolveMarriageReference, spouseNikOf } from './marriage.service';

export const marriageResolvers = {
  Query: {
    marriage: (_: unknown, args: { id: string }, ctx: ReligiousAffairsContext) => findMarriage(ctx.loaders, args.id),
  },
  Marriage: {
    __resolveReference: (ref: { id: string }, ctx: ReligiousAffairsContext) => resolveMarriageReference(ctx.loaders, ref.id),
    husband: (marriage: MarriageView) => citizenReference(marriage.husbandNik),
    wife: (marriage: MarriageView) => citizenReference(marriage.wifeNik),
    spouse: (marriage: MarriageView) => {
      const nik = spouseNikOf(marriage);
      return nik === null ? null : citizenReference(nik);
    },
  },
};
