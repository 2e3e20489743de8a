import { EnvError, SUBGRAPHS } from '@simpul/service-kit';
import { DEFAULT_SUPERGRAPH_PATH, loadGatewayEnv } from './env';

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
