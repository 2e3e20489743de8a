import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, type Database, type Logger } from '@simpul/service-kit';
import type { ImmigrationContext } from './context';
import type { ImmigrationSchema } from './db/schema';
import { createLoaders } from './loaders';
import { passportResolvers } from './modules/passport/passport.resolvers';

export const SERVICE_NAME = 'immigration';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...passportResolvers.Query },
  Citizen: passportResolvers.Citizen,
  Passport: passportResolvers.Passport,
};

export function createImmigrationSubgraph(deps: { db: Database<ImmigrationSchema>; logger: Logger; production?: boolean; ready?: () => Promise<void> }) {
  return createSubgraph<ImmigrationContext>(
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
