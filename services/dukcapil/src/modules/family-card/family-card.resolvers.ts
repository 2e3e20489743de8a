import { BadUserInputError } from '@simpul/service-kit';
import { parseFamilyCardNumber } from '@simpul/identifiers';
import type { DukcapilContext } from '../../context';
import type { FamilyCardRow } from '../../db/schema';
import type { CitizenRecord } from '../citizen/citizen.repository';
import { addressOf } from '../citizen/citizen.resolvers';

export const familyCardResolvers = {
  Query: {
    familyCard: (_: unknown, args: { number: string }, ctx: DukcapilContext) => {
      const parsed = parseFamilyCardNumber(args.number);
      if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument: 'number', rule: parsed.rule });
      return ctx.loaders.familyCardByNumber.load(parsed.value.number);
    },
  },
  FamilyCard: {
    __resolveReference: (ref: { number: string }, ctx: DukcapilContext) => ctx.loaders.familyCardByNumber.load(ref.number),
    address: (card: FamilyCardRow) => addressOf(card),
    head: (card: FamilyCardRow, _: unknown, ctx: DukcapilContext) => ctx.loaders.citizenByNik.load(card.headNik),
    members: async (card: FamilyCardRow, _: unknown, ctx: DukcapilContext) => {
      const members = await ctx.loaders.familyMembersByCard.load(card.number);
      return members.map((member): CitizenRecord => {
        const citizen = { ...member, familyCard: card };
        ctx.loaders.citizenByNik.prime(member.nik, citizen);
        return citizen;
      });
    },
  },
  FamilyMember: {
    relationship: (member: CitizenRecord) => member.familyRelationship,
    citizen: (member: CitizenRecord) => member,
  },
};
