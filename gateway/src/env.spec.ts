import { EnvError, SUBGRAPHS } from '@simpul/service-kit';
import { createTestInternalContextKeys, type TestInternalContextKeys } from '@simpul/testing';
import { DEFAULT_SUPERGRAPH_PATH, loadGatewayEnv } from './env';

function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    loadGatewayEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadGatewayEnv', () => {
  it('defaults to 127.0.0.1:4000, the checked-in supergraph, a 5 s timeout and a 4 MiB response cap for every subgraph', () => {
    const env = loadGatewayEnv({});
    expect(env).toMatchObject({ host: '127.0.0.1', port: 4000, supergraphPath: DEFAULT_SUPERGRAPH_PATH, subgraphTimeoutMs: 5000 });
    expect(Object.keys(env.subgraphs)).toHaveLength(SUBGRAPHS.length);
    expect(env.subgraphs['religious-affairs']).toEqual({ url: undefined, timeoutMs: 5000, maxResponseBytes: 4 * 1024 * 1024 });
  });

  it('caps every subgraph response at SUBGRAPH_MAX_RESPONSE_BYTES (at least 1 KiB)', () => {
    expect(loadGatewayEnv({ SUBGRAPH_MAX_RESPONSE_BYTES: '1048576' }).subgraphs.tax.maxResponseBytes).toBe(1048576);
    expect(() => loadGatewayEnv({ SUBGRAPH_MAX_RESPONSE_BYTES: '10' })).toThrow('SUBGRAPH_MAX_RESPONSE_BYTES');
  });

  it('reads per-subgraph URLs and timeouts, falling back to SUBGRAPH_TIMEOUT_MS', () => {
    const env = loadGatewayEnv({
      PORT: '8080',
      SUBGRAPH_TIMEOUT_MS: '2500',
      SUBGRAPH_RELIGIOUS_AFFAIRS_URL: 'http://kua.internal:8080/graphql',
      SUBGRAPH_TAX_TIMEOUT_MS: '800',
      SUBGRAPH_POLICE_URL: '',
    });
    expect(env.port).toBe(8080);
    expect(env.subgraphs['religious-affairs']).toMatchObject({ url: 'http://kua.internal:8080/graphql', timeoutMs: 2500 });
    expect(env.subgraphs.tax).toMatchObject({ url: undefined, timeoutMs: 800 });
    expect(env.subgraphs.police.url).toBeUndefined();
  });

  it('lists every bad variable at once', () => {
    let thrown: unknown;
    try {
      loadGatewayEnv({ SUBGRAPH_TIMEOUT_MS: 'soon', SUBGRAPH_TAX_URL: 'ftp://tax', SUBGRAPH_LICENSING_TIMEOUT_MS: '0' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    const problems = (thrown as EnvError).problems.join('\n');
    expect(problems).toContain('SUBGRAPH_TIMEOUT_MS');
    expect(problems).toContain('SUBGRAPH_TAX_URL');
    expect(problems).toContain('SUBGRAPH_LICENSING_TIMEOUT_MS');
  });
});

describe('INTERNAL_CONTEXT_PRIVATE_KEY', () => {
  // The identity provider production also requires; its URL is not contacted here.
  const PRODUCTION = { NODE_ENV: 'production', OIDC_ISSUER_URL: 'https://sso.example.go.id/realms/simpul' };
  let keys: TestInternalContextKeys;
  beforeAll(async () => {
    keys = await createTestInternalContextKeys();
  });

  it('is required when NODE_ENV=production: the subgraphs refuse every request without the signed context', () => {
    expect(problemsOf(PRODUCTION)).toEqual([expect.stringMatching(/^INTERNAL_CONTEXT_PRIVATE_KEY: required when NODE_ENV=production/)]);
    expect(problemsOf({ ...PRODUCTION, INTERNAL_CONTEXT_PRIVATE_KEY: '' })).toEqual([expect.stringMatching(/^INTERNAL_CONTEXT_PRIVATE_KEY: required/)]);
    expect(loadGatewayEnv({ ...PRODUCTION, INTERNAL_CONTEXT_PRIVATE_KEY: keys.privateKey }).internalContextPrivateKey).toBe(keys.privateKey);
  });

  it('is listed with every other problem of a production env at once', () => {
    const problems = problemsOf({ NODE_ENV: 'production', SUBGRAPH_TIMEOUT_MS: 'soon' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/SUBGRAPH_TIMEOUT_MS[\s\S]*OIDC_ISSUER_URL[\s\S]*INTERNAL_CONTEXT_PRIVATE_KEY/);
  });

  it('stays optional outside NODE_ENV=production (no context is sent then)', () => {
    expect(loadGatewayEnv({ NODE_ENV: 'test' }).internalContextPrivateKey).toBeUndefined();
    expect(loadGatewayEnv({ NODE_ENV: 'development', GATEWAY_PRODUCTION_MODE: 'true' }).internalContextPrivateKey).toBeUndefined();
  });

  it('must be the private JWK, in production too', () => {
    expect(problemsOf({ ...PRODUCTION, INTERNAL_CONTEXT_PRIVATE_KEY: keys.publicKey })).toEqual([
      expect.stringMatching(/^INTERNAL_CONTEXT_PRIVATE_KEY: .*private JWK/),
    ]);
  });
});

/** NODE_ENV=production also requires the key signing the subgraphs' internal context. */
let INTERNAL_CONTEXT_PRIVATE_KEY: string;
beforeAll(async () => {
  INTERNAL_CONTEXT_PRIVATE_KEY = (await createTestInternalContextKeys()).privateKey;
});

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
