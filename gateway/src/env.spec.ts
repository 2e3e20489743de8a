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
  it('defaults to 127.0.0.1:4000, the checked-in supergraph and a 5 s timeout for every subgraph', () => {
    const env = loadGatewayEnv({});
    expect(env).toMatchObject({ host: '127.0.0.1', port: 4000, supergraphPath: DEFAULT_SUPERGRAPH_PATH, subgraphTimeoutMs: 5000 });
    expect(Object.keys(env.subgraphs)).toHaveLength(SUBGRAPHS.length);
    expect(env.subgraphs['religious-affairs']).toEqual({ url: undefined, timeoutMs: 5000 });
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
    expect(env.subgraphs['religious-affairs']).toEqual({ url: 'http://kua.internal:8080/graphql', timeoutMs: 2500 });
    expect(env.subgraphs.tax).toEqual({ url: undefined, timeoutMs: 800 });
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
