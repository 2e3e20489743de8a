/**
 * The real `simpul start`: built CLI, built identity provider, built embedded event broker, eight
 * built services on PGlite, built gateway (requiring the identity provider's tokens), built example
 * participants (examples/pln, examples/bank-bpd). Runs on its own block of ports (hidden
 * --base-port) so a developer's stack on 4000–4008, 4010–4011 and 4021–4022 is left alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePortBlock, portStates, STACK_PORTS } from './port-block';

const CLI_ROOT = resolve(__dirname, '..');
const REPO_ROOT = resolve(CLI_ROOT, '..', '..');
const MAIN = join(CLI_ROOT, 'dist', 'main.js');
const SERVICES = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications', 'audit', 'participants'];
const BROKER = join(REPO_ROOT, 'packages', 'events', 'dist', 'embedded', 'main.js');
const IDENTITY = join(REPO_ROOT, 'packages', 'identity', 'dist', 'main.js');
/** Name, port offset from the base port, how it connects. */
const PARTICIPANTS = [
  { name: 'pln', offset: 21, connects: 'events' },
  { name: 'bank-bpd', offset: 22, connects: 'webhook' },
] as const;
const STARTUP_TIMEOUT_MS = 150_000;
/** `npm start` builds first: all cached after `npm run build`, but a changed package is rebuilt on a loaded machine. */
const NPM_BUILD_ALLOWANCE_MS = 300_000;

const SUBMIT_BUSINESS_START = /* GraphQL */ `
  mutation ($nik: String!) {
    submitApplication(input: {
      type: "BUSINESS_START", applicantNik: $nik, mppOffice: "MPP Banyuwangi",
      inputs: [
        { name: "businessName", value: "Warung Kopi Osing" },
        { name: "kbli", value: "56303" },
        { name: "businessAddress", value: "Jl. Ahmad Yani 12, Banyuwangi" }
      ]
    }) { id status }
  }
`;

interface CliRun {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function runCli(args: string[]): CliRun {
  return runCommand(process.execPath, [MAIN, ...args], CLI_ROOT);
}

function runCommand(command: string, args: string[], cwd: string): CliRun {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters: (() => void)[] = [];
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    waiters.forEach((check) => check());
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return {
    child,
    exited,
    output: () => text,
    waitFor(pattern, timeoutMs = STARTUP_TIMEOUT_MS) {
      return new Promise((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`timed out waiting for ${pattern}; output so far:\n${text}`)), timeoutMs);
        const check = () => {
          const match = pattern.exec(text);
          if (match) {
            clearTimeout(timer);
            done(match);
          }
        };
        waiters.push(check);
        void exited.then(() => {
          check();
          clearTimeout(timer);
          fail(new Error(`simpul exited before printing ${pattern}; output:\n${text}`));
        });
        check();
      });
    },
  };
}



