import { ConsoleEnvError, loadConsoleEnv } from './env';

describe('loadConsoleEnv', () => {
  it('defaults to the ports and realm of npm start', () => {
    expect(loadConsoleEnv({})).toEqual({
      HOST: '127.0.0.1',
      PORT: 4030,
      GATEWAY_URL: 'http://127.0.0.1:4000',
      OIDC_ISSUER_URL: 'http://127.0.0.1:4010/realms/simpul',
      OIDC_CLIENT_ID: 'mpp-console',
    });
  });

  it('lists every bad variable at once', () => {
    const refused = (() => {
      try {
        loadConsoleEnv({ PORT: 'abc', GATEWAY_URL: 'ftp://gateway', OIDC_ISSUER_URL: 'not a url' });
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(ConsoleEnvError);
    expect((refused as ConsoleEnvError).problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'GATEWAY_URL', 'OIDC_ISSUER_URL']);
  });
});
