import { join } from 'node:path';
import { createLogger, loadEnv, runService } from '@simpul/service-kit';
import { z } from 'zod';
import { demoCredentials } from './demo-credentials';
import { DEFAULT_IDENTITY_PORT, startIdentityServer } from './identity-server';
import { rotateSigningKeys } from './keys/key-store';
import { DEFAULT_REALM_PATH } from './realm/realm-file';

// `npm start`'s identity provider: OpenID Connect on Keycloak's URLs, configured from the realm
// export Keycloak imports in production. `node dist/main.js --rotate-keys` adds a signing key to
// DATA_DIR and exits (the previous keys stay published; a running server picks it up on restart).

const optional = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const env = z.object({
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
});

if (process.argv.includes('--rotate-keys')) {
  const logger = createLogger('identity');
  try {
    const { DATA_DIR } = loadEnv(env);
    const keys = rotateSigningKeys(DATA_DIR);
    logger.info({ activeKid: keys.signingKeys[0]?.kid, publishedKids: keys.signingKeys.map((key) => key.kid) }, 'signing keys rotated; restart the identity provider to sign with the new key');
    process.exit(0);
  } catch (error) {
    logger.fatal({ err: error }, 'could not rotate the signing keys');
    process.exit(1);
  }
} else {
  runService('identity', async (logger) => {
    const config = loadEnv(env);
    if (config.NODE_ENV === 'production') {
      logger.warn('the embedded identity provider serves demo users and client secrets; use Keycloak (infra/keycloak) in production');
    }
    const server = await startIdentityServer({
      host: config.HOST,
      port: config.PORT,
      dataDir: config.DATA_DIR,
      realmPath: config.REALM_PATH,
      issuerOrigin: config.ISSUER,
      trustProxy: config.TRUST_PROXY === 'true',
      demoCitizenNik: config.DEMO_CITIZEN_NIK,
      logger,
    });
    const credentials = demoCredentials(server.realm);
    logger.info({ issuer: server.issuer, users: credentials.users, clients: credentials.clients }, 'demo credentials (development only)');
    return { url: server.issuer, stop: () => server.stop() };
  });
}
