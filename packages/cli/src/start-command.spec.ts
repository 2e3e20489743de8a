import { EventEmitter } from 'node:events';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StartOptions } from './cli-args';
import { SUBGRAPH_NAMES } from './stack-plan';
import { runStart, type StartEnvironment } from './start-command';
import { PLAIN } from './style';
import { freePortBlock, portStates } from '../test/port-block';

const FAKE_SERVICE = resolve(__dirname, '../test/fixtures/fake-service.js');

/** A repository whose "builds" are the fake service, so the CLI's own behaviour can be tested fast. */
function fakeRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'simpul-repo-'));
  for (const name of SUBGRAPH_NAMES) {
    mkdirSync(join(root, 'services', name, 'dist'), { recursive: true });
    copyFileSync(FAKE_SERVICE, join(root, 'services', name, 'dist', 'index.js'));
  }
  mkdirSync(join(root, 'gateway', 'dist'), { recursive: true });
  copyFileSync(FAKE_SERVICE, join(root, 'gateway', 'dist', 'index.js'));
  return root;
}


function harness(repoRoot: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const signals = new EventEmitter();
  const environment: StartEnvironment = {
    repoRoot,
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PATH: process.env.PATH, ...env },
    style: PLAIN,
    uptimeMs: () => 1234,
    signals,
  };
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 20_000;
    while (!stdout.includes(text)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { environment, signals, waitFor, stdout: () => stdout, stderr: () => stderr };
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
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  const allPortsFree = async () => (await portStates(basePort)).every((state) => state === 'free');

  it('says which builds are missing instead of starting', async () => {
    rmSync(join(repo, 'services', 'police'), { recursive: true });
    rmSync(join(repo, 'gateway'), { recursive: true });
    const run = harness(repo);
    expect(await runStart(options, run.environment)).toBe(1);
    expect(run.stderr()).toContain('not built yet: services/police/dist/index.js, gateway/dist/index.js');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('configures each process, records the seeding, and stops everything on SIGTERM', async () => {
    const run = harness(repo, { DATABASE_URL: 'postgres://prod.example/simpul' });
    const exitCode = runStart(options, run.environment);
    await run.waitFor('Press Ctrl-C to stop.');

    expect(run.stdout()).toMatch(/^dukcapil\s+seeding citizen 6\/6$/m);
    expect(run.stdout()).toMatch(/^religious-affairs ready in \d+\.\d s \(demo data seeded\)$/m);
    expect(run.stdout()).toContain(`GraphQL gateway  http://127.0.0.1:${basePort}/graphql`);
    expect(JSON.parse(readFileSync(join(dataDir, 'simpul.json'), 'utf8'))).toMatchObject({ citizens: 6, seed: 99 });

    const taxEnv = ((await (await fetch(`http://127.0.0.1:${basePort + 3}/`)).json()) as { env: Record<string, string> }).env;
    expect(taxEnv).toMatchObject({ PORT: String(basePort + 3), HOST: '127.0.0.1', DATA_DIR: join(dataDir, 'tax'), SEED_CITIZENS: '6', SEED: '99', NODE_ENV: 'development', LOG_LEVEL: 'info' });
    expect(taxEnv.DATABASE_URL).toBeUndefined();
    const gatewayEnv = ((await (await fetch(`http://127.0.0.1:${basePort}/`)).json()) as { env: Record<string, string> }).env;
    expect(gatewayEnv.SUBGRAPH_RELIGIOUS_AFFAIRS_URL).toBe(`http://127.0.0.1:${basePort + 6}/graphql`);

    run.signals.emit('SIGTERM', 'SIGTERM');
    expect(await exitCode).toBe(0);
    expect(run.stdout()).toContain('Stopped all 8 processes');
    expect(await allPortsFree()).toBe(true);
  });

  it('prints the last lines of a process that dies, stops the rest, and fails', async () => {
    const run = harness(repo, { FAKE_CRASH: 'police' });
    expect(await runStart(options, run.environment)).toBe(1);
    const output = run.stdout();
    expect(output).toContain('police exited with code 7. Its last log lines:');
    expect(output).toMatch(/^police\s+info police ready$/m);
    expect(output).toMatch(/^police\s+ERROR store failed\n\s+Error: disk full\n\s+at write \(store\.js:1:1\)$/m);
    expect(output).toContain('Stopping the other processes');
    expect(await allPortsFree()).toBe(true);
  });
});
