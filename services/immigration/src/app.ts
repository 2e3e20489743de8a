import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory } from '@simpul/service-kit';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { passportResolvers } from './modules/passport/passport.resolvers';
import { immigrationTasks } from './tasks';

export const SERVICE_NAME = 'immigration';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...passportResolvers.Query },
  Citizen: passportResolvers.Citizen,
  Passport: passportResolvers.Passport,
};

export const createImmigrationSubgraph = subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders });

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const immigrationService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createImmigrationSubgraph,
  /** Decides the MPP tasks assigned to immigration (needs KAFKA_BROKERS or EVENTS_URL). */
  tasks: immigrationTasks,
};
