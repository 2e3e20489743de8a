import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory } from '@simpul/service-kit';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { drivingLicenceResolvers } from './modules/driving-licence/driving-licence.resolvers';
import { vehicleResolvers } from './modules/vehicle/vehicle.resolvers';

export const SERVICE_NAME = 'police';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...drivingLicenceResolvers.Query, ...vehicleResolvers.Query },
  Citizen: citizenResolvers.Citizen,
  Vehicle: vehicleResolvers.Vehicle,
};

export const createPoliceSubgraph = subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders });

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const policeService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createPoliceSubgraph,
};
