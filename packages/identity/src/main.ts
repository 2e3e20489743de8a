import { createLogger, runService } from '@simpul/service-kit';
import { demoCredentials } from './demo-credentials';
import { loadIdentityEnv, refuseProductionUse } from './identity-env';
import { startIdentityServer } from './identity-server';
import { rotateSigningKeys } from './keys/key-store';

// `npm start`'s identity provider: OpenID Connect on Keycloak's URLs, configured from the realm
// export Keycloak imports in production. `node dist/main.js --rotate-keys` adds a signing key to
// DATA_DIR and exits (the previous keys stay published; a running server picks it up on restart).

if (process.argv.includes('--rotate-keys')) {
  const logger = createLogger('identity');
  try {
    const { DATA_DIR } = loadIdentityEnv();
    const keys = rotateSigningKeys(DATA_DIR);
    logger.info({ activeKid: keys.signingKeys[0]?.kid, publishedKids: keys.signingKeys.map((key) => key.kid) }, 'signing keys rotated; restart the identity provider to sign with the new key');
    process.exit(0);
  } catch (error) {
    logger.fatal({ err: error }, 'could not rotate the signing keys');
    process.exit(1);
  }
} else {
  runService('identity', async (logger) => {
    const config = loadIdentityEnv();
    // Development and demos only: under NODE_ENV=production it exits unless IDENTITY_ALLOW_PRODUCTION=true.
    refuseProductionUse(config, logger);
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
