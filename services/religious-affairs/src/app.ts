import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory } from '@simpul/service-kit';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
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

export const createReligiousAffairsSubgraph = subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders });

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const religiousAffairsService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createReligiousAffairsSubgraph,
};
