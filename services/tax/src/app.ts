import { join } from 'node:path';
import { createSubgraph, loadTypeDefs, type Database, type Logger } from '@simpul/service-kit';
import type { TaxContext } from './context';
import type { TaxSchema } from './db/schema';
import { createLoaders } from './loaders';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { propertyTaxResolvers } from './modules/property-tax/property-tax.resolvers';
import { taxpayerResolvers } from './modules/taxpayer/taxpayer.resolvers';
import { vehicleTaxResolvers } from './modules/vehicle-tax/vehicle-tax.resolvers';

export const SERVICE_NAME = 'tax';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...propertyTaxResolvers.Query, ...taxpayerResolvers.Query },
  Citizen: citizenResolvers.Citizen,
  PropertyTaxBill: propertyTaxResolvers.PropertyTaxBill,
  Taxpayer: taxpayerResolvers.Taxpayer,
  Vehicle: vehicleTaxResolvers.Vehicle,
};

export function createTaxSubgraph(deps: { db: Database<TaxSchema>; logger: Logger; production?: boolean; ready?: () => Promise<void> }) {
  return createSubgraph<TaxContext>(
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
