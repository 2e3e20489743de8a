import { join } from 'node:path';
import { createClientCredentialsTokenSource, createSubgraph, loadTypeDefs, type Database, type Logger, type Subgraph } from '@simpul/service-kit';
import type { ParticipantsContext } from './context';
import { schema, type ParticipantsSchema } from './db/schema';
import { hasData, seed } from './db/seed';
import { identityAdminUrlOf, participantsEnvSchema, type ParticipantsEnv } from './env';
import { createKeycloakAdmin, type IdentityAdmin } from './modules/credentials/keycloak-admin';
import { AgreementsRepository } from './modules/agreements/agreements.repository';
import { agreementsResolvers } from './modules/agreements/agreements.resolvers';
import { AgreementsService } from './modules/agreements/agreements.service';
import { ParticipantsRepository } from './modules/participants/participants.repository';
import { participantsResolvers } from './modules/participants/participants.resolvers';
import { ParticipantsService } from './modules/participants/participants.service';

export const SERVICE_NAME = 'participants';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

/** The identity provider's Admin REST API as the registry's own client, when the environment names them. */
export function identityAdminOf(env: Pick<ParticipantsEnv, 'OIDC_ISSUER_URL' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET' | 'IDENTITY_ADMIN_URL'>): IdentityAdmin | undefined {
  if (!env.OIDC_ISSUER_URL || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return undefined;
  return createKeycloakAdmin({
    adminUrl: env.IDENTITY_ADMIN_URL ?? identityAdminUrlOf(env.OIDC_ISSUER_URL),
    tokens: createClientCredentialsTokenSource({ issuerUrl: env.OIDC_ISSUER_URL, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET }),
  });
}

/** The registry's subgraph: the admin API over the registry, each request with the one service. */
export function createParticipantsSubgraph(deps: {
  db: Database<ParticipantsSchema>;
  logger: Logger;
  identity?: IdentityAdmin;
  production?: boolean;
  ready?: () => Promise<void>;
  internalContextPublicKey?: string;
  now?: () => Date;
}): Promise<Subgraph<ParticipantsContext>> {
  const repository = new ParticipantsRepository(deps.db);
  const participants = new ParticipantsService(repository, deps.identity, deps.now);
  const agreements = new AgreementsService(new AgreementsRepository(deps.db), repository, deps.now);
  return createSubgraph<ParticipantsContext>(
    {
      name: SERVICE_NAME,
      typeDefs,
      resolvers: {
        Query: { ...participantsResolvers.Query, ...agreementsResolvers.Query },
        Mutation: { ...participantsResolvers.Mutation, ...agreementsResolvers.Mutation },
        Participant: { ...participantsResolvers.Participant, ...agreementsResolvers.Participant },
        WebhookSecretIssued: participantsResolvers.WebhookSecretIssued,
        Agreement: agreementsResolvers.Agreement,
        AccessGrant: agreementsResolvers.AccessGrant,
      },
      logger: deps.logger,
      production: deps.production,
      internalContextPublicKey: deps.internalContextPublicKey,
      createContext: (base) => ({ ...base, participants, agreements }),
    },
    deps.ready,
  );
}

/** The whole service as `startSubgraphService` runs it (src/index.ts); the integration tests run the same. */
export const participantsService = {
  name: SERVICE_NAME,
  envSchema: participantsEnvSchema,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  demoData: { hasData, seed },
  createSubgraph: (deps: { db: Database<ParticipantsSchema>; env: ParticipantsEnv; logger: Logger; production: boolean; ready: () => Promise<void> }) =>
    createParticipantsSubgraph({ ...deps, identity: identityAdminOf(deps.env) }),
};
