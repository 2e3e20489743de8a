import { createLogger, EnvError, type Logger } from '@simpul/service-kit';
import { loadIdentityEnv, PRODUCTION_REFUSAL, refuseProductionUse } from './identity-env';

function watchedLogger(): { logger: Logger; warn: jest.SpyInstance } {
  const logger = createLogger('identity-env-test', 'silent');
  return { logger, warn: jest.spyOn(logger, 'warn') };
}

describe('identity env', () => {
  it('defaults to development, production not allowed', () => {
    const env = loadIdentityEnv({});
    expect(env).toMatchObject({ NODE_ENV: 'development', IDENTITY_ALLOW_PRODUCTION: false, PORT: 4010 });
    expect(loadIdentityEnv({ NODE_ENV: 'production', IDENTITY_ALLOW_PRODUCTION: 'true' }).IDENTITY_ALLOW_PRODUCTION).toBe(true);
  });

  it('refuses a value of IDENTITY_ALLOW_PRODUCTION other than true or false, naming it', () => {
    expect(() => loadIdentityEnv({ IDENTITY_ALLOW_PRODUCTION: 'yes' })).toThrow(EnvError);
    expect(() => loadIdentityEnv({ IDENTITY_ALLOW_PRODUCTION: 'yes' })).toThrow('IDENTITY_ALLOW_PRODUCTION');
  });
});

describe('refuseProductionUse', () => {
  it('refuses NODE_ENV=production, pointing the operator to Keycloak and the explicit override', () => {
    const { logger, warn } = watchedLogger();
    let thrown: unknown;
    try {
      refuseProductionUse(loadIdentityEnv({ NODE_ENV: 'production' }), logger);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    expect((thrown as EnvError).problems).toEqual([PRODUCTION_REFUSAL]);
    expect(PRODUCTION_REFUSAL).toContain('NODE_ENV=production');
    expect(PRODUCTION_REFUSAL).toContain('Keycloak');
    expect(PRODUCTION_REFUSAL).toContain('infra/keycloak');
    expect(PRODUCTION_REFUSAL).toContain('IDENTITY_ALLOW_PRODUCTION=true');
    expect(warn).not.toHaveBeenCalled();
  });

  it('runs under NODE_ENV=production with IDENTITY_ALLOW_PRODUCTION=true, still warning', () => {
    const { logger, warn } = watchedLogger();
    expect(() => refuseProductionUse(loadIdentityEnv({ NODE_ENV: 'production', IDENTITY_ALLOW_PRODUCTION: 'true' }), logger)).not.toThrow();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('Keycloak');
  });

  it.each(['development', 'test'])('says nothing under NODE_ENV=%s', (nodeEnv) => {
    const { logger, warn } = watchedLogger();
    expect(() => refuseProductionUse(loadIdentityEnv({ NODE_ENV: nodeEnv }), logger)).not.toThrow();
    expect(() => refuseProductionUse(loadIdentityEnv({ NODE_ENV: nodeEnv, IDENTITY_ALLOW_PRODUCTION: 'false' }), logger)).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });
});
