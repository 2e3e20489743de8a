import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoServiceClient, fetchDemoToken } from '@simpul/identity/demo';
import { SUBGRAPHS, subgraphUrlVariable, type SubgraphName } from '@simpul/service-kit';
import { createTestInternalContextKeys, TEST_PURPOSE } from './internal-context';
import { freePort, reservePort } from './ports';
import { createTestDatabase, type TestDatabase } from './postgres';

/** packages/testing/{src,dist} → repository root. */
export const REPO_ROOT = resolve(__dirname, '../../..');

export type StackEngine = 'postgres' | 'pglite';

export interface StartStackOptions {
  /** Size of the synthetic world every service seeds (default 60). */
  citizens?: number;
  /** PRNG seed of the world (default 20171006, the services' own default). */
  seed?: number;
  /** `postgres`: a fresh database per service on the test server; `pglite`: a temp DATA_DIR each. Default postgres. */
  engine?: StackEngine;
  /** Extra environment for the gateway process (e.g. SUBGRAPH_TIMEOUT_MS). */
  gatewayEnv?: Record<string, string>;
  /**
   * Extra environment for the identity provider (e.g. REALM_PATH: a copy of the realm whose
   * mpp-console client also redirects to a browser test's console on a free port).
   */
  identityEnv?: Record<string, string>;
  /** LOG_LEVEL of every process (default info; logs are kept in memory, shown when a start fails). */
  logLevel?: string;
  /** How long one process may take to answer /readyz (default 120 s: seeding comes first, and seven PGlite engines starting at once are CPU-bound). */
  startTimeoutMs?: number;
  /**
   * Where the services' events go. Default: an embedded event broker process of the stack's own
   * (free port, temp data dir). `{ kafkaBrokers }`: that Kafka cluster (e.g. startKafkaMockCluster's
   * brokers), passed as KAFKA_BROKERS; no embedded broker is started.
   */
  events?: { kafkaBrokers: string[] };
  /** Extra environment per subgraph service (e.g. `applications: { SERVICE_CATALOGUE_PATH }`). */
  serviceEnv?: Partial<Record<SubgraphName, Record<string, string>>>;
  /**
   * Run the example external participants (examples/pln over events, examples/bank-bpd over signed
   * webhooks) beside the services, as `npm start` does. Default true.
   */
  participants?: boolean;
  /** Extra environment per example participant. */
  participantEnv?: Partial<Record<ExampleParticipant, Record<string, string>>>;
  /**
   * Run the embedded identity provider (packages/identity, the realm of infra/keycloak) and make the
   * gateway verify bearer tokens against it; agencies call the gateway with their clients' tokens;
   * the gateway signs an internal context for the subgraphs, which refuse calls without one.
   * Default true: `stack.authHeaders()` gives the headers of a demo user or client.
   */
  auth?: boolean;
  /**
   * Every subgraph appends its personal-data accesses to the stack's audit service (AUDIT_URL), as
   * in production. Default true; false leaves AUDIT_URL unset (the audit service still runs), e.g.
   * for a benchmark of the stack with security off.
   */
  audit?: boolean;
}

/** The agencies' confidential clients in the demo realm (`agency-<participant code>`). */

/** The external participants the repository ships as examples (examples/<name>). */
export const EXAMPLE_PARTICIPANTS = ['pln', 'bank-bpd'] as const;
export type ExampleParticipant = (typeof EXAMPLE_PARTICIPANTS)[number];

/** The webhook secret the stack gives bank-bpd and the applications service. */
export const STACK_WEBHOOK_SECRET = createHmac('sha256', 'simpul-stack-test').update('webhook-secret:bank-bpd').digest('hex');

/** NIK_HASH_PEPPER of every stack service, so tests can compute the NIK hashes participants receive. */
export const STACK_NIK_HASH_PEPPER = 'simpul-stack-test-pepper';

/** AUDIT_CHAIN_KEY of the stack's audit service (services/audit). */
export const STACK_AUDIT_CHAIN_KEY = createHmac('sha256', 'simpul-stack-test').update('audit-chain-key').digest('hex');

/** One process of the stack. `stop()` then `start()` restarts it on the same port with the same data. */
export interface StackProcess {
  name: string;
  /** The GraphQL endpoint; the base URL (EVENTS_URL) for the event broker. */
  url: string;
  port: number;
  running: boolean;
  /** The OS process id while running (CPU and memory figures read /proc/<pid>). */
  pid: number | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends a signal without waiting (SIGKILL: a crash); `stop()` then waits for the exit. */
  kill(signal: NodeJS.Signals): void;
  /** The last lines it wrote to stdout/stderr. */
  logs(): string[];
}

