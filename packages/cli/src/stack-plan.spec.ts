import { brokerHost, childEnvironment, connectHost, entryScripts, httpOrigin, planStack } from './stack-plan';

const input = {
  repoRoot: '/srv/simpul',
  dataDir: '/srv/simpul/.simpul/data',
  host: '127.0.0.1',
  logLevel: 'info' as const,
  seeding: { citizens: 2000, seed: 20171006 },
  nikHashPepper: 'pepper-of-this-data-directory',
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

  it('runs the embedded event broker on 4011 with its log under the data directory, ready on /healthz', () => {
    expect(planStack(input).broker).toEqual({
      name: 'events',
      role: 'broker',
      script: '/srv/simpul/packages/events/dist/embedded/main.js',
      port: 4011,
      url: 'http://127.0.0.1:4011',
      readyUrl: 'http://127.0.0.1:4011/healthz',
      env: {
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
        EVENTS_HOST: '127.0.0.1',
        EVENTS_PORT: '4011',
        EVENTS_DATA_DIR: '/srv/simpul/.simpul/data/events',
      },
    });
  });

  it('checks the broker build with the others', () => {
    expect(entryScripts('/srv/simpul').map((e) => e.script)).toEqual([
      '/srv/simpul/packages/events/dist/embedded/main.js',
      ...planStack(input).subgraphs.map((s) => s.script),
      '/srv/simpul/gateway/dist/index.js',
    ]);
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
        EVENTS_URL: 'http://127.0.0.1:4011',
        NIK_HASH_PEPPER: 'pepper-of-this-data-directory',
      },
    });
  });

  it('points every subgraph, and only the subgraphs, at the broker', () => {
    const plan = planStack(input);
    for (const subgraph of plan.subgraphs) expect(subgraph.env).toMatchObject({ EVENTS_URL: plan.broker.url, NIK_HASH_PEPPER: input.nikHashPepper });
    expect(plan.gateway.env.EVENTS_URL).toBeUndefined();
    expect(plan.gateway.env.NIK_HASH_PEPPER).toBeUndefined();
  });

  it('shares a compile cache between the processes when given one', () => {
    const plan = planStack({ ...input, compileCacheDir: '/srv/simpul/.simpul/compile-cache' });
    for (const process of [plan.broker, ...plan.subgraphs, plan.gateway]) expect(process.env.NODE_COMPILE_CACHE).toBe('/srv/simpul/.simpul/compile-cache');
    expect(planStack(input).gateway.env.NODE_COMPILE_CACHE).toBeUndefined();
  });

  it('shifts every port from --base-port and points the gateway at the shifted subgraphs', () => {
    const plan = planStack({ ...input, basePort: 5100 });
    expect(plan.gateway.port).toBe(5100);
    expect(plan.subgraphs.map((s) => s.port)).toEqual([5101, 5102, 5103, 5104, 5105, 5106, 5107]);
    expect(plan.broker).toMatchObject({ port: 5111, url: 'http://127.0.0.1:5111', env: { EVENTS_PORT: '5111' } });
    expect(plan.subgraphs[0]?.env.EVENTS_URL).toBe('http://127.0.0.1:5111');
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

  it('keeps the broker on loopback whatever --host says: it has no authentication', () => {
    const exposed = planStack({ ...input, host: '0.0.0.0' });
    expect(exposed.gateway.env.HOST).toBe('0.0.0.0');
    expect(exposed.broker.env).toMatchObject({ EVENTS_HOST: '127.0.0.1' });
    expect(exposed.broker.env.HOST).toBeUndefined();
    expect(planStack({ ...input, host: '192.168.1.20' }).broker.env.EVENTS_HOST).toBe('127.0.0.1');
    expect(brokerHost('::')).toBe('::1');
    expect(planStack({ ...input, host: '::' }).subgraphs[0]?.env.EVENTS_URL).toBe('http://[::1]:4011');
  });
});

describe('childEnvironment', () => {
  it('drops settings that would switch a process to the production shape and applies the plan', () => {
    const env = childEnvironment(
      {
        PATH: '/usr/bin',
        DATABASE_URL: 'postgres://prod/db',
        KAFKA_BROKERS: 'kafka:9092',
        EVENTS_URL: 'http://broker.other-stack:4011',
        EVENTS_PARTITIONS: '8',
        SUBGRAPH_TAX_URL: 'http://tax.internal/graphql',
        PORT: '9999',
      },
      { PORT: '4003' },
    );
    // The broker's own tuning variables pass through; where events go is the plan's to say.
    expect(env).toEqual({ PATH: '/usr/bin', EVENTS_PARTITIONS: '8', PORT: '4003' });
  });
});
