import { z } from 'zod';
import { EnvError, emptyAsUndefined } from '../env-error';
import { createClientCredentialsTokenSource } from '../client-credentials';
import { createAuditClient, DEFAULT_AUDIT_TIMEOUT_MS, type AuditSink } from './audit-client';
import { DEVELOPMENT_NIK_HASH_PEPPER } from './audit-record';
import { serviceActorSource, type ServiceActor } from './service-actor';

/** How a subgraph records personal-data accesses (see auditPlugin). */
export interface AuditOptions {
  sink: AuditSink;
  /** Hashes the NIKs in the records (the deployment's NIK_HASH_PEPPER). */
  nikHashPepper: string;
  /**
   * Who the service is when it records work of its own (task workers), authenticated to the audit
   * service by its client-credentials token when OIDC_ISSUER_URL, OIDC_CLIENT_ID and
   * OIDC_CLIENT_SECRET are set.
   */
  serviceActor?: () => Promise<ServiceActor>;
}

/** The audit log's and the service account's variables, part of every service's env (serviceEnvShape). */
export const auditEnvShape = {
  AUDIT_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()).describe('the audit log service (required in production)'),
  AUDIT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(60_000).default(DEFAULT_AUDIT_TIMEOUT_MS)).describe('deadline of an audit append, ms'),
  NIK_HASH_PEPPER: z.preprocess(emptyAsUndefined, z.string().min(16, 'NIK_HASH_PEPPER must be at least 16 characters').optional()).describe('secret hashing NIKs in audit records and events (required in production)'),
  OIDC_ISSUER_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()).describe("the identity provider's issuer, for the service account"),
  OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()).describe("the service account's client id"),
  OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()).describe("the service account's client secret"),
};

/** The parsed audit variables (a service's parsed env has them). */
export type AuditEnv = z.output<z.ZodObject<typeof auditEnvShape>>;

/**
 * Auditing as the parsed environment configures it: `AUDIT_URL` (the audit service's base URL) turns it on,
 * and is required in production, as is NIK_HASH_PEPPER. Without AUDIT_URL outside production,
 * undefined: accesses are not recorded (as before the audit log existed).
 */
export function auditOptionsFromEnv(
  env: AuditEnv,
  production: boolean,
  service = 'unknown',
  /**
   * The service records work of its own (a task worker, the applications service's consumer): in
   * production it then needs its service account (OIDC_ISSUER_URL, OIDC_CLIENT_ID,
   * OIDC_CLIENT_SECRET), without which the audit log would refuse every record and every task fail.
   */
  options: { ownWork?: boolean } = {},
): AuditOptions | undefined {
  const problems: string[] = [];
  if (production) {
    if (!env.AUDIT_URL) problems.push('AUDIT_URL: required in production (every personal-data access is audited)');
    if (!env.NIK_HASH_PEPPER) problems.push('NIK_HASH_PEPPER: required in production');
    if (options.ownWork) {
      for (const name of ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
        if (!env[name]) problems.push(`${name}: required in production (the service records its own work in the audit log as its service account)`);
      }
    }
  }
  if (problems.length > 0) throw new EnvError(problems);
  if (!env.AUDIT_URL) return undefined;
  const tokens =
    env.OIDC_ISSUER_URL && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
      ? createClientCredentialsTokenSource({ issuerUrl: env.OIDC_ISSUER_URL, clientId: env.OIDC_CLIENT_ID, clientSecret: env.OIDC_CLIENT_SECRET })
      : undefined;
  return {
    sink: createAuditClient({ url: env.AUDIT_URL, timeoutMs: env.AUDIT_TIMEOUT_MS, accessToken: tokens ? () => tokens.token() : undefined }),
    nikHashPepper: env.NIK_HASH_PEPPER ?? DEVELOPMENT_NIK_HASH_PEPPER,
    serviceActor: serviceActorSource(service, tokens),
  };
}
