import { join } from 'node:path';
import { loadTypeDefs, subgraphFactory, type SubgraphDeps, type SubgraphServiceDefinition } from '@simpul/service-kit';
import type { DukcapilContext } from './context';
import { schema, type DukcapilSchema } from './db/schema';
import { dukcapilEnvSchema, type DukcapilEnv } from './env';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { birthCertificateResolvers } from './modules/birth-certificate/birth-certificate.resolvers';
import { childIdCardResolvers } from './modules/child-id-card/child-id-card.resolvers';
import { createCitizenResolvers } from './modules/citizen/citizen.resolvers';
import { familyCardResolvers } from './modules/family-card/family-card.resolvers';
import { DEFAULT_VERIFICATION_LIMITS, verificationLimitsOf, type VerificationLimits } from './modules/verification/verification-limits';
import { dukcapilTasks } from './tasks';

export const SERVICE_NAME = 'dukcapil';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

/**
 * The subgraph over `deps.db`; verifyCitizen counts partners' failed claim checks in the same
 * database, within `verificationLimits` (default: the service's defaults).
 */
export function createDukcapilSubgraph(deps: SubgraphDeps<DukcapilSchema> & { verificationLimits?: VerificationLimits }) {
  const citizenResolvers = createCitizenResolvers({ db: deps.db, limits: deps.verificationLimits ?? DEFAULT_VERIFICATION_LIMITS });
  const resolvers = {
    Query: { ...citizenResolvers.Query, ...familyCardResolvers.Query },
    Citizen: citizenResolvers.Citizen,
    FamilyCard: familyCardResolvers.FamilyCard,
    FamilyMember: familyCardResolvers.FamilyMember,
    BirthCertificate: birthCertificateResolvers.BirthCertificate,
    ChildIdCard: childIdCardResolvers.ChildIdCard,
  };
  return subgraphFactory({ name: SERVICE_NAME, typeDefs, resolvers, createLoaders })(deps);
}

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const dukcapilService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  envSchema: dukcapilEnvSchema,
  demoData: { hasData, seed },
  createSubgraph: (deps: SubgraphDeps<DukcapilSchema> & { env?: DukcapilEnv }) =>
    createDukcapilSubgraph({ ...deps, verificationLimits: deps.env ? verificationLimitsOf(deps.env) : undefined }),
  /** Tasks of the MPP applications (KAFKA_BROKERS or EVENTS_URL says where the broker is). */
  tasks: dukcapilTasks,
} satisfies SubgraphServiceDefinition<DukcapilSchema, DukcapilEnv, DukcapilContext>;
