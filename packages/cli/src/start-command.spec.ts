import { EventEmitter } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StartOptions } from './cli-args';
import { internalContextKeys, PARTICIPANT_NAMES, SUBGRAPH_NAMES } from './stack-plan';
import { runStart, type RestartPolicy, type StartEnvironment } from './start-command';
import { PLAIN } from './style';
import { freePortBlock, portStates } from '../test/port-block';

const FAKE_SERVICE = resolve(__dirname, '../test/fixtures/fake-service.js');
const FAKE_BROKER = resolve(__dirname, '../test/fixtures/fake-broker.js');

/** A repository whose "builds" are the fakes, so the CLI's own behaviour can be tested fast. */
function fakeRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'simpul-repo-'));
  mkdirSync(join(root, 'packages', 'events', 'dist', 'embedded'), { recursive: true });
  copyFileSync(FAKE_BROKER, join(root, 'packages', 'events', 'dist', 'embedded', 'main.js'));
  mkdirSync(join(root, 'packages', 'identity', 'dist'), { recursive: true });
  copyFileSync(FAKE_SERVICE, join(root, 'packages', 'identity', 'dist', 'main.js'));
  for (const name of SUBGRAPH_NAMES) {
    mkdirSync(join(root, 'services', name, 'dist'), { recursive: true });
    copyFileSync(FAKE_SERVICE, join(root, 'services', name, 'dist', 'index.js'));
  }
  mkdirSync(join(root, 'gateway', 'dist'), { recursive: true });
  copyFileSync(FAKE_SERVICE, join(root, 'gateway', 'dist', 'index.js'));
  for (const name of PARTICIPANT_NAMES) {
    mkdirSync(join(root, 'examples', name, 'dist'), { recursive: true });
    copyFileSync(FAKE_SERVICE, join(root, 'examples', name, 'dist', 'index.js'));
  }
  mkdirSync(join(root, 'apps', 'console', 'dist', 'server'), { recursive: true });
  copyFileSync(FAKE_SERVICE, join(root, 'apps', 'console', 'dist', 'server', 'main.js'));
  return root;
}


