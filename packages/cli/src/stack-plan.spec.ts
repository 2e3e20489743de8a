import { childEnvironment, connectHost, httpOrigin, planStack } from './stack-plan';

const input = {
  repoRoot: '/srv/simpul',
  dataDir: '/srv/simpul/.simpul/data',
  host: '127.0.0.1',
  logLevel: 'info' as const,
  seeding: { citizens: 2000, seed: 20171006 },
};

describe('planStack', () => {
  it('puts the seven subgraphs on 4001–4007 and the gateway on 4000 by default', () => {
    const plan = planStack(input);
    expect(plan.subgraphs.map((s) => [s.name, s.port])).toEqual([
      ['dukcapil', 4001],
      ['licensing', 4002],
      ['tax', 4003],
      ['immigration', 4004],
      ['police', 4005],
      ['religious-affairs', 4006],
      ['applications', 4007],
    ]);
    expect(plan.gateway).toMatchObject({ port: 4000, url: 'http://127.0.0.1:4000/graphql', readyUrl: 'http://127.0.0.1:4000/readyz', script: '/srv/simpul/gateway/dist/index.js' });
  });

  it('gives each subgraph its own PGlite directory and the seeding options', () => {
    const religiousAffairs = planStack(input).subgraphs.find((s) => s.name === 'religious-affairs');
    expect(religiousAffairs).toEqual({
      name: 'religious-affairs',
      role: 'subgraph',
      script: '/srv/simpul/services/religious-affairs/dist/index.js',
      port: 4006,
      url: 'http://127.0.0.1:4006/graphql',
      readyUrl: 'http://127.0.0.1:4006/readyz',
      env: {
        HOST: '127.0.0.1',
        PORT: '4006',
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
        DATA_DIR: '/srv/simpul/.simpul/data/religious-affairs',
        SEED_CITIZENS: '2000',
        SEED: '20171006',
      },
    });
  });

  it('shares a compile cache between the processes when given one', () => {
    const plan = planStack({ ...input, compileCacheDir: '/srv/simpul/.simpul/compile-cache' });
    for (const process of [...plan.subgraphs, plan.gateway]) expect(process.env.NODE_COMPILE_CACHE).toBe('/srv/simpul/.simpul/compile-cache');
    expect(planStack(input).gateway.env.NODE_COMPILE_CACHE).toBeUndefined();
  });

  it('shifts every port from --base-port and points the gateway at the shifted subgraphs', () => {
    const plan = planStack({ ...input, basePort: 5100 });
    expect(plan.gateway.port).toBe(5100);
    expect(plan.subgraphs.map((s) => s.port)).toEqual([5101, 5102, 5103, 5104, 5105, 5106, 5107]);
    expect(plan.gateway.env).toMatchObject({
      PORT: '5100',
      SUBGRAPH_DUKCAPIL_URL: 'http://127.0.0.1:5101/graphql',
      SUBGRAPH_RELIGIOUS_AFFAIRS_URL: 'http://127.0.0.1:5106/graphql',
      SUBGRAPH_APPLICATIONS_URL: 'http://127.0.0.1:5107/graphql',
    });
  });

  it('connects through loopback when listening on every interface', () => {
    const plan = planStack({ ...input, host: '0.0.0.0' });
    expect(plan.subgraphs[0]?.env.HOST).toBe('0.0.0.0');
    expect(plan.gateway.env.SUBGRAPH_DUKCAPIL_URL).toBe('http://127.0.0.1:4001/graphql');
    expect(connectHost('::')).toBe('::1');
    expect(httpOrigin('::', 4000)).toBe('http://[::1]:4000');
    expect(httpOrigin('localhost', 4000)).toBe('http://localhost:4000');
  });
});

describe('childEnvironment', () => {
  it('drops settings that would switch a process to the production shape and applies the plan', () => {
    const env = childEnvironment(
      {
        PATH: '/usr/bin',
        DATABASE_URL: 'postgres://prod/db',
        KAFKA_BROKERS: 'kafka:9092',
        SUBGRAPH_TAX_URL: 'http://tax.internal/graphql',
        PORT: '9999',
      },
      { PORT: '4003' },
    );
    expect(env).toEqual({ PATH: '/usr/bin', PORT: '4003' });
  });
});
