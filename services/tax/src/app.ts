import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory } from '@simpul/service-kit';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { businessTaxpayerResolvers } from './modules/business-taxpayer/business-taxpayer.resolvers';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { propertyTaxResolvers } from './modules/property-tax/property-tax.resolvers';
import { taxpayerResolvers } from './modules/taxpayer/taxpayer.resolvers';
import { vehicleTaxResolvers } from './modules/vehicle-tax/vehicle-tax.resolvers';
import { taxTasks } from './tasks';

export const SERVICE_NAME = 'tax';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...propertyTaxResolvers.Query, ...taxpayerResolvers.Query, ...businessTaxpayerResolvers.Query, ...vehicleTaxResolvers.Query },
  BusinessTaxpayer: businessTaxpayerResolvers.BusinessTaxpayer,
  Citizen: citizenResolvers.Citizen,
  PropertyTaxBill: propertyTaxResolvers.PropertyTaxBill,
  Taxpayer: taxpayerResolvers.Taxpayer,
  Vehicle: vehicleTaxResolvers.Vehicle,
};

export const createTaxSubgraph = subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders });

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const taxService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createTaxSubgraph,
  // The tax office's part of the MPP fan-out: REGISTER_NPWP, UPDATE_TAXPAYER_ADDRESS, RECORD_VEHICLE_TAX_PAYMENT.
  tasks: taxTasks,
};
