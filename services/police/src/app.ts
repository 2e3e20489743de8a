import { join } from 'node:path';
import { defineServiceEnv, loadTypeDefs, subgraphFactory, type SubgraphServiceDefinition } from '@simpul/service-kit';
import { z } from 'zod';
import type { PoliceContext } from './context';
import { schema, type PoliceSchema } from './db/schema';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { drivingLicenceResolvers } from './modules/driving-licence/driving-licence.resolvers';
import { vehicleResolvers } from './modules/vehicle/vehicle.resolvers';
import { startPoliceTaskWorker } from './task-worker';

export const SERVICE_NAME = 'police';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...drivingLicenceResolvers.Query, ...vehicleResolvers.Query },
  Citizen: citizenResolvers.Citizen,
  Vehicle: vehicleResolvers.Vehicle,
};

export const createPoliceSubgraph = subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders });

export const envSchema = defineServiceEnv({
  /** The federated graph, where the police read the tax office's PKB before validating an STNK. */
  GATEWAY_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4000/graphql'),
});
export type PoliceEnv = z.output<typeof envSchema>;

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const policeService = {
  name: SERVICE_NAME,
  envSchema,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createPoliceSubgraph,
  // The police's part of the MPP fan-out: UPDATE_VEHICLE_REGISTRATION_ADDRESS, VALIDATE_STNK.
  startWorkers: startPoliceTaskWorker,
} satisfies SubgraphServiceDefinition<PoliceSchema, PoliceEnv, PoliceContext>;