export interface Stack {
  gatewayUrl: string;
  gateway: StackProcess;
  subgraphs: Record<SubgraphName, StackProcess>;
  /** The identity provider's process and issuer (absent with `auth: false`). */
  identity: (StackProcess & { issuer: string }) | undefined;
  /**
   * `{ authorization: 'Bearer …' }` for a demo user (`petugas`, `supervisor`, `auditor`, `admin`,
   * `warga`) or confidential client (`agency-dukcapil`, `bank-bpd`…) of the realm; default `petugas`,
   * the counter officer, with `x-simpul-purpose` (default TEST_PURPOSE, a legal basis; `null` for
   * none). Tokens are cached per identity. Only the purpose when the stack runs without auth.
   */
  authHeaders(who?: string, purpose?: string | null): Promise<Record<string, string>>;
  /** The example participants' processes (absent with `participants: false`). */
  participants: Partial<Record<ExampleParticipant, StackProcess>>;
  /** The embedded event broker the services use (their EVENTS_URL); undefined when the stack runs on Kafka. */
  eventsUrl: string | undefined;
  /** The embedded event broker's process (stop and start it for an outage); undefined on Kafka. */
  broker: StackProcess | undefined;
  /** The world every service seeded: `generateWorld(stack.world)` gives the expected data. */
  world: { citizens: number; seed: number };
  /**
   * Another gateway over the same subgraphs with extra environment (e.g. one SUBGRAPH_*_URL
   * pointed elsewhere); stopped with the stack if not before.
   */
  startGateway(env?: Record<string, string>): Promise<StackProcess>;
  /**
   * Another process of a subgraph service with the same environment (the same database, so it
   * seeds nothing) on its own port, plus `env`; stopped with the stack if not before.
   */
  startReplica(name: SubgraphName, env?: Record<string, string>): Promise<StackProcess>;
  /** Stops every process (SIGTERM, then SIGKILL; the broker last) and removes the databases / data dirs. */
  stop(): Promise<void>;
}

const DEFAULT_CITIZENS = 60;
const DEFAULT_SEED = 20171006;
const DEFAULT_START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;
const KEPT_LOG_LINES = 200;
const SHOWN_LOG_LINES = 40;

/**
 * Loaded by every child before its own code: when the test process goes away without stopping it
 * (a crash, a SIGKILL), the IPC channel closes and the child stops itself, so nothing is orphaned.
 */
const ORPHAN_GUARD =
  'data:text/javascript,process.channel?.unref();process.on("disconnect",()=>process.kill(process.pid,"SIGTERM"))';

/** Variables the harness decides for its children; inherited values would point them elsewhere. */
const CONTROLLED_VARIABLE =
  /^(NODE_ENV|HOST|PORT|LOG_LEVEL|DATABASE_URL|DATA_DIR|SEED|SEED_CITIZENS|SUPERGRAPH_PATH|SUBGRAPH_\w+|EVENTS_\w+|KAFKA_BROKERS|NIK_HASH_PEPPER|GATEWAY_URL|WEBHOOK_\w+|SIMPUL_STATUS_URL|SERVICE_CATALOGUE_PATH|AUDIT_\w+|OIDC_\w+|ISSUER|REALM_PATH|DEMO_CITIZEN_NIK|INTERNAL_CONTEXT_\w+)$/;

const BROKER_ENTRY = join(REPO_ROOT, 'packages', 'events', 'dist', 'embedded', 'main.js');
const IDENTITY_ENTRY = join(REPO_ROOT, 'packages', 'identity', 'dist', 'main.js');

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort when the test process exits without stop(): children must not outlive it.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Process ids of every stack process still running in this test process (diagnostics, leak checks). */
export function runningStackProcessIds(): number[] {
  return [...live].map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
}

interface ProcessSpec {
  name: string;
  entry: string;
  port: number;
  env: Record<string, string>;
  startTimeoutMs: number;
  /** Default: a GraphQL service, `http://127.0.0.1:<port>/graphql`, ready on /readyz. */
  url?: string;
  readyPath?: string;
}

class ManagedProcess implements StackProcess {
  readonly name: string;
  readonly port: number;
  readonly url: string;
  private readonly entry: string;
  private readonly env: Record<string, string>;
  private readonly startTimeoutMs: number;
  private readonly readyPath: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly lines: string[] = [];

