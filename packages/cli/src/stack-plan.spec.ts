import { DEMO_CREDENTIALS } from '@simpul/identity/demo';
import { parseInternalContextKey, signInternalContext, verifyInternalContext } from '@simpul/service-kit';
import {
  agencyClientEnvironment,
  auditChainKey,
  brokerHost,
  childEnvironment,
  connectHost,
  entryScripts,
  httpOrigin,
  internalContextKeys,
  planStack,
  STORE_NAMES,
  webhookSecret,
} from './stack-plan';

const input = {
  repoRoot: '/srv/simpul',
  dataDir: '/srv/simpul/.simpul/data',
  host: '127.0.0.1',
  logLevel: 'info' as const,
  seeding: { citizens: 2000, seed: 20171006 },
  nikHashPepper: 'pepper-of-this-data-directory',
};

describe('planStack', () => {
  it('puts the nine subgraphs on 4001–4009 and the gateway on 4000 by default', () => {
    const plan = planStack(input);
    expect(plan.subgraphs.map((s) => [s.name, s.port])).toEqual([
      ['dukcapil', 4001],
      ['licensing', 4002],
      ['tax', 4003],
      ['immigration', 4004],
      ['police', 4005],
      ['religious-affairs', 4006],
      ['applications', 4007],
      ['audit', 4008],
      ['participants', 4009],
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

  it('runs the identity provider on 4010 where the console can reach it, its keys under the data directory', () => {
    expect(planStack({ ...input, demoCitizenNik: '1408030507760001' }).identity).toEqual({
      name: 'identity',
      role: 'identity',
      script: '/srv/simpul/packages/identity/dist/main.js',
      port: 4010,
      url: 'http://127.0.0.1:4010/realms/simpul',
      readyUrl: 'http://127.0.0.1:4010/readyz',
      env: {
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '4010',
        DATA_DIR: '/srv/simpul/.simpul/data/identity',
        ISSUER: 'http://127.0.0.1:4010',
        DEMO_CITIZEN_NIK: '1408030507760001',
      },
    });
    // Without samples the realm's own citizen NIK stays.
    expect(planStack(input).identity.env.DEMO_CITIZEN_NIK).toBeUndefined();
  });

  it('binds the identity provider like the gateway, and issues tokens for the origin everyone connects to', () => {
    const exposed = planStack({ ...input, host: '0.0.0.0', basePort: 5100 });
    expect(exposed.identity.env).toMatchObject({ HOST: '0.0.0.0', PORT: '5110', ISSUER: 'http://127.0.0.1:5110' });
    expect(exposed.identity.url).toBe('http://127.0.0.1:5110/realms/simpul');
    // What the gateway verifies `iss` against is exactly what the identity provider puts there.
    expect(exposed.gateway.env.OIDC_ISSUER_URL).toBe(`${exposed.identity.env.ISSUER}/realms/simpul`);
    expect(planStack({ ...input, host: '::' }).identity.url).toBe('http://[::1]:4010/realms/simpul');
  });

  it('makes the gateway require tokens of the stack\'s identity provider', () => {
    const plan = planStack(input);
    expect(plan.gateway.env.OIDC_ISSUER_URL).toBe('http://127.0.0.1:4010/realms/simpul');
    expect(plan.gateway.env.OIDC_CLIENT_SECRET).toBeUndefined();
  });

  it('gives each agency its own confidential client to call the gateway with, and no one else a secret', () => {
    const plan = planStack(input);
    const agencies = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs'];
    for (const name of agencies) {
      const client = DEMO_CREDENTIALS.clients.find((c) => c.clientId === `agency-${name}`);
      expect(client).toBeDefined();
      expect(plan.subgraphs.find((s) => s.name === name)?.env).toMatchObject({
        OIDC_ISSUER_URL: 'http://127.0.0.1:4010/realms/simpul',
        OIDC_CLIENT_ID: `agency-${name}`,
        OIDC_CLIENT_SECRET: client?.clientSecret,
      });
    }
    // The applications service records its own changes as simpul-applications.
    expect(plan.subgraphs.find((s) => s.name === 'applications')?.env).toMatchObject({
      OIDC_ISSUER_URL: 'http://127.0.0.1:4010/realms/simpul',
      OIDC_CLIENT_ID: 'simpul-applications',
      OIDC_CLIENT_SECRET: DEMO_CREDENTIALS.clients.find((c) => c.clientId === 'simpul-applications')?.clientSecret,
    });
    // The audit log has no client: it only verifies the service accounts' tokens against the issuer.
    const auditEnv = plan.subgraphs.find((s) => s.name === 'audit')?.env ?? {};
    expect(Object.keys(auditEnv).filter((key) => key.startsWith('OIDC_'))).toEqual(['OIDC_ISSUER_URL']);
    expect(auditEnv.OIDC_ISSUER_URL).toBe('http://127.0.0.1:4010/realms/simpul');
    for (const process of [plan.identity, plan.broker, ...plan.participants]) {
      expect(Object.keys(process.env).filter((key) => key.startsWith('OIDC_'))).toEqual([]);
    }
    expect(agencyClientEnvironment('no-such-agency', 'http://idp/realms/simpul')).toEqual({});
  });

  it('gives the gateway the internal-context signing key and every subgraph its public half, nobody else either', () => {
    const plan = planStack(input);
    const keys = internalContextKeys(input.nikHashPepper);
    expect(plan.gateway.env.INTERNAL_CONTEXT_PRIVATE_KEY).toBe(keys.privateKey);
    expect(plan.gateway.env.INTERNAL_CONTEXT_PUBLIC_KEY).toBeUndefined();
    for (const subgraph of plan.subgraphs) {
      expect(subgraph.env.INTERNAL_CONTEXT_PUBLIC_KEY).toBe(keys.publicKey);
      expect(subgraph.env.INTERNAL_CONTEXT_PRIVATE_KEY).toBeUndefined();
    }
    for (const process of [plan.identity, plan.broker, ...plan.participants]) {
      expect(Object.keys(process.env).filter((key) => key.startsWith('INTERNAL_CONTEXT_'))).toEqual([]);
    }
  });

  it('derives an Ed25519 pair the services accept: what the gateway signs, the subgraphs verify', async () => {
    const keys = internalContextKeys(input.nikHashPepper);
    const privateJwk = parseInternalContextKey(keys.privateKey, 'private');
    const publicJwk = parseInternalContextKey(keys.publicKey, 'public');
    expect(publicJwk.x).toBe(privateJwk.x);
    expect(publicJwk.kid).toMatch(/^[\w-]{43}$/);
    expect(privateJwk.kid).toBe(publicJwk.kid);
    const caller = { subject: 'petugas-id', client: 'mpp-console', actorType: 'user' as const, roles: ['officer'], correlationId: 'c-1', audience: 'dukcapil' };
    const context = await signInternalContext(caller, keys.privateKey);
    await expect(verifyInternalContext(context, keys.publicKey, 'dukcapil')).resolves.toMatchObject({ subject: 'petugas-id', roles: ['officer'] });
    // Stable for a data directory (restarts keep verifying), another for another one.
    expect(internalContextKeys(input.nikHashPepper)).toEqual(keys);
    const other = internalContextKeys('pepper-of-another-data-directory');
    expect(other.publicKey).not.toBe(keys.publicKey);
    await expect(verifyInternalContext(context, other.publicKey, 'dukcapil')).rejects.toThrow();
    expect(keys.privateKey).not.toContain(input.nikHashPepper);
  });

  it('checks the identity, broker and participant builds with the others', () => {
    expect(entryScripts('/srv/simpul').map((e) => e.script)).toEqual([
      '/srv/simpul/packages/identity/dist/main.js',
      '/srv/simpul/packages/events/dist/embedded/main.js',
      ...planStack(input).subgraphs.map((s) => s.script),
      '/srv/simpul/gateway/dist/index.js',
      '/srv/simpul/examples/pln/dist/index.js',
      '/srv/simpul/examples/bank-bpd/dist/index.js',
      '/srv/simpul/apps/console/dist/server/main.js',
    ]);
  });

  it('runs Simpul Console on 4030, passing the browser to the gateway and signing it in with the realm', () => {
    const plan = planStack(input);
    expect(plan.console).toMatchObject({
      name: 'console',
      role: 'console',
      script: '/srv/simpul/apps/console/dist/server/main.js',
      port: 4030,
      url: 'http://127.0.0.1:4030/console/',
      readyUrl: 'http://127.0.0.1:4030/readyz',
    });
    expect(plan.console.env).toMatchObject({ HOST: '127.0.0.1', PORT: '4030', GATEWAY_URL: 'http://127.0.0.1:4000', OIDC_ISSUER_URL: plan.identity.url });
  });

  it('runs PLN on 4021 taking its tasks from the broker', () => {
    expect(planStack(input).participants[0]).toEqual({
      name: 'pln',
      role: 'participant',
      connects: 'events',
      script: '/srv/simpul/examples/pln/dist/index.js',
      port: 4021,
      url: 'http://127.0.0.1:4021',
      readyUrl: 'http://127.0.0.1:4021/readyz',
      env: {
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '4021',
        DATA_DIR: '/srv/simpul/.simpul/data/pln',
        EVENTS_URL: 'http://127.0.0.1:4011',
      },
    });
  });

  it('runs Bank BPD on 4022 with its webhook on /tasks, reporting status through the gateway', () => {
    const plan = planStack(input);
    const secret = webhookSecret(input.nikHashPepper, 'bank-bpd');
    expect(plan.participants[1]).toEqual({
      name: 'bank-bpd',
      role: 'participant',
      connects: 'webhook',
      script: '/srv/simpul/examples/bank-bpd/dist/index.js',
      port: 4022,
      url: 'http://127.0.0.1:4022/tasks',
      readyUrl: 'http://127.0.0.1:4022/readyz',
      env: {
        LOG_LEVEL: 'info',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: '4022',
        DATA_DIR: '/srv/simpul/.simpul/data/bank-bpd',
        WEBHOOK_SECRET: secret,
        SIMPUL_STATUS_URL: 'http://127.0.0.1:4000/participants/bank-bpd/task-status',
      },
    });
    // The applications service posts the tasks there, signed with the same secret; no other subgraph knows it.
    const applications = plan.subgraphs.find((s) => s.name === 'applications');
    expect(applications?.env).toMatchObject({ WEBHOOK_URL_BANK_BPD: 'http://127.0.0.1:4022/tasks', WEBHOOK_SECRET_BANK_BPD: secret });
    for (const subgraph of plan.subgraphs.filter((s) => s.name !== 'applications')) {
      expect(Object.keys(subgraph.env).filter((key) => key.startsWith('WEBHOOK_'))).toEqual([]);
    }
    // PLN is an events participant: no webhook of its own, no secret.
    expect(applications?.env.WEBHOOK_URL_PLN).toBeUndefined();
    expect(plan.participants[0]?.env.WEBHOOK_SECRET).toBeUndefined();
  });

  it('derives the webhook secret from the data directory\'s pepper: the same on every start, another for another directory', () => {
    const secretOf = (nikHashPepper: string) => planStack({ ...input, nikHashPepper }).participants.find((p) => p.name === 'bank-bpd')?.env.WEBHOOK_SECRET;
    const secret = secretOf(input.nikHashPepper);
    expect(secret).toEqual(expect.stringMatching(/^[0-9a-f]{64}$/));
    expect(secretOf(input.nikHashPepper)).toBe(secret);
    expect(secretOf('pepper-of-another-data-directory')).not.toBe(secret);
    // Neither the pepper itself nor the same secret for every participant.
    expect(secret).not.toContain(input.nikHashPepper);
    expect(webhookSecret(input.nikHashPepper, 'pln')).not.toBe(secret);
  });

  it('keeps the participants\' stores under the data directory for --fresh to empty', () => {
    expect(STORE_NAMES).toEqual(expect.arrayContaining(['events', 'dukcapil', 'applications', 'pln', 'bank-bpd']));
    // The identity provider's signing keys: --fresh gives new ones.
    expect(STORE_NAMES).toContain('identity');
    // The audit log's database and its checkpoints go together: a fresh log with old checkpoints would look truncated.
    expect(STORE_NAMES).toEqual(expect.arrayContaining(['audit', 'audit-anchors']));
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
        GATEWAY_URL: 'http://127.0.0.1:4000/graphql',
        AUDIT_URL: 'http://127.0.0.1:4008',
        INTERNAL_CONTEXT_PUBLIC_KEY: internalContextKeys(input.nikHashPepper).publicKey,
        OIDC_ISSUER_URL: 'http://127.0.0.1:4010/realms/simpul',
        OIDC_CLIENT_ID: 'agency-religious-affairs',
        OIDC_CLIENT_SECRET: DEMO_CREDENTIALS.clients.find((c) => c.clientId === 'agency-religious-affairs')?.clientSecret,
      },
    });
  });

  it('has every other subgraph append to the audit log, which keeps its checkpoints beside its database', () => {
    const plan = planStack(input);
    const audit = plan.subgraphs.find((s) => s.name === 'audit');
    expect(audit?.env).toMatchObject({
      DATA_DIR: '/srv/simpul/.simpul/data/audit',
      AUDIT_ANCHOR_DIR: '/srv/simpul/.simpul/data/audit-anchors',
      AUDIT_CHAIN_KEY: auditChainKey(input.nikHashPepper),
    });
    expect(audit?.env.AUDIT_URL).toBeUndefined();
    for (const subgraph of plan.subgraphs.filter((s) => s.name !== 'audit')) {
      expect(subgraph.env.AUDIT_URL).toBe('http://127.0.0.1:4008');
      expect(subgraph.env.AUDIT_CHAIN_KEY).toBeUndefined();
    }
    expect(plan.gateway.env.AUDIT_CHAIN_KEY).toBeUndefined();
    // Stable for the data directory, another for another one, and not the pepper the other subgraphs hold.
    expect(auditChainKey(input.nikHashPepper)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditChainKey(input.nikHashPepper)).toBe(auditChainKey(input.nikHashPepper));
    expect(auditChainKey('pepper-of-another-data-directory')).not.toBe(auditChainKey(input.nikHashPepper));
    expect(auditChainKey(input.nikHashPepper)).not.toBe(webhookSecret(input.nikHashPepper, 'audit'));
    expect(planStack({ ...input, basePort: 5100 }).subgraphs.find((s) => s.name === 'dukcapil')?.env.AUDIT_URL).toBe('http://127.0.0.1:5108');
  });

  it('points every subgraph at the broker and the gateway; the pepper stays with the subgraphs', () => {
    const plan = planStack(input);
    for (const subgraph of plan.subgraphs) {
      expect(subgraph.env).toMatchObject({ EVENTS_URL: plan.broker.url, NIK_HASH_PEPPER: input.nikHashPepper, GATEWAY_URL: plan.gateway.url });
    }
    expect(plan.gateway.env.EVENTS_URL).toBeUndefined();
    expect(plan.gateway.env.NIK_HASH_PEPPER).toBeUndefined();
    expect(plan.gateway.env.GATEWAY_URL).toBeUndefined();
    for (const participant of plan.participants) expect(participant.env.NIK_HASH_PEPPER).toBeUndefined();
    expect(plan.participants.find((p) => p.name === 'bank-bpd')?.env.EVENTS_URL).toBeUndefined();
  });

  it('shares a compile cache between the processes when given one', () => {
    const plan = planStack({ ...input, compileCacheDir: '/srv/simpul/.simpul/compile-cache' });
    for (const process of [plan.identity, plan.broker, ...plan.subgraphs, plan.gateway, ...plan.participants]) expect(process.env.NODE_COMPILE_CACHE).toBe('/srv/simpul/.simpul/compile-cache');
    expect(planStack(input).gateway.env.NODE_COMPILE_CACHE).toBeUndefined();
  });

  it('shifts every port from --base-port and points the gateway at the shifted subgraphs', () => {
    const plan = planStack({ ...input, basePort: 5100 });
    expect(plan.gateway.port).toBe(5100);
    expect(plan.subgraphs.map((s) => s.port)).toEqual([5101, 5102, 5103, 5104, 5105, 5106, 5107, 5108, 5109]);
    expect(plan.broker).toMatchObject({ port: 5111, url: 'http://127.0.0.1:5111', env: { EVENTS_PORT: '5111' } });
    expect(plan.identity).toMatchObject({ port: 5110, url: 'http://127.0.0.1:5110/realms/simpul', env: { PORT: '5110' } });
    expect(plan.subgraphs[0]?.env.OIDC_ISSUER_URL).toBe('http://127.0.0.1:5110/realms/simpul');
    expect(plan.subgraphs[0]?.env.EVENTS_URL).toBe('http://127.0.0.1:5111');
    expect(plan.subgraphs[0]?.env.GATEWAY_URL).toBe('http://127.0.0.1:5100/graphql');
    expect(plan.participants.map((p) => [p.name, p.port, p.env.PORT])).toEqual([
      ['pln', 5121, '5121'],
      ['bank-bpd', 5122, '5122'],
    ]);
    expect(plan.participants[0]?.env.EVENTS_URL).toBe('http://127.0.0.1:5111');
    expect(plan.participants[1]?.env.SIMPUL_STATUS_URL).toBe('http://127.0.0.1:5100/participants/bank-bpd/task-status');
    expect(plan.subgraphs.find((s) => s.name === 'applications')?.env.WEBHOOK_URL_BANK_BPD).toBe('http://127.0.0.1:5122/tasks');
    expect(plan.gateway.env).toMatchObject({
      PORT: '5100',
      SUBGRAPH_DUKCAPIL_URL: 'http://127.0.0.1:5101/graphql',
      SUBGRAPH_RELIGIOUS_AFFAIRS_URL: 'http://127.0.0.1:5106/graphql',
      SUBGRAPH_APPLICATIONS_URL: 'http://127.0.0.1:5107/graphql',
      SUBGRAPH_AUDIT_URL: 'http://127.0.0.1:5108/graphql',
    });
  });

  it('connects through loopback when listening on every interface', () => {
    const plan = planStack({ ...input, host: '0.0.0.0' });
    expect(plan.subgraphs[0]?.env.HOST).toBe('0.0.0.0');
    expect(plan.gateway.env.SUBGRAPH_DUKCAPIL_URL).toBe('http://127.0.0.1:4001/graphql');
    expect(plan.subgraphs[0]?.env.GATEWAY_URL).toBe('http://127.0.0.1:4000/graphql');
    // Participants listen where the subgraphs do and are reached through loopback.
    expect(plan.participants.map((p) => p.env.HOST)).toEqual(['0.0.0.0', '0.0.0.0']);
    expect(plan.participants[1]?.env.SIMPUL_STATUS_URL).toBe('http://127.0.0.1:4000/participants/bank-bpd/task-status');
    expect(plan.subgraphs.find((s) => s.name === 'applications')?.env.WEBHOOK_URL_BANK_BPD).toBe('http://127.0.0.1:4022/tasks');
    expect(planStack({ ...input, host: '::' }).participants[1]?.url).toBe('http://[::1]:4022/tasks');
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
        GATEWAY_URL: 'http://gateway.other-stack:4000/graphql',
        WEBHOOK_URL_BANK_BPD: 'http://bank.example/tasks',
        WEBHOOK_SECRET_BANK_BPD: 'another-stack-secret-of-24-chars',
        WEBHOOK_SECRET: 'another-stack-secret-of-24-chars',
        SIMPUL_STATUS_URL: 'http://gateway.other-stack:4000/participants/bank-bpd/task-status',
        AUDIT_URL: 'http://audit.other-stack:4008',
        AUDIT_CHAIN_KEY: 'the-chain-key-of-another-stack-000000000',
        AUDIT_ANCHOR_DIR: '/srv/other-stack/audit-anchors',
        OIDC_ISSUER_URL: 'https://keycloak.example.go.id/realms/simpul',
        OIDC_CLIENT_ID: 'agency-tax',
        OIDC_CLIENT_SECRET: 'a-production-secret',
        OIDC_AUDIENCE: 'another-audience',
        ISSUER: 'https://id.other-stack.example',
        REALM_PATH: '/srv/other-stack/realm.json',
        DEMO_CITIZEN_NIK: '3510011203850002',
        INTERNAL_CONTEXT_PRIVATE_KEY: '{"kty":"OKP","crv":"Ed25519","x":"another-stack","d":"another-stack"}',
        INTERNAL_CONTEXT_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"another-stack"}',
        PORT: '9999',
      },
      { PORT: '4003' },
    );
    // The broker's own tuning variables pass through; where events go is the plan's to say.
    expect(env).toEqual({ PATH: '/usr/bin', EVENTS_PARTITIONS: '8', PORT: '4003' });
  });
});
