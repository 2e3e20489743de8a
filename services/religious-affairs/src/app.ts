import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory } from '@simpul/service-kit';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { religiousAffairsEnvSchema } from './env';
import { marriageResolvers } from './modules/marriage/marriage.resolvers';
import { religiousAffairsTasks } from './tasks';

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
  envSchema: religiousAffairsEnvSchema,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createReligiousAffairsSubgraph,
  /** Marriage registration tasks (KAFKA_BROKERS or EVENTS_URL says where the broker is; GATEWAY_URL where Dukcapil is asked). */
  tasks: religiousAffairsTasks,
};
