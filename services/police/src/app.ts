import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, type Database, type Logger } from '@simpul/service-kit';
import type { PoliceContext } from './context';
import type { PoliceSchema } from './db/schema';
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

export function createPoliceSubgraph(deps: { db: Database<PoliceSchema>; logger: Logger; production?: boolean; ready?: () => Promise<void> }) {
  return createSubgraph<PoliceContext>(
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
