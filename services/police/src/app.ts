import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory, type SubgraphServiceDefinition } from '@simpul/service-kit';
import type { PoliceContext } from './context';
import { schema, type PoliceSchema } from './db/schema';
import { hasData, seed } from './db/seed';
import { policeEnvSchema, type PoliceEnv } from './env';
import { createLoaders } from './loaders';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { drivingLicenceResolvers } from './modules/driving-licence/driving-licence.resolvers';
import { vehicleResolvers } from './modules/vehicle/vehicle.resolvers';
import { policeTasks } from './tasks';

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
  envSchema: policeEnvSchema,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createPoliceSubgraph,
  // The police's part of the MPP fan-out: UPDATE_VEHICLE_REGISTRATION_ADDRESS, VALIDATE_STNK.
  tasks: policeTasks,
} satisfies SubgraphServiceDefinition<PoliceSchema, PoliceEnv, PoliceContext>;
