import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, type Database, type Logger } from '@simpul/service-kit';
import type { ReligiousAffairsContext } from './context';
import type { ReligiousAffairsSchema } from './db/schema';
import { createLoaders } from './loaders';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { marriageResolvers } from './modules/marriage/marriage.resolvers';

export const SERVICE_NAME = 'religious-affairs';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: marriageResolvers.Query,
  Citizen: citizenResolvers.Citizen,
  Marriage: marriageResolvers.Marriage,
};

export function createReligiousAffairsSubgraph(deps: {
  db: Database<ReligiousAffairsSchema>;
  logger: Logger;
  production?: boolean;
  ready?: () => Promise<void>;
}) {
  return createSubgraph<ReligiousAffairsContext>(
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
