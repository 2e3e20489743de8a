import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, type Database, type Logger } from '@simpul/service-kit';
import type { ApplicationsContext } from './context';
import type { ApplicationsSchema } from './db/schema';
import { createLoaders } from './loaders';
import { applicationResolvers } from './modules/application/application.resolvers';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';

export const SERVICE_NAME = 'applications';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: applicationResolvers.Query,
  Citizen: citizenResolvers.Citizen,
  Application: applicationResolvers.Application,
};

export function createApplicationsSubgraph(deps: { db: Database<ApplicationsSchema>; logger: Logger; production?: boolean; ready?: () => Promise<void> }) {
  return createSubgraph<ApplicationsContext>(
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