/** The demo `curl` line of the banner, taken apart so fetch can send exactly what it would. */
function parseCurl(output: string): { url: string; headers: Record<string, string>; body: string } {
  const line = output.split('\n').find((l) => l.startsWith('curl '));
  if (!line) throw new Error(`no curl command in the output:\n${output}`);
  const match = /^curl -s (\S+) ((?:-H '[^']*' )*)--data '(.*)'$/.exec(line);
  if (!match) throw new Error(`unexpected curl command: ${line}`);
  const headers = Object.fromEntries(
    [...(match[2] ?? '').matchAll(/-H '([^':]+): ([^']*)'/g)].map(([, name = '', value = '']) => [name, value]),
  );
  return { url: match[1] ?? '', headers, body: match[3] ?? '' };
}

interface AccessTokenClaims {
  iss: string;
  aud: string | string[];
  azp: string;
  exp: number;
  typ: string;
  preferred_username?: string;
  nik?: string;
  realm_access: { roles: string[] };
}

/**
 * The claims of an access token whose RS256 signature verifies against the issuer's published keys
 * (its JWKS, by `kid`); throws otherwise.
 */
async function verifiedClaims(token: string, issuer: string): Promise<AccessTokenClaims> {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg: string; kid: string };
  if (alg !== 'RS256') throw new Error(`unexpected alg ${alg}`);
  const { keys } = (await (await fetch(`${issuer}/protocol/openid-connect/certs`)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = keys.find((key) => key.kid === kid);
  if (!jwk) throw new Error(`no published key ${kid}`);
  const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
  if (!valid) throw new Error('the token\'s signature does not verify');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as AccessTokenClaims;
}

/** `simpul token <who> --issuer <issuer>`: the token it prints (and nothing else), or its failure. */
async function cliToken(who: string, issuer: string): Promise<string> {
  const run = runCli(['token', who, '--issuer', issuer]);
  const { code } = await run.exited;
  if (code !== 0) throw new Error(`simpul token ${who} exited ${code}: ${run.output()}`);
  return run.output().trim();
}

async function stop(run: CliRun) {
  run.child.kill('SIGINT');
  return run.exited;
}

/** Messages the embedded broker holds on a topic (all partitions). */
async function messagesOn(eventsUrl: string, topic: string): Promise<number> {
  const response = await fetch(`${eventsUrl}/v1/topics/${encodeURIComponent(topic)}`);
  const { partitions } = (await response.json()) as { partitions: { endOffset: string | number }[] };
  return partitions.reduce((sum, p) => sum + Number(p.endOffset), 0);
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every process below `root` (by parent pid, from /proc), with its command line. */
function descendantsOf(root: number): { pid: number; command: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: { pid: number; command: string }[] = [];
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    let command = '';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    found.push({ pid, command });
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\S+\s+\(.*\)\s+Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const recordOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'simpul.json'), 'utf8')) as { nikHashPepper?: string };

const built = [
  MAIN,
  IDENTITY,
  BROKER,
  ...SERVICES.map((s) => join(REPO_ROOT, 'services', s, 'dist', 'index.js')),
  join(REPO_ROOT, 'gateway', 'dist', 'index.js'),
  ...PARTICIPANTS.map((p) => join(REPO_ROOT, 'examples', p.name, 'dist', 'index.js')),
];

describe('simpul start', () => {
  let dataDir: string;
  let basePort: number;
  const runs: CliRun[] = [];
  const start = (args: string[]) => {
    const run = runCli(['start', '--data-dir', dataDir, '--base-port', String(basePort), ...args]);
    runs.push(run);
    return run;
  };

  beforeAll(async () => {
    const missing = built.filter((file) => !existsSync(file));
    if (missing.length > 0) throw new Error(`build the stack first (npm run build); missing ${missing.join(', ')}`);
    dataDir = mkdtempSync(join(tmpdir(), 'simpul-start-'));
    basePort = await freePortBlock();
  });

  // A failed expectation leaves its stack running; stop it so the next test starts clean (under
  // npm, once a build under way has finished).
  afterEach(async () => {
    for (const run of runs) {
      if (run.child.exitCode === null && run.child.signalCode === null) await stop(run);
    }
  }, 120_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it(
    'seeds, serves the demo query through the gateway, and stops cleanly on Ctrl-C',
    async () => {
      const run = start(['--citizens', '40']);
      await run.waitFor(/Press Ctrl-C to stop\./);
      const output = run.output();

      expect(output).toMatch(/dukcapil\s+seeding citizen 40\/40/);
      for (const name of ['identity', 'events', ...SERVICES, 'gateway', ...PARTICIPANTS.map((p) => p.name)]) expect(output).toMatch(new RegExp(`^${name}\\s+ready in \\d+\\.\\d s`, 'm'));
      expect(output).toMatch(/^dukcapil\s+ready in \d+\.\d s \(demo data seeded\)$/m);
      expect(output).toContain(`GraphQL gateway  http://127.0.0.1:${basePort}/graphql`);
      const eventsUrl = `http://127.0.0.1:${basePort + 11}`;
      expect(output).toContain(`Event broker     ${eventsUrl}`);
      expect((await fetch(`${eventsUrl}/healthz`)).status).toBe(200);
      SERVICES.forEach((name, index) => expect(output).toMatch(new RegExp(`^ {4}${name}\\s+http://127\\.0\\.0\\.1:${basePort + 1 + index}/graphql$`, 'm')));
      expect(output).not.toContain('"level"');

      // The example participants: listed with how they connect, and up.
      for (const { name, offset, connects } of PARTICIPANTS) {
        const origin = `http://127.0.0.1:${basePort + offset}`;
        const url = connects === 'webhook' ? `${origin}/tasks` : origin;
        expect(output).toMatch(new RegExp(`^ {4}${name}\\s+${url.replace(/[.]/g, '\\.')}\\s+${connects}\\b`, 'm'));
        expect((await fetch(`${origin}/readyz`)).status).toBe(200);
      }

      const samples = [...output.matchAll(/^ {4}(\d{16}) {2}(.+)$/gm)].map(([, nik, fullName]) => ({ nik, fullName }));
      expect(samples).toHaveLength(3);
      const curl = parseCurl(output);
      expect(curl.url).toBe(`http://127.0.0.1:${basePort}/graphql`);
      expect(JSON.parse(curl.body).variables).toEqual({ nik: samples[0]?.nik });

      // The identity provider, and the counter officer's token the demo query carries: signed by it,
      // for the gateway, with the officer role.
      const issuer = `http://127.0.0.1:${basePort + 10}/realms/simpul`;
      expect(output).toContain(`Identity provider ${issuer} (demo credentials, development only)`);
      expect((await fetch(`${issuer}/.well-known/openid-configuration`)).status).toBe(200);
      const bearer = /^Bearer (\S+)$/.exec(curl.headers.authorization ?? '')?.[1];
      expect(bearer).toBeDefined();
      const officer = await verifiedClaims(bearer ?? '', issuer);
      expect(officer).toMatchObject({ iss: issuer, azp: 'mpp-console', typ: 'Bearer', preferred_username: 'petugas' });
      expect([officer.aud].flat()).toContain('simpul-gateway');
      expect(officer.realm_access.roles).toContain('officer');
      expect(officer.exp * 1000).toBeGreaterThan(Date.now());
      expect(output).toContain(`npm run simpul -- token petugas --issuer ${issuer}`);

      // Without the token the gateway refuses the same query, before asking any subgraph.
      const { authorization: _, ...withoutToken } = curl.headers;
      const refused = await fetch(curl.url, { method: 'POST', headers: withoutToken, body: curl.body });
      expect(refused.status).toBe(401);
      const refusal = (await refused.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      expect(refusal.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(refusal.data ?? null).toBeNull();

      // Only the gateway may call a subgraph: even with the officer's token, dukcapil wants the
      // gateway's signed context (the stack's context keys are on).
      const direct = await fetch(`http://127.0.0.1:${basePort + 1}/graphql`, { method: 'POST', headers: curl.headers, body: curl.body });
      expect(direct.status).toBe(401);
      expect(output).not.toContain('INTERNAL_CONTEXT_PUBLIC_KEY is not set');

      // `warga`, the citizen demo user, is the first sample citizen; `simpul token` gets the token as a script would.
      const warga = await verifiedClaims(await cliToken('warga', issuer), issuer);
      expect(warga).toMatchObject({ preferred_username: 'warga', nik: samples[0]?.nik });
      expect(warga.realm_access.roles).toContain('citizen');
      // The client credentials grant the banner shows for a client's token.
      const clientCurl = /^ {4}curl -s -u '([^':]+):([^']+)' -d grant_type=client_credentials (\S+)$/m.exec(output);
      expect(clientCurl?.[1]).toBe('integrator-demo');
      const granted = await fetch(clientCurl?.[3] ?? '', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientCurl?.[1]}:${clientCurl?.[2]}`).toString('base64')}`,
        },
        body: 'grant_type=client_credentials',
      });
      expect(granted.status).toBe(200);
      const integrator = await verifiedClaims(((await granted.json()) as { access_token: string }).access_token, issuer);
      expect(integrator).toMatchObject({ azp: 'integrator-demo' });
      expect(integrator.realm_access.roles).toContain('integrator');

      const response = await fetch(curl.url, { method: 'POST', headers: curl.headers, body: curl.body });
      expect(response.status).toBe(200);
      const result = (await response.json()) as { data?: { citizen: Record<string, unknown> | null }; errors?: unknown[] };
      expect(result.errors).toBeUndefined();
      const citizen = result.data?.citizen;
      expect(citizen).toMatchObject({ fullName: samples[0]?.fullName });
      // The samples have data in every data subgraph: each of the seven answered its part.
      expect(citizen).toEqual(
        expect.objectContaining({
          familyCard: expect.objectContaining({ members: expect.arrayContaining([expect.objectContaining({ nik: samples[0]?.nik })]) }),
          // Digits with or without the usual separators (99.999.999.9-999.999).
          npwp: expect.stringMatching(/^(?:\d[.-]?){14,15}\d$/),
          propertyTaxBills: expect.arrayContaining([expect.objectContaining({ nop: expect.stringMatching(/^(?:\d\.?){17}\d$/) })]),
          businesses: expect.arrayContaining([expect.objectContaining({ nib: expect.stringMatching(/^\d{13}$/) })]),
          passports: expect.arrayContaining([expect.objectContaining({ number: expect.stringMatching(/^[A-Z]\d{7}$/) })]),
          drivingLicences: expect.arrayContaining([expect.objectContaining({ class: expect.any(String) })]),
          vehicles: expect.arrayContaining([expect.objectContaining({ taxDue: expect.objectContaining({ amount: expect.any(Number) }) })]),
          marriages: expect.arrayContaining([expect.objectContaining({ spouse: expect.objectContaining({ fullName: expect.any(String) }) })]),
          applications: expect.arrayContaining([expect.objectContaining({ id: expect.any(String) })]),
        }),
      );

      // An application submitted through the gateway fans out through the broker: the licensing task is on its topic.
      const submitted = await fetch(curl.url, {
        method: 'POST',
        headers: curl.headers,
        body: JSON.stringify({ query: SUBMIT_BUSINESS_START, variables: { nik: samples[0]?.nik } }),
      });
      const submission = (await submitted.json()) as { data?: { submitApplication: { id: string; status: string } }; errors?: unknown[] };
      expect(submission.errors).toBeUndefined();
      expect(submission.data?.submitApplication.status).toBe('SUBMITTED');
      expect(await eventually(() => messagesOn(eventsUrl, 'mpp.task.assigned.licensing.v1'), (n) => n >= 1)).toBe(1);
      expect(recordOf(dataDir).nikHashPepper).toEqual(expect.stringMatching(/^[\w-]{43}$/));

      // The demo query's personal data was audited before it was answered, and the chain verifies
      // through the gateway, for an auditor.
      const verification = runCli(['audit', 'verify', '--url', curl.url, '--token', await cliToken('auditor', issuer)]);
      expect(await verification.exited).toEqual({ code: 0, signal: null });
      expect(verification.output()).toMatch(/^Audit log intact: [1-9]\d* record\(s\) verified/m);

      expect(await stop(run)).toEqual({ code: 0, signal: null });
      // The identity provider, the broker, the gateway and Simpul Console, beside the services and participants.
      expect(run.output()).toContain(`Stopped all ${4 + SERVICES.length + PARTICIPANTS.length} processes`);
      expect(await portStates(basePort)).toEqual(Array(STACK_PORTS).fill('free'));
      expect(existsSync(join(dataDir, 'simpul.pid'))).toBe(false);
    },
    STARTUP_TIMEOUT_MS + 30_000,
  );

  it(
    'reuses the data on the next start, whatever --citizens says',
    async () => {
      const first = runs[0]?.output() ?? '';
      const firstSamples = [...first.matchAll(/^ {4}(\d{16}) /gm)].map(([, nik]) => nik);
      const firstCurl = parseCurl(first);
      const pepper = recordOf(dataDir).nikHashPepper;

      const run = start(['--citizens', '80']);
      // How fast is the bench's business (`npm run bench -- --scenario startup`), not a test's.
      await run.waitFor(/Simpul is ready in \d+\.\d s/, 60_000);
      await run.waitFor(/Press Ctrl-C to stop\./);
      const output = run.output();

      expect(output).toContain('was seeded with 40 citizens');
      expect(output).toContain('ignoring --citizens 80');
      expect(output).not.toMatch(/seeding /);
      for (const name of SERVICES) expect(output).toMatch(new RegExp(`^${name}\\s+ready in \\d+\\.\\d s \\(existing data\\)$`, 'm'));
      expect([...output.matchAll(/^ {4}(\d{16}) /gm)].map(([, nik]) => nik)).toEqual(firstSamples);
      // The broker kept its log, and the NIK hashes keep their pepper.
      expect(await messagesOn(`http://127.0.0.1:${basePort + 11}`, 'mpp.task.assigned.licensing.v1')).toBe(1);
      expect(recordOf(dataDir).nikHashPepper).toBe(pepper);
      for (const { offset } of PARTICIPANTS) expect((await fetch(`http://127.0.0.1:${basePort + offset}/readyz`)).status).toBe(200);

      const curl = parseCurl(output);
      const response = await fetch(curl.url, { method: 'POST', headers: curl.headers, body: curl.body });
      const result = (await response.json()) as { data?: { citizen: { fullName: string } | null } };
      expect(result.data?.citizen?.fullName).toEqual(expect.any(String));
      // The identity provider kept its signing keys: the first start's token (minutes old) still verifies.
      expect(curl.headers.authorization).not.toBe(firstCurl.headers.authorization);
      expect((await fetch(curl.url, { method: 'POST', headers: firstCurl.headers, body: firstCurl.body })).status).toBe(200);

      expect(await stop(run)).toEqual({ code: 0, signal: null });
      expect(await portStates(basePort)).toEqual(Array(STACK_PORTS).fill('free'));
    },
    90_000,
  );

  it(
    'under `npm start`: restarts a subgraph killed with SIGKILL while the rest serve, and a SIGTERM to npm stops every process',
    async () => {
      // The real entry: npm → scripts/simpul.sh → the CLI (the build is already done, so turbo only checks).
      const run = runCommand('npm', ['start', '--', '--citizens', '40', '--data-dir', dataDir, '--base-port', String(basePort)], REPO_ROOT);
      runs.push(run);
      await run.waitFor(/Press Ctrl-C to stop\./, STARTUP_TIMEOUT_MS + NPM_BUILD_ALLOWANCE_MS);
      const stack = descendantsOf(run.child.pid!);
      const tax = stack.find((p) => p.command.includes(join('services', 'tax', 'dist', 'index.js')));
      const gateway = stack.find((p) => p.command.includes(join('gateway', 'dist', 'index.js')));
      expect(tax).toBeDefined();
      expect(gateway).toBeDefined();

      process.kill(tax!.pid, 'SIGKILL');
      await run.waitFor(/^tax\s+was killed by SIGKILL; restarting it in 1\.0 s \(restart 1 of 5\)$/m, 30_000);
      await run.waitFor(/^tax\s+ready in \d+\.\d s \(restarted\)$/m, 60_000);
      expect(run.output()).not.toContain('Stopping');
      expect(isAlive(gateway!.pid)).toBe(true);
      // Serving again: the demo query's NPWP comes from tax, through the same gateway process.
      const curl = parseCurl(run.output());
      const answer = (await (await fetch(curl.url, { method: 'POST', headers: curl.headers, body: curl.body })).json()) as {
        data?: { citizen: { npwp?: string } | null };
        errors?: unknown[];
      };
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.citizen?.npwp).toEqual(expect.any(String));

      const everyone = descendantsOf(run.child.pid!);
      expect(everyone.length).toBeGreaterThanOrEqual(14);
      run.child.kill('SIGTERM');
      await run.exited;
      for (let waited = 0; everyone.some((p) => isAlive(p.pid)) && waited < 30_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
      expect(everyone.filter((p) => isAlive(p.pid)).map((p) => p.command)).toEqual([]);
      // The identity provider, the broker, the gateway and Simpul Console, beside the services and participants.
      expect(run.output()).toContain(`Stopped all ${4 + SERVICES.length + PARTICIPANTS.length} processes`);
      expect(await portStates(basePort)).toEqual(Array(STACK_PORTS).fill('free'));
    },
    STARTUP_TIMEOUT_MS + NPM_BUILD_ALLOWANCE_MS + 120_000,
  );

  it('refuses to start when a port is taken, naming the port and its owner', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done, fail) => {
      blocker.once('error', fail);
      blocker.listen(basePort + 3, '127.0.0.1', done);
    });
    try {
      const run = start([]);
      const { code } = await run.exited;
      expect(code).toBe(1);
      expect(run.output()).toContain(`port ${basePort + 3} on 127.0.0.1 is already in use`);
      expect(run.output()).toContain('the tax subgraph needs it');
      expect(run.output()).not.toContain('Starting Simpul');
    } finally {
      await new Promise((done) => blocker.close(done));
    }
  });
});