/** An access token as the identity provider issues them: a JWT living five minutes. */
const FAKE_TOKEN = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iat: 1_700_000_000, exp: 1_700_000_300, preferred_username: 'petugas' })).toString('base64url')}.c2ln`;

type DemoToken = NonNullable<StartEnvironment['demoToken']>;

/** Every harness's signals, so a test that fails half-way does not leave its stack running. */
const harnessSignals: EventEmitter[] = [];

/** Stops a run still going (its stop-signal listeners are still there) and waits until it is done. */
async function stopLeftovers(): Promise<void> {
  for (const signals of harnessSignals.splice(0)) {
    if (signals.listenerCount('SIGINT') === 0) continue;
    signals.emit('SIGINT', 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (signals.listenerCount('SIGINT') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }
}

/** Quick restarts for tests: the policy's shape, not its real delays. */
const QUICK_RESTARTS: RestartPolicy = { delaysMs: [100, 100], stableMs: 60_000 };

function harness(repoRoot: string, env: NodeJS.ProcessEnv = {}, demoToken?: DemoToken) {
  let stdout = '';
  let stderr = '';
  const signals = new EventEmitter();
  harnessSignals.push(signals);
  const tokenRequests: { issuer: string; who: string }[] = [];
  const environment: StartEnvironment = {
    repoRoot,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PATH: process.env.PATH, ...env },
    style: PLAIN,
    uptimeMs: () => 1234,
    signals,
    restartPolicy: QUICK_RESTARTS,
    demoToken: (issuer, who, signal) => {
      tokenRequests.push({ issuer, who });
      return demoToken ? demoToken(issuer, who, signal) : Promise.resolve(FAKE_TOKEN);
    },
  };
  const waitFor = async (text: string | RegExp) => {
    const deadline = Date.now() + 20_000;
    while (typeof text === 'string' ? !stdout.includes(text) : !text.test(stdout)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { environment, signals, waitFor, tokenRequests, stdout: () => stdout, stderr: () => stderr };
}

describe('runStart', () => {
  let repo: string;
  let dataDir: string;
  let basePort: number;
  let options: StartOptions;

  beforeEach(async () => {
    repo = fakeRepo();
    dataDir = join(repo, '.simpul', 'data');
    basePort = await freePortBlock();
    options = { citizens: 6, seed: 99, dataDir, fresh: false, host: '127.0.0.1', logLevel: 'info', basePort };
  });
  afterEach(async () => {
    await stopLeftovers();
    rmSync(repo, { recursive: true, force: true });
  });

  const allPortsFree = async () => (await portStates(basePort)).every((state) => state === 'free');
  const envOf = async (port: number) => ((await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { env: Record<string, string> }).env;
  const record = () => JSON.parse(readFileSync(join(dataDir, 'simpul.json'), 'utf8')) as Record<string, unknown>;

  it('says which builds are missing instead of starting', async () => {
    rmSync(join(repo, 'services', 'police'), { recursive: true });
    rmSync(join(repo, 'gateway'), { recursive: true });
    rmSync(join(repo, 'packages', 'events', 'dist'), { recursive: true });
    rmSync(join(repo, 'examples', 'bank-bpd', 'dist'), { recursive: true });
    rmSync(join(repo, 'packages', 'identity', 'dist'), { recursive: true });
    const run = harness(repo);
    expect(await runStart(options, run.environment)).toBe(1);
    expect(run.stderr()).toContain(
      'not built yet: packages/identity/dist/main.js, packages/events/dist/embedded/main.js, services/police/dist/index.js, gateway/dist/index.js, examples/bank-bpd/dist/index.js',
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('configures each process, records the seeding, and stops everything on SIGTERM, the broker and the identity provider last', async () => {
    const startLog = join(repo, 'start-order.log');
    const stopLog = join(repo, 'stop-order.log');
    const run = harness(repo, {
      DATABASE_URL: 'postgres://prod.example/simpul',
      EVENTS_URL: 'http://other-stack:4011',
      WEBHOOK_SECRET_BANK_BPD: 'secret-of-another-stack-000',
      OIDC_ISSUER_URL: 'https://keycloak.other-stack.example/realms/simpul',
      INTERNAL_CONTEXT_PUBLIC_KEY: '{"kty":"OKP","crv":"Ed25519","x":"of-another-stack"}',
      FAKE_START_LOG: startLog,
      FAKE_STOP_LOG: stopLog,
    });
    const exitCode = runStart(options, run.environment);
    await run.waitFor('Press Ctrl-C to stop.');

    const output = run.stdout();
    expect(output).toMatch(/^dukcapil\s+seeding citizen 6\/6$/m);
    expect(output).toMatch(/^religious-affairs ready in \d+\.\d s \(demo data seeded\)$/m);
    // The audit log seeds nothing: on a data directory created by this start it is new, not "existing data".
    expect(output).toMatch(/^audit\s+ready in \d+\.\d s \(new, empty store\)$/m);
    // The broker and the identity provider answer before any subgraph is started.
    expect(output).toMatch(/^events\s+ready in \d+\.\d s$/m);
    expect(output.search(/^events\s+ready/m)).toBeLessThan(output.search(/^dukcapil\s+seeding/m));
    expect(output).toMatch(/^identity\s+ready in \d+\.\d s$/m);
    expect(output.search(/^identity\s+ready/m)).toBeLessThan(output.search(/^dukcapil\s+seeding/m));
    expect(output).toContain(`GraphQL gateway  http://127.0.0.1:${basePort}/graphql`);
    expect(output).toContain(`Event broker     http://127.0.0.1:${basePort + 11}`);
    const { nikHashPepper } = record();
    expect(record()).toMatchObject({ citizens: 6, seed: 99 });
    const samples = record().samples as { nik: string; fullName: string }[];
    expect(samples).toHaveLength(3);

    // The identity provider: reachable where --host says, issuing for its connect origin, with `warga`
    // as the first sample citizen; the gateway verifies its tokens, the agencies use their clients.
    const issuer = `http://127.0.0.1:${basePort + 10}/realms/simpul`;
    const identityEnv = await envOf(basePort + 10);
    expect(identityEnv).toMatchObject({
      HOST: '127.0.0.1',
      PORT: String(basePort + 10),
      DATA_DIR: join(dataDir, 'identity'),
      ISSUER: `http://127.0.0.1:${basePort + 10}`,
      DEMO_CITIZEN_NIK: samples[0]?.nik,
    });
    expect(identityEnv.OIDC_ISSUER_URL).toBeUndefined();
    expect(output).toContain(`  Identity provider ${issuer} (demo credentials, development only)`);
    expect(output).toMatch(new RegExp(`^ {6}warga +demo +citizen \\(NIK ${samples[0]?.nik}\\)$`, 'm'));
    expect((await envOf(basePort)).OIDC_ISSUER_URL).toBe(issuer);
    expect(await envOf(basePort + 3)).toMatchObject({ OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: 'agency-tax', OIDC_CLIENT_SECRET: expect.any(String) });
    expect((await envOf(basePort + 7)).OIDC_CLIENT_ID).toBe('simpul-applications');
    expect((await envOf(basePort + 8)).OIDC_CLIENT_ID).toBeUndefined();
    // The gateway signs the internal context with the data directory's key; the subgraphs verify it.
    const contextKeys = internalContextKeys(nikHashPepper as string);
    expect((await envOf(basePort)).INTERNAL_CONTEXT_PRIVATE_KEY).toBe(contextKeys.privateKey);
    expect((await envOf(basePort + 3)).INTERNAL_CONTEXT_PUBLIC_KEY).toBe(contextKeys.publicKey);
    expect((await envOf(basePort + 21)).INTERNAL_CONTEXT_PUBLIC_KEY).toBeUndefined();

    // The demo query carries the counter officer's token, fetched once everything was up.
    expect(run.tokenRequests).toEqual([{ issuer, who: 'petugas' }]);
    expect(output).toContain(`Unified profile of ${samples[0]?.fullName} across the seven data subgraphs, as petugas:`);
    expect(output).toMatch(new RegExp(`^curl -s http://127\\.0\\.0\\.1:${basePort}/graphql .*-H 'authorization: Bearer ${FAKE_TOKEN.replace(/\./g, '\\.')}' .*--data '`, 'm'));
    expect(output).toContain(`Tokens expire after 5 minutes (the realm's access token lifespan). A new one:\n    npm run simpul -- token petugas --issuer ${issuer}\n`);
    expect(output).toMatch(new RegExp(`^ {4}curl -s -u 'integrator-demo:[^']+' -d grant_type=client_credentials ${issuer.replace(/\./g, '\\.')}/protocol/openid-connect/token$`, 'm'));
    expect(nikHashPepper).toEqual(expect.stringMatching(/^[\w-]{43}$/));
    expect(statSync(join(dataDir, 'simpul.json')).mode & 0o777).toBe(0o600);

    const brokerEnv = await envOf(basePort + 11);
    expect(brokerEnv).toMatchObject({ EVENTS_HOST: '127.0.0.1', EVENTS_PORT: String(basePort + 11), EVENTS_DATA_DIR: join(dataDir, 'events') });
    expect(existsSync(join(dataDir, 'events', 'topics'))).toBe(true);
    const taxEnv = await envOf(basePort + 3);
    expect(taxEnv).toMatchObject({
      PORT: String(basePort + 3),
      HOST: '127.0.0.1',
      DATA_DIR: join(dataDir, 'tax'),
      SEED_CITIZENS: '6',
      SEED: '99',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      EVENTS_URL: `http://127.0.0.1:${basePort + 11}`,
      NIK_HASH_PEPPER: nikHashPepper,
      GATEWAY_URL: `http://127.0.0.1:${basePort}/graphql`,
      AUDIT_URL: `http://127.0.0.1:${basePort + 8}`,
    });
    expect(taxEnv.DATABASE_URL).toBeUndefined();
    expect(taxEnv.AUDIT_CHAIN_KEY).toBeUndefined();
    const auditEnv = await envOf(basePort + 8);
    expect(auditEnv).toMatchObject({
      DATA_DIR: join(dataDir, 'audit'),
      AUDIT_ANCHOR_DIR: join(dataDir, 'audit-anchors'),
      AUDIT_CHAIN_KEY: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(taxEnv.WEBHOOK_SECRET_BANK_BPD).toBeUndefined();
    const gatewayEnv = await envOf(basePort);
    expect(gatewayEnv.SUBGRAPH_RELIGIOUS_AFFAIRS_URL).toBe(`http://127.0.0.1:${basePort + 6}/graphql`);
    expect(gatewayEnv.EVENTS_URL).toBeUndefined();

    // The participants: PLN on the broker, Bank BPD on webhooks from applications, with one secret.
    expect(output).toMatch(new RegExp(`^ {4}pln\\s+http://127\\.0\\.0\\.1:${basePort + 21}\\s+events `, 'm'));
    expect(output).toMatch(new RegExp(`^ {4}bank-bpd\\s+http://127\\.0\\.0\\.1:${basePort + 22}/tasks\\s+webhook `, 'm'));
    const plnEnv = await envOf(basePort + 21);
    expect(plnEnv).toMatchObject({
      HOST: '127.0.0.1',
      PORT: String(basePort + 21),
      DATA_DIR: join(dataDir, 'pln'),
      LOG_LEVEL: 'info',
      EVENTS_URL: `http://127.0.0.1:${basePort + 11}`,
    });
    const bankEnv = await envOf(basePort + 22);
    expect(bankEnv).toMatchObject({
      HOST: '127.0.0.1',
      PORT: String(basePort + 22),
      DATA_DIR: join(dataDir, 'bank-bpd'),
      LOG_LEVEL: 'info',
      SIMPUL_STATUS_URL: `http://127.0.0.1:${basePort}/participants/bank-bpd/task-status`,
      WEBHOOK_SECRET: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(bankEnv.EVENTS_URL).toBeUndefined();
    const applicationsEnv = await envOf(basePort + 7);
    expect(applicationsEnv).toMatchObject({
      WEBHOOK_URL_BANK_BPD: `http://127.0.0.1:${basePort + 22}/tasks`,
      WEBHOOK_SECRET_BANK_BPD: bankEnv.WEBHOOK_SECRET,
    });

    run.signals.emit('SIGTERM', 'SIGTERM');
    expect(await exitCode).toBe(0);
    expect(run.stdout()).toContain('Stopped all 15 processes');
    expect(await allPortsFree()).toBe(true);
    // Identity and broker, subgraphs, gateway, participants and the console: each group listens before the next is spawned.
    const startOrder = readFileSync(startLog, 'utf8').trim().split('\n');
    expect(startOrder).toHaveLength(15);
    expect(startOrder.slice(0, 2).sort()).toEqual(['events', 'identity']);
    const subgraphsEnd = 2 + SUBGRAPH_NAMES.length;
    expect(startOrder.slice(2, subgraphsEnd).sort()).toEqual([...SUBGRAPH_NAMES].sort());
    expect(startOrder[subgraphsEnd]).toBe('gateway');
    expect(startOrder.slice(subgraphsEnd + 1).sort()).toEqual([...PARTICIPANT_NAMES, 'console'].sort());
    // And the reverse on the way out.
    const stopOrder = readFileSync(stopLog, 'utf8').trim().split('\n');
    expect(stopOrder).toHaveLength(15);
    expect(stopOrder.slice(0, 3).sort()).toEqual([...PARTICIPANT_NAMES, 'console'].sort());
    expect(stopOrder[3]).toBe('gateway');
    expect(stopOrder.slice(4, 4 + SUBGRAPH_NAMES.length).sort()).toEqual([...SUBGRAPH_NAMES].sort());
    expect(stopOrder.slice(4 + SUBGRAPH_NAMES.length).sort()).toEqual(['events', 'identity']);
  });

  it('keeps the NIK hash pepper and the webhook secret of the data directory across starts, and gives one to a directory without', async () => {
    const startAndStop = async () => {
      const run = harness(repo);
      const exitCode = runStart(options, run.environment);
      await run.waitFor('Press Ctrl-C to stop.');
      const applicationsEnv = await envOf(basePort + 7);
      const pepper = applicationsEnv.NIK_HASH_PEPPER;
      const secrets = [applicationsEnv.WEBHOOK_SECRET_BANK_BPD, (await envOf(basePort + 22)).WEBHOOK_SECRET];
      run.signals.emit('SIGINT', 'SIGINT');
      expect(await exitCode).toBe(0);
      return { pepper, secrets };
    };
    const first = await startAndStop();
    const firstSecret = first.secrets[0];
    expect(first.pepper).toBe(record().nikHashPepper);
    expect(firstSecret).toEqual(expect.stringMatching(/^[0-9a-f]{64}$/));
    expect(first.secrets[1]).toBe(firstSecret);
    // Nothing but the pepper is stored: the secret is derived from it.
    expect(JSON.stringify(record())).not.toContain(firstSecret);
    expect(await startAndStop()).toEqual(first);

    // A data directory from before the event broker: its record has no pepper yet.
    const { nikHashPepper: _, ...older } = record();
    writeFileSync(join(dataDir, 'simpul.json'), JSON.stringify(older));
    const given = await startAndStop();
    expect(given.pepper).toEqual(expect.stringMatching(/^[\w-]{43}$/));
    expect(given.pepper).not.toBe(first.pepper);
    expect(record()).toMatchObject({ ...older, nikHashPepper: given.pepper });
    // Another pepper, another secret, still shared by both sides.
    expect(given.secrets[0]).not.toBe(firstSecret);
    expect(given.secrets[1]).toBe(given.secrets[0]);
  });

  it('refuses to start when the event broker\'s port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(basePort + 11, '127.0.0.1', done));
    try {
      const run = harness(repo);
      expect(await runStart({ ...options, host: '0.0.0.0' }, run.environment)).toBe(1);
      expect(run.stderr()).toContain(`port ${basePort + 11} on 127.0.0.1 is already in use`);
      expect(run.stderr()).toContain('the event broker needs it');
      expect(run.stdout()).not.toContain('Starting Simpul');
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });

  it('refuses a base port that puts a process on a port fetch blocks, naming it, before starting anything', async () => {
    const run = harness(repo);
    // 5995: the subgraph at base + 5 (police) would listen on 6000, which browsers and Node's fetch refuse.
    expect(await runStart({ ...options, basePort: 5995 }, run.environment)).toBe(1);
    expect(run.stderr()).toContain('port 6000 (the police subgraph) is one browsers and Node\'s fetch refuse to connect to');
    expect(run.stderr()).toContain('Choose another --base-port');
    expect(run.stdout()).not.toContain('Starting Simpul');
  });

  it('refuses to start when the identity provider\'s port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(basePort + 10, '127.0.0.1', done));
    try {
      const run = harness(repo);
      expect(await runStart(options, run.environment)).toBe(1);
      expect(run.stderr()).toContain(`port ${basePort + 10} on 127.0.0.1 is already in use`);
      expect(run.stderr()).toContain('the identity provider needs it');
      expect(run.stdout()).not.toContain('Starting Simpul');
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });

  it('prints the banner without a token when the identity provider gives none, saying why and how to get one', async () => {
    const run = harness(repo, {}, () => Promise.reject(new Error('token endpoint answered 503')));
    const exitCode = runStart(options, run.environment);
    await run.waitFor('Press Ctrl-C to stop.');
    const output = run.stdout();
    expect(output).toContain(`note could not get petugas's token (token endpoint answered 503);`);
    expect(output).toContain(`replace <token> with the output of: npm run simpul -- token petugas --issuer http://127.0.0.1:${basePort + 10}/realms/simpul`);
    expect(output).toMatch(/^curl -s .* -H 'authorization: Bearer <token>' /m);
    run.signals.emit('SIGINT', 'SIGINT');
    expect(await exitCode).toBe(0);
  });

  it('stops without a banner when asked to while the token is being fetched', async () => {
    let tokenAsked!: () => void;
    const asked = new Promise<void>((resolve) => (tokenAsked = resolve));
    // Like a sign-in that hangs: only the stop ends it.
    const hanging: DemoToken = (_issuer, _who, signal) =>
      new Promise((_resolve, reject) => {
        tokenAsked();
        signal.addEventListener('abort', () => reject(signal.reason as Error));
      });
    const run = harness(repo, {}, hanging);
    const exitCode = runStart(options, run.environment);
    await asked;
    run.signals.emit('SIGINT', 'SIGINT');
    expect(await exitCode).toBe(0);
    expect(run.stdout()).not.toContain('Simpul is ready');
    expect(run.stdout()).toContain('Stopped all 15 processes');
    expect(await allPortsFree()).toBe(true);
  });

  it('refuses to start when a participant\'s port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(basePort + 22, '127.0.0.1', done));
    try {
      const run = harness(repo);
      expect(await runStart(options, run.environment)).toBe(1);
      expect(run.stderr()).toContain(`port ${basePort + 22} on 127.0.0.1 is already in use`);
      expect(run.stderr()).toContain('the bank-bpd participant needs it');
      expect(run.stdout()).not.toContain('Starting Simpul');
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });

  it('empties the broker\'s log, the identity provider\'s keys and the participants\' stores too on --fresh', async () => {
    for (const store of ['events', 'identity', ...PARTICIPANT_NAMES]) {
      mkdirSync(join(dataDir, store), { recursive: true });
      writeFileSync(join(dataDir, store, 'old-data'), 'x');
    }
    const run = harness(repo);
    const exitCode = runStart({ ...options, fresh: true }, run.environment);
    await run.waitFor('Press Ctrl-C to stop.');
    for (const store of ['events', 'identity', ...PARTICIPANT_NAMES]) expect(existsSync(join(dataDir, store, 'old-data'))).toBe(false);
    run.signals.emit('SIGINT', 'SIGINT');
    expect(await exitCode).toBe(0);
  });

  it('restarts a process killed while the stack runs, says so, and keeps the others serving; SIGTERM then stops them all', async () => {
    const run = harness(repo);
    const exitCode = runStart(options, run.environment);
    await run.waitFor('Press Ctrl-C to stop.');
    const taxPort = basePort + 3;
    const pidOf = async (port: number) => ((await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { pid: number }).pid;
    const [taxPid, gatewayPid, dukcapilPid] = [await pidOf(taxPort), await pidOf(basePort), await pidOf(basePort + 1)];
    process.kill(taxPid, 'SIGKILL');

    await run.waitFor(/^tax\s+was killed by SIGKILL; restarting it in 0\.1 s \(restart 1 of 2\)$/m);
    await run.waitFor(/^tax\s+ready in \d+\.\d s \(restarted\)$/m);
    expect(await pidOf(taxPort)).not.toBe(taxPid);
    expect([await pidOf(basePort), await pidOf(basePort + 1)]).toEqual([gatewayPid, dukcapilPid]);
    expect(run.stdout()).not.toContain('Stopping');

    run.signals.emit('SIGTERM', 'SIGTERM');
    expect(await exitCode).toBe(0);
    expect(run.stdout()).toContain('Stopped all 15 processes');
    expect(await allPortsFree()).toBe(true);
  });

  it('gives up on a process that keeps dying after its restarts: prints its last lines, stops the rest, and fails', async () => {
    const run = harness(repo, { FAKE_CRASH: 'police' });
    expect(await runStart(options, run.environment)).toBe(1);
    const output = run.stdout();
    expect(output).toMatch(/^police\s+exited with code 7; restarting it in 0\.1 s \(restart 1 of 2\)$/m);
    expect(output).toMatch(/^police\s+exited with code 7; restarting it in 0\.1 s \(restart 2 of 2\)$/m);
    expect(output).toContain('police exited with code 7 again: giving up after 2 restarts. Its last log lines:');
    expect(output).toMatch(/^police\s+info police ready$/m);
    expect(output).toMatch(/^police\s+ERROR store failed\n\s+Error: disk full\n\s+at write \(store\.js:1:1\)$/m);
    expect(output).toContain('Stopping the other processes');
    expect(await allPortsFree()).toBe(true);
  });

  it('fails the start when a process dies before it was ever ready', async () => {
    const run = harness(repo, { FAKE_EXIT_AT_START: 'licensing' });
    expect(await runStart(options, run.environment)).toBe(1);
    expect(run.stdout()).toContain('licensing exited with code 3.');
    expect(run.stdout()).not.toContain('restarting');
    expect(await allPortsFree()).toBe(true);
  });
});
