import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory } from '@simpul/service-kit';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { businessResolvers } from './modules/business/business.resolvers';
import { licensingTasks } from './tasks';

export const SERVICE_NAME = 'licensing';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...businessResolvers.Query },
  Citizen: businessResolvers.Citizen,
  Business: businessResolvers.Business,
};

export const createLicensingSubgraph = subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders });

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const licensingService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createLicensingSubgraph,
  /** Decides the MPP tasks assigned to licensing (needs KAFKA_BROKERS or EVENTS_URL). */
  tasks: licensingTasks,
};