  constructor(spec: ProcessSpec) {
    this.name = spec.name;
    this.entry = spec.entry;
    this.port = spec.port;
    this.env = spec.env;
    this.startTimeoutMs = spec.startTimeoutMs;
    this.url = spec.url ?? `http://127.0.0.1:${spec.port}/graphql`;
    this.readyPath = spec.readyPath ?? '/readyz';
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  logs(): string[] {
    return [...this.lines];
  }

  async start(): Promise<void> {
    if (this.child) return;
    if (!existsSync(this.entry)) {
      throw new Error(`${this.name}: ${this.entry} does not exist; build it first (npm run build)`);
    }
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !CONTROLLED_VARIABLE.test(key)));
    const child = spawn(process.execPath, ['--import', ORPHAN_GUARD, this.entry], {
      cwd: REPO_ROOT,
      env: { ...inherited, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(this.port), ...this.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    live.add(this);
    this.capture(child.stdout);
    this.capture(child.stderr);
    let exitDescription: string | undefined;
    this.exited = new Promise((done) => {
      child.once('exit', (code, signal) => {
        exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (this.child === child) this.child = undefined;
        live.delete(this);
        done();
      });
      child.once('error', (error) => {
        exitDescription = `could not be spawned: ${error.message}`;
        if (this.child === child) this.child = undefined;
        live.delete(this);
        done();
      });
    });

    const deadline = Date.now() + this.startTimeoutMs;
    const readyz = new URL(this.readyPath, this.url);
    for (;;) {
      if (exitDescription !== undefined) throw new Error(`${this.name} ${exitDescription} before it was ready`);
      try {
        const response = await fetch(readyz, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`${this.name} was not ready within ${this.startTimeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return this.exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  private capture(stream: NodeJS.ReadableStream | null): void {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) this.keep(line);
    });
    stream?.on('end', () => {
      if (pending) this.keep(pending);
      pending = '';
    });
  }

  private keep(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LOG_LINES) this.lines.splice(0, this.lines.length - KEPT_LOG_LINES);
  }
}

/** Why a process did not start, with the last lines it logged. */
function startFailure(failed: ManagedProcess, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const lines = failed.logs().slice(-SHOWN_LOG_LINES);
  const log = lines.length > 0 ? lines.join('\n') : '(no output)';
  return new Error(`${reason}\n--- last ${lines.length} log lines of ${failed.name} ---\n${log}`);
}

async function startOrExplain(managed: ManagedProcess): Promise<void> {
  try {
    await managed.start();
  } catch (error) {
    throw startFailure(managed, error);
  }
}

/**
 * The whole Simpul stack as separate processes, like production: the embedded event broker (unless
 * `events` names a Kafka cluster), every subgraph service on a free port with its own database, all
 * seeding the same synthetic world, the gateway in front, and the example external participants
 * (examples/pln on events, examples/bank-bpd on webhooks). Everything must be built
 * (`node packages/events/dist/embedded/main.js`, `node services/<name>/dist/index.js`,
 * `node gateway/dist/index.js`, `node examples/<name>/dist/index.js`).
 */
export async function startStack(options: StartStackOptions = {}): Promise<Stack> {
  installExitHook();
  const world = { citizens: options.citizens ?? DEFAULT_CITIZENS, seed: options.seed ?? DEFAULT_SEED };
  const engine = options.engine ?? 'postgres';
  const logLevel = options.logLevel ?? 'info';
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const databases: TestDatabase[] = [];
  const services: ManagedProcess[] = [];
  const gateways: ManagedProcess[] = [];
  const participantProcesses: ManagedProcess[] = [];
  let broker: ManagedProcess | undefined;
  let identity: ManagedProcess | undefined;
  let dataRoot: string | undefined;
  let brokerDataDir: string | undefined;
  let stopped: Promise<void> | undefined;
  let releaseGatewayPort: (() => Promise<void>) | undefined;

  const stop = () =>
    (stopped ??= (async () => {
      // Gateways first, so nothing calls a subgraph that is going away; the broker last, so the
      // services' relays and consumers finish their work on the way out.
      await releaseGatewayPort?.();
      await Promise.allSettled(participantProcesses.map((p) => p.stop()));
      await Promise.allSettled(gateways.map((p) => p.stop()));
      await Promise.allSettled(services.map((p) => p.stop()));
      await Promise.allSettled([broker, identity].filter((p) => p !== undefined).map((p) => p.stop()));
      const cleanups = await Promise.allSettled([
        ...databases.map((db) => db.drop()),
        ...[dataRoot, brokerDataDir].filter((dir) => dir !== undefined).map((dir) => rm(dir, { recursive: true, force: true })),
      ]);
      const failed = cleanups.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })());

  try {
    let eventsEnv: Record<string, string>;
    if (options.events) {
      if (options.events.kafkaBrokers.length === 0) throw new Error('startStack: events.kafkaBrokers is empty');
      eventsEnv = { KAFKA_BROKERS: options.events.kafkaBrokers.join(',') };
    } else {
      const port = await freePort();
      brokerDataDir = await mkdtemp(join(tmpdir(), `simpul-stack-events-${port}-`));
      broker = new ManagedProcess({
        name: 'events',
        entry: BROKER_ENTRY,
        port,
        env: { EVENTS_HOST: '127.0.0.1', EVENTS_PORT: String(port), EVENTS_DATA_DIR: brokerDataDir, LOG_LEVEL: logLevel },
        startTimeoutMs,
        url: `http://127.0.0.1:${port}`,
        readyPath: '/healthz',
      });
      // Before the services: they subscribe while they start.
      await startOrExplain(broker);
      eventsEnv = { EVENTS_URL: broker.url };
    }

    dataRoot = await mkdtemp(join(tmpdir(), 'simpul-stack-'));
    let issuer: string | undefined;
    if (options.auth ?? true) {
      const port = await freePort();
      identity = new ManagedProcess({
        name: 'identity',
        entry: IDENTITY_ENTRY,
        port,
        env: { DATA_DIR: join(dataRoot, 'identity'), LOG_LEVEL: logLevel, ...options.identityEnv },
        startTimeoutMs,
        url: `http://127.0.0.1:${port}`,
      });
      await startOrExplain(identity);
      issuer = `${identity.url}/realms/simpul`;
    }
    const contextKeys = issuer ? await createTestInternalContextKeys() : undefined;
    const serviceAuthEnv = (name: string): Record<string, string> => {
      const client = demoServiceClient(name);
      return {
        ...(issuer && client ? { OIDC_ISSUER_URL: issuer, OIDC_CLIENT_ID: client.clientId, OIDC_CLIENT_SECRET: client.clientSecret } : {}),
        ...(contextKeys ? { INTERNAL_CONTEXT_PUBLIC_KEY: contextKeys.publicKey } : {}),
      };
    };
    // Known before anything starts: agencies read other institutions' data through the gateway, and
    // participants report over webhooks to its origin.
    const gatewayReservation = await reservePort();
    releaseGatewayPort = gatewayReservation.release;
    const gatewayPort = gatewayReservation.port;
    const gatewayOrigin = `http://127.0.0.1:${gatewayPort}`;
    const withParticipants = options.participants ?? true;
    const participants: Partial<Record<ExampleParticipant, ManagedProcess>> = {};
    if (withParticipants) {
      for (const name of EXAMPLE_PARTICIPANTS) {
        const port = await freePort();
        const env: Record<string, string> =
          name === 'pln'
            ? { ...eventsEnv }
            : { WEBHOOK_SECRET: STACK_WEBHOOK_SECRET, SIMPUL_STATUS_URL: `${gatewayOrigin}/participants/bank-bpd/task-status` };
        const participant = new ManagedProcess({
          name,
          entry: join(REPO_ROOT, 'examples', name, 'dist', 'index.js'),
          port,
          env: { ...env, DATA_DIR: join(dataRoot, `participant-${name}`), LOG_LEVEL: logLevel, ...options.participantEnv?.[name] },
          startTimeoutMs,
          url: `http://127.0.0.1:${port}`,
        });
        participants[name] = participant;
        participantProcesses.push(participant);
      }
    }
    const webhookEnv: Record<string, string> = participants['bank-bpd']
      ? { WEBHOOK_URL_BANK_BPD: `${participants['bank-bpd'].url}/tasks`, WEBHOOK_SECRET_BANK_BPD: STACK_WEBHOOK_SECRET }
      : {};
    const subgraphs = {} as Record<SubgraphName, ManagedProcess>;
    // Known before the others start: every subgraph appends its personal-data accesses to the audit log.
    const auditPort = await freePort();
    const auditAnchorDir = join(dataRoot, 'audit-anchors');
    const auditOn = options.audit ?? true;
    const auditEnv = (name: SubgraphName): Record<string, string> =>
      name === 'audit'
        ? { AUDIT_CHAIN_KEY: STACK_AUDIT_CHAIN_KEY, AUDIT_ANCHOR_DIR: auditAnchorDir, ...(issuer ? { OIDC_ISSUER_URL: issuer } : {}) }
        : auditOn
          ? { AUDIT_URL: `http://127.0.0.1:${auditPort}` }
          : {};
    const serviceSpecs = {} as Record<SubgraphName, ProcessSpec>;
    for (const { name } of SUBGRAPHS) {
      let storage: Record<string, string>;
      if (engine === 'postgres') {
        const database = await createTestDatabase(`stack_${name}`);
        databases.push(database);
        storage = { DATABASE_URL: database.url };
      } else {
        storage = { DATA_DIR: join(dataRoot, name) };
      }
      const spec: ProcessSpec = {
        name,
        entry: join(REPO_ROOT, 'services', name, 'dist', 'index.js'),
        port: name === 'audit' ? auditPort : await freePort(),
        env: {
          ...storage,
          ...eventsEnv,
          NIK_HASH_PEPPER: STACK_NIK_HASH_PEPPER,
          GATEWAY_URL: `${gatewayOrigin}/graphql`,
          ...(name === 'applications' ? webhookEnv : {}),
          ...serviceAuthEnv(name),
          ...auditEnv(name),
          SEED_CITIZENS: String(world.citizens),
          SEED: String(world.seed),
          LOG_LEVEL: logLevel,
          ...options.serviceEnv?.[name],
        },
        startTimeoutMs,
      };
      serviceSpecs[name] = spec;
      const service = new ManagedProcess(spec);
      subgraphs[name] = service;
      services.push(service);
    }

    const started = await Promise.allSettled([...services, ...participantProcesses].map(startOrExplain));
    const failures = started.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as Error);
    if (failures.length > 0) {
      throw new Error(`the stack did not start:\n\n${failures.map((f) => f.message).join('\n\n')}`);
    }

    const subgraphUrls = Object.fromEntries(SUBGRAPHS.map(({ name }) => [subgraphUrlVariable(name), subgraphs[name].url]));
    let gatewayCount = 0;
    const startGateway = async (env: Record<string, string> = {}): Promise<StackProcess> => {
      gatewayCount += 1;
      const gateway = new ManagedProcess({
        name: gatewayCount === 1 ? 'gateway' : `gateway-${gatewayCount}`,
        entry: join(REPO_ROOT, 'gateway', 'dist', 'index.js'),
        port: gatewayCount === 1 ? gatewayPort : await freePort(),
        env: {
          ...subgraphUrls,
          ...(issuer ? { OIDC_ISSUER_URL: issuer } : {}),
          ...(contextKeys ? { INTERNAL_CONTEXT_PRIVATE_KEY: contextKeys.privateKey } : {}),
          // The gateway appends each request's read records once, for every subgraph (as npm start and compose run it).
          ...(auditOn ? { AUDIT_URL: `http://127.0.0.1:${auditPort}` } : {}),
          LOG_LEVEL: logLevel, ...options.gatewayEnv, ...env },
        startTimeoutMs,
      });
      gateways.push(gateway);
      if (gatewayCount === 1) await gatewayReservation.release();
      await startOrExplain(gateway);
      return gateway;
    };
    const gateway = await startGateway();
    const replicaCounts = new Map<SubgraphName, number>();
    const startReplica = async (name: SubgraphName, env: Record<string, string> = {}): Promise<StackProcess> => {
      const count = (replicaCounts.get(name) ?? 1) + 1;
      replicaCounts.set(name, count);
      const spec = serviceSpecs[name];
      const replica = new ManagedProcess({ ...spec, name: `${name}-${count}`, port: await freePort(), url: undefined, env: { ...spec.env, ...env } });
      services.push(replica);
      await startOrExplain(replica);
      return replica;
    };

    // Demo access tokens live minutes (the realm's lifespan): fetch again after a minute.
    const tokens = new Map<string, { token: Promise<string>; fetchedAt: number }>();
    const authHeaders = async (who = 'petugas', purpose: string | null = TEST_PURPOSE): Promise<Record<string, string>> => {
      const purposeHeader: Record<string, string> = purpose ? { 'x-simpul-purpose': purpose } : {};
      if (!issuer) return purposeHeader;
      let cached = tokens.get(who);
      if (!cached || Date.now() - cached.fetchedAt > 60_000) {
        cached = { token: fetchDemoToken(issuer, who), fetchedAt: Date.now() };
        tokens.set(who, cached);
        cached.token.catch(() => tokens.delete(who));
      }
      return { authorization: `Bearer ${await cached.token}`, ...purposeHeader };
    };
    const identityProcess = identity && issuer ? Object.assign(identity, { issuer }) : undefined;
    return { gatewayUrl: gateway.url, gateway, subgraphs, participants, identity: identityProcess, authHeaders, eventsUrl: broker?.url, broker, world, startGateway, startReplica, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
