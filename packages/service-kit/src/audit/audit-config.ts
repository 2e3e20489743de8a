import { z } from 'zod';
import { EnvError } from '../env';
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

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const auditEnvSchema = z.object({
  AUDIT_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  AUDIT_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(60_000).default(DEFAULT_AUDIT_TIMEOUT_MS)),
  NIK_HASH_PEPPER: z.preprocess(emptyAsUndefined, z.string().min(16, 'NIK_HASH_PEPPER must be at least 16 characters').optional()),
  OIDC_ISSUER_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  OIDC_CLIENT_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  OIDC_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
});

/**
 * Auditing as the environment configures it: `AUDIT_URL` (the audit service's base URL) turns it on,
 * and is required in production, as is NIK_HASH_PEPPER. Without AUDIT_URL outside production,
 * undefined: accesses are not recorded (as before the audit log existed).
 */
export function auditOptionsFromEnv(
  source: NodeJS.ProcessEnv,
  production: boolean,
  service = 'unknown',
  /**
   * The service records work of its own (a task worker, the applications service's consumer): in
   * production it then needs its service account (OIDC_ISSUER_URL, OIDC_CLIENT_ID,
   * OIDC_CLIENT_SECRET), without which the audit log would refuse every record and every task fail.
   */
  options: { ownWork?: boolean } = {},
): AuditOptions | undefined {
  const parsed = auditEnvSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  if (parsed.success && production) {
    if (!parsed.data.AUDIT_URL) problems.push('AUDIT_URL: required in production (every personal-data access is audited)');
    if (!parsed.data.NIK_HASH_PEPPER) problems.push('NIK_HASH_PEPPER: required in production');
    if (options.ownWork) {
      for (const name of ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
        if (!parsed.data[name]) problems.push(`${name}: required in production (the service records its own work in the audit log as its service account)`);
      }
    }
  }
  if (!parsed.success || problems.length > 0) throw new EnvError(problems);
  const env = parsed.data;
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
