import { EnvError, loadEnv } from '@simpul/service-kit';
import { DEFAULT_GATEWAY_URL, religiousAffairsEnvSchema } from './env';

describe('religious-affairs environment', () => {
  const base = { PORT: '4006', DATA_DIR: '/tmp/kua' };

  it('asks Dukcapil through the local gateway unless GATEWAY_URL says otherwise', () => {
    expect(loadEnv(religiousAffairsEnvSchema, base).GATEWAY_URL).toBe(DEFAULT_GATEWAY_URL);
    expect(loadEnv(religiousAffairsEnvSchema, { ...base, GATEWAY_URL: 'https://gateway.mpp.example/graphql' }).GATEWAY_URL).toBe('https://gateway.mpp.example/graphql');
  });

  it('refuses a GATEWAY_URL that is not an http(s) URL', () => {
    expect(() => loadEnv(religiousAffairsEnvSchema, { ...base, GATEWAY_URL: 'gateway:4000' })).toThrow(EnvError);
  });
});
