import { join } from 'node:path';
import {
  createInternalContextVerifier,
  createSubgraph,
  createTokenVerifier,
  oidcSettingsOf,
  DEVELOPMENT_NIK_HASH_PEPPER,
  loadTypeDefs,
  type Database,
  type Logger,
  type OidcSettings,
  type Subgraph,
} from '@simpul/service-kit';
import type { AuditContext } from './context';
import { schema, type AuditSchema } from './db/schema';
import { hasData, seed } from './db/seed';
import { auditEnvSchema, DEVELOPMENT_AUDIT_CHAIN_KEY, type AuditEnv } from './env';
import { AnchorLog } from './modules/audit/audit-anchors';
import { auditResolvers } from './modules/audit/audit.resolvers';
import { AuditLog, DEFAULT_APPEND_SETTINGS, type AppendSettings } from './modules/audit/audit.service';
import { recordsRoute } from './modules/audit/records.route';

export const SERVICE_NAME = 'audit';
export const typeDefs = loadTypeDefs(join(__dirname, 'modules'));

/** The service's secrets and places, from its environment (env.ts). */
export interface AuditSettings {
  chainKey: string;
  anchorDir: string;
  nikHashPepper: string;
  /** The gateway's public JWK (JSON); without it no caller is verified and no field access enforced (development only). */
  internalContextPublicKey?: string;
  /** The identity provider verifying service accounts that append records of their own work (task workers). */
  oidc?: OidcSettings;
  /** Chains, group transactions in flight, and this replica's name (env AUDIT_CHAINS, AUDIT_APPEND_CONCURRENCY, AUDIT_WRITER_ID). */
  chains?: number;
  appendConcurrency?: number;
  writerId?: string;
  /** How far a record's occurredAt may lie from the audit service's clock (AUDIT_OCCURRED_AT_WINDOW_SECONDS). */
  occurredAtWindowSeconds?: number;
}

/** Where this writer starts among the chains: spread by its name, so replicas prefer different ones. */
function firstChainOf(writerId: string | undefined, chains: number): number {
  if (!writerId) return 0;
  let hash = 0;
  for (const char of writerId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % chains;
}

function appendSettingsOf(settings: AuditSettings, engine: 'postgres' | 'pglite' | undefined): AppendSettings {
  const chains = settings.chains ?? DEFAULT_APPEND_SETTINGS.chains;
  // PGlite is one connection: transactions run one after another whatever the concurrency.
  const concurrency = settings.appendConcurrency ?? (engine === 'pglite' ? 1 : DEFAULT_APPEND_SETTINGS.concurrency);
  return { chains, concurrency: Math.min(concurrency, chains), firstChain: firstChainOf(settings.writerId, chains) };
}

export function auditSettingsOf(env: AuditEnv, logger: Logger): AuditSettings {
  if (!env.AUDIT_CHAIN_KEY) logger.warn('AUDIT_CHAIN_KEY is not set: using the development key, which proves nothing against tampering');
  if (!env.NIK_HASH_PEPPER) logger.warn('NIK_HASH_PEPPER is not set: using the development pepper');
  if (!env.INTERNAL_CONTEXT_PUBLIC_KEY) {
    logger.warn('INTERNAL_CONTEXT_PUBLIC_KEY is not set: callers are not verified, myDataAccessLog is refused and the auditor queries are open');
  }
  return {
    chainKey: env.AUDIT_CHAIN_KEY ?? DEVELOPMENT_AUDIT_CHAIN_KEY,
    anchorDir: env.AUDIT_ANCHOR_DIR!,
    nikHashPepper: env.NIK_HASH_PEPPER ?? DEVELOPMENT_NIK_HASH_PEPPER,
    internalContextPublicKey: env.INTERNAL_CONTEXT_PUBLIC_KEY,
    oidc: oidcSettingsOf(env),
    chains: env.AUDIT_CHAINS,
    appendConcurrency: env.AUDIT_APPEND_CONCURRENCY,
    writerId: env.AUDIT_WRITER_ID,
    occurredAtWindowSeconds: env.AUDIT_OCCURRED_AT_WINDOW_SECONDS,
  };
}

/**
 * The audit subgraph (access logs for citizens and auditors, chain verification) and on the same
 * server `POST /records`, where the other subgraphs append what their requests accessed.
 */
export async function createAuditSubgraph(deps: {
  db: Database<AuditSchema>;
  engine?: 'postgres' | 'pglite';
  logger: Logger;
  settings: AuditSettings;
  production?: boolean;
  ready?: () => Promise<void>;
}): Promise<Subgraph<AuditContext>> {
  const { settings, logger } = deps;
  const log = new AuditLog(deps.db, settings.chainKey, new AnchorLog(settings.anchorDir, settings.chainKey, settings.writerId), logger, appendSettingsOf(settings, deps.engine));
  // POST /records takes the contexts every subgraph was signed (each for its own audience) and checks the records' service against it.
  const verifier = settings.internalContextPublicKey ? createInternalContextVerifier(settings.internalContextPublicKey, { anyAudience: true }) : undefined;
  const tokenVerifier = verifier && settings.oidc ? createTokenVerifier({ settings: settings.oidc, logger }) : undefined;
  const runtime = { log, nikHashPepper: settings.nikHashPepper, securityOn: verifier !== undefined };
  return createSubgraph<AuditContext>(
    {
      name: SERVICE_NAME,
      typeDefs,
      resolvers: auditResolvers,
      logger,
      production: deps.production,
      routes: [recordsRoute({ log, verifier, tokenVerifier, logger, occurredAtWindowSeconds: settings.occurredAtWindowSeconds })],
      // The audit log records its own reads itself (dataAccessLog), not through the audit plugin.
      audit: false,
      // GraphQL requests: verified (401 without a valid context) and field access enforced, as in every subgraph.
      internalContextPublicKey: settings.internalContextPublicKey,
      createContext: (base) => ({ ...base, runtime }),
    },
    deps.ready,
  );
}

/** The whole service as `startSubgraphService` runs it (src/index.ts). */
export const auditService = {
  name: SERVICE_NAME,
  envSchema: auditEnvSchema,
  schema,
  migrationsFolder: join(__dirname, '../migrations'),
  // The audit log records its own reads (dataAccessLog), not through the audit plugin.
  audit: false as const,
  demoData: { hasData, seed },
  createSubgraph: (deps: { db: Database<AuditSchema>; engine: 'postgres' | 'pglite'; env: AuditEnv; logger: Logger; production: boolean; ready: () => Promise<void> }) =>
    createAuditSubgraph({ ...deps, settings: auditSettingsOf(deps.env, deps.logger) }),
};
