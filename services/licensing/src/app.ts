import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, type Database, type Logger } from '@simpul/service-kit';
import type { LicensingContext } from './context';
import type { LicensingSchema } from './db/schema';
import { createLoaders } from './loaders';
import { businessResolvers } from './modules/business/business.resolvers';

export const SERVICE_NAME = 'licensing';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...businessResolvers.Query },
  Citizen: businessResolvers.Citizen,
  Business: businessResolvers.Business,
};

export function createLicensingSubgraph(deps: { db: Database<LicensingSchema>; logger: Logger; production?: boolean; ready?: () => Promise<void> }) {
  return createSubgraph<LicensingContext>(
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
