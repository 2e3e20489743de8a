import { join } from 'node:path';
import { createServiceGatewayClient, loadTypeDefs, subgraphFactory, type Logger, type SubgraphDeps, type SubgraphServiceDefinition } from '@simpul/service-kit';
import type { DukcapilContext } from './context';
import { schema, type DukcapilSchema } from './db/schema';
import { dukcapilEnvSchema, type DukcapilEnv } from './env';
import { hasData, seed } from './db/seed';
import { createLoaders } from './loaders';
import { birthCertificateResolvers } from './modules/birth-certificate/birth-certificate.resolvers';
import { childIdCardResolvers } from './modules/child-id-card/child-id-card.resolvers';
import { createCitizenResolvers } from './modules/citizen/citizen.resolvers';
import { familyCardResolvers } from './modules/family-card/family-card.resolvers';
import { createAccessGrantCheck, type AccessGrantCheck } from './modules/verification/access-grants';
import { DEFAULT_VERIFICATION_LIMITS, verificationLimitsOf, type VerificationLimits } from './modules/verification/verification-limits';
import { dukcapilTasks } from './tasks';

export const SERVICE_NAME = 'dukcapil';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

/**
 * The subgraph over `deps.db`; verifyCitizen counts partners' failed claim checks in the same
 * database, within `verificationLimits` (default: the service's defaults).
 */
export function createDukcapilSubgraph(deps: SubgraphDeps<DukcapilSchema> & { verificationLimits?: VerificationLimits; accessGrants?: AccessGrantCheck }) {
  const citizenResolvers = createCitizenResolvers({ db: deps.db, limits: deps.verificationLimits ?? DEFAULT_VERIFICATION_LIMITS }, deps.accessGrants);
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

/** The participant registry's grants, asked through the gateway (GATEWAY_URL) as Dukcapil's client; none without GATEWAY_URL. */
function accessGrantsOf(env: DukcapilEnv, logger: Logger): AccessGrantCheck | undefined {
  if (!env.GATEWAY_URL) return undefined;
  return createAccessGrantCheck({ gateway: createServiceGatewayClient(env.GATEWAY_URL, env), logger, ttlMs: env.ACCESS_GRANT_CACHE_TTL_MS });
}

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const dukcapilService = {
  name: SERVICE_NAME,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  envSchema: dukcapilEnvSchema,
  demoData: { hasData, seed },
  createSubgraph: (deps: SubgraphDeps<DukcapilSchema> & { env?: DukcapilEnv }) =>
    createDukcapilSubgraph({ ...deps, verificationLimits: deps.env ? verificationLimitsOf(deps.env) : undefined, accessGrants: deps.env ? accessGrantsOf(deps.env, deps.logger) : undefined }),
  /** Tasks of the MPP applications (KAFKA_BROKERS or EVENTS_URL says where the broker is). */
  tasks: dukcapilTasks,
} satisfies SubgraphServiceDefinition<DukcapilSchema, DukcapilEnv, DukcapilContext>;
