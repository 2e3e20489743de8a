import { join } from 'node:path';
import { EnvError, emptyAsUndefined, loadEnv, type Logger } from '@simpul/service-kit';
import { z } from 'zod';
import { DEFAULT_IDENTITY_PORT } from './identity-server';
import { DEFAULT_REALM_PATH } from './realm/realm-file';

const optional = z.preprocess(emptyAsUndefined, z.string().optional());

/** The identity provider's variables (`node dist/main.js`). */
export const identityEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_IDENTITY_PORT),
  DATA_DIR: z.string().min(1).default(join('.simpul', 'data', 'identity')),
  REALM_PATH: z.string().min(1).default(DEFAULT_REALM_PATH),
  /** Public origin of the issuer (https://id.example.org → https://id.example.org/realms/simpul). */
  ISSUER: optional.pipe(
    z
      .url({ protocol: /^https?$/ })
      .refine((value) => new URL(value).pathname.replace(/\/+$/, '') === '', 'an origin like https://id.example.org, without a path')
      .optional(),
  ),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  /** NIK of the citizen demo user (default: the realm file's). */
  DEMO_CITIZEN_NIK: optional.pipe(z.string().regex(/^\d{16}$/, '16 digits').optional()),
  /** Lets the server start under NODE_ENV=production anyway (see refuseProductionUse). */
  IDENTITY_ALLOW_PRODUCTION: z
    .enum(['true', 'false'], { message: 'expected true or false' })
    .default('false')
    .transform((value) => value === 'true'),
});

export type IdentityEnv = z.infer<typeof identityEnvSchema>;

export function loadIdentityEnv(source: NodeJS.ProcessEnv = process.env): IdentityEnv {
  return loadEnv(identityEnvSchema, source);
}

export const PRODUCTION_REFUSAL =
  'NODE_ENV=production: the embedded identity provider (packages/identity) is for development and demos only ' +
  '(login sessions in memory, demo users and client secrets). Use Keycloak in production (infra/keycloak, ' +
  'then OIDC_ISSUER_URL=https://<keycloak>/realms/simpul); to run this one anyway, set IDENTITY_ALLOW_PRODUCTION=true';

/**
 * Before the server starts: under NODE_ENV=production, refuses (an EnvError, so runService exits 1
 * with the message) unless IDENTITY_ALLOW_PRODUCTION=true, which still gets a warning.
 */
export function refuseProductionUse(env: Pick<IdentityEnv, 'NODE_ENV' | 'IDENTITY_ALLOW_PRODUCTION'>, logger: Logger): void {
  if (env.NODE_ENV !== 'production') return;
  if (!env.IDENTITY_ALLOW_PRODUCTION) throw new EnvError([PRODUCTION_REFUSAL]);
  logger.warn(
    'IDENTITY_ALLOW_PRODUCTION=true: the embedded identity provider runs with NODE_ENV=production, keeping login sessions in memory and serving demo users and client secrets; use Keycloak (infra/keycloak) in production',
  );
}
