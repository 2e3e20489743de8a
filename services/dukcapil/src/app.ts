import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, type Database, type Logger } from '@simpul/service-kit';
import type { DukcapilContext } from './context';
import type { DukcapilSchema } from './db/schema';
import { createLoaders } from './loaders';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { familyCardResolvers } from './modules/family-card/family-card.resolvers';

export const SERVICE_NAME = 'dukcapil';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...citizenResolvers.Query, ...familyCardResolvers.Query },
  Citizen: citizenResolvers.Citizen,
  FamilyCard: familyCardResolvers.FamilyCard,
  FamilyMember: familyCardResolvers.FamilyMember,
};

export function createDukcapilSubgraph(deps: { db: Database<DukcapilSchema>; logger: Logger; production?: boolean; ready?: () => Promise<void> }) {
  return createSubgraph<DukcapilContext>(
    {
      name: SERVICE_NAME,
      typeDefs,
      resolvers,
      logger: deps.logger,
      production: deps.production,
      createContext: (base) => ({ ...base, loaders: createLoaders(deps.db) }),
    },
    deps.ready,
  );
}
