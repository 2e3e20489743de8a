import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory } from '@simpul/service-kit';
import { schema } from './db/schema';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { birthCertificateResolvers } from './modules/birth-certificate/birth-certificate.resolvers';
import { childIdCardResolvers } from './modules/child-id-card/child-id-card.resolvers';
import { citizenResolvers } from './modules/citizen/citizen.resolvers';
import { familyCardResolvers } from './modules/family-card/family-card.resolvers';
import { startDukcapilTaskWorker } from './task-worker';

export const SERVICE_NAME = 'dukcapil';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

const resolvers = {
  Query: { ...citizenResolvers.Query, ...familyCardResolvers.Query },
  Citizen: citizenResolvers.Citizen,
  FamilyCard: familyCardResolvers.FamilyCard,
  FamilyMember: familyCardResolvers.FamilyMember,
  BirthCertificate: birthCertificateResolvers.BirthCertificate,
  ChildIdCard: childIdCardResolvers.ChildIdCard,
};

export const createDukcapilSubgraph = subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders });

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const dukcapilService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: createDukcapilSubgraph,
  /** Tasks of the MPP applications (KAFKA_BROKERS or EVENTS_URL says where the broker is). */
  startWorkers: startDukcapilTaskWorker,
};
