import type { ChildIdCardRow } from '../../db/schema';

export const childIdCardResolvers = {
  ChildIdCard: {
    number: (card: ChildIdCardRow) => card.nik,
  },
};
