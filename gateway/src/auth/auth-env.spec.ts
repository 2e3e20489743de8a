import { EnvError } from '@simpul/service-kit';
import { createTestInternalContextKeys } from '@simpul/testing';
import { loadGatewayEnv } from '../env';

/** NODE_ENV=production also requires the key signing the subgraphs' internal context. */
let INTERNAL_CONTEXT_PRIVATE_KEY: string;
beforeAll(async () => {
  INTERNAL_CONTEXT_PRIVATE_KEY = (await createTestInternalContextKeys()).privateKey;
});

function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    loadGatewayEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe('gateway OIDC environment', () => {
  it('leaves verification off when OIDC_ISSUER_URL is unset outside production', () => {
    expect(loadGatewayEnv({}).oidc).toBeUndefined();
    expect(loadGatewayEnv({ NODE_ENV: 'test', OIDC_ISSUER_URL: '' }).oidc).toBeUndefined();
  });

  it('defaults the audience, the asymmetric algorithms and a 30 s clock tolerance', () => {
    expect(loadGatewayEnv({ OIDC_ISSUER_URL: 'http://127.0.0.1:4010/realms/simpul' }).oidc).toEqual({
      issuer: 'http://127.0.0.1:4010/realms/simpul',
      audience: 'simpul-gateway',
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      clockToleranceSeconds: 30,
    });
  });

  it('reads the audience, algorithms and tolerance', () => {
    const env = loadGatewayEnv({
      NODE_ENV: 'production',
      INTERNAL_CONTEXT_PRIVATE_KEY,
      OIDC_ISSUER_URL: 'https://sso.mpp.go.id/realms/simpul',
      OIDC_AUDIENCE: 'mpp-gateway',
      OIDC_ALLOWED_ALGS: 'RS256, ES256',
      OIDC_CLOCK_TOLERANCE_SECONDS: '60',
    });
    expect(env.oidc).toEqual({ issuer: 'https://sso.mpp.go.id/realms/simpul', audience: 'mpp-gateway', algorithms: ['RS256', 'ES256'], clockToleranceSeconds: 60 });
  });

  it('requires OIDC_ISSUER_URL in production', () => {
    expect(problemsOf({ NODE_ENV: 'production', INTERNAL_CONTEXT_PRIVATE_KEY })).toEqual([
      expect.stringMatching(/^OIDC_ISSUER_URL: required when NODE_ENV=production/),
    ]);
  });

  it('lists the missing issuer together with other bad variables', () => {
    const problems = problemsOf({ NODE_ENV: 'production', INTERNAL_CONTEXT_PRIVATE_KEY, SUBGRAPH_TIMEOUT_MS: 'soon', OIDC_CLOCK_TOLERANCE_SECONDS: '120' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/SUBGRAPH_TIMEOUT_MS[\s\S]*OIDC_CLOCK_TOLERANCE_SECONDS[\s\S]*OIDC_ISSUER_URL/);
  });

  it('refuses a clock tolerance above 60 s', () => {
    expect(problemsOf({ OIDC_ISSUER_URL: 'http://idp/realms/simpul', OIDC_CLOCK_TOLERANCE_SECONDS: '61' })).toEqual([
      expect.stringContaining('OIDC_CLOCK_TOLERANCE_SECONDS'),
    ]);
    expect(problemsOf({ OIDC_CLOCK_TOLERANCE_SECONDS: '-1' })).toEqual([expect.stringContaining('OIDC_CLOCK_TOLERANCE_SECONDS')]);
  });

  it.each(['none', 'HS256', 'RS256,HS512', ' , '])('refuses OIDC_ALLOWED_ALGS=%j', (algs) => {
    expect(problemsOf({ OIDC_ALLOWED_ALGS: algs })).toEqual([expect.stringContaining('OIDC_ALLOWED_ALGS')]);
  });

  it('refuses an issuer that is not an http(s) URL', () => {
    expect(problemsOf({ OIDC_ISSUER_URL: 'keycloak/realms/simpul' })).toEqual([expect.stringContaining('OIDC_ISSUER_URL')]);
  });
});
