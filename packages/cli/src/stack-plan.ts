import { join } from 'node:path';
// The topology module alone: the package index also loads Apollo, PGlite and drizzle (~0.5 s of
// startup) that the CLI never uses.
import { GATEWAY_PORT, SUBGRAPHS, subgraphUrlVariable } from '@simpul/service-kit/dist/topology';
import type { LogLevel } from './cli-args';

export interface ProcessPlan {
  name: string;
  role: 'broker' | 'subgraph' | 'gateway';
  /** Node entry script. */
  script: string;
  port: number;
  /** The GraphQL endpoint; the broker's base URL (the services' EVENTS_URL) for the broker. */
  url: string;
  readyUrl: string;
  /** Variables set on top of the (cleaned) parent environment. */
  env: Record<string, string>;
}

export interface StackPlan {
  /** The embedded event broker: started first, stopped last. */
  broker: ProcessPlan;
  subgraphs: ProcessPlan[];
  gateway: ProcessPlan;
}

/** The embedded event broker's standard port (its own default, packages/events), after identity's 4010. */
export const EVENTS_BROKER_PORT = 4011;
/** Its name in the output and its directory under the data directory. */
export const EVENTS_BROKER_NAME = 'events';

export interface StackPlanInput {
  repoRoot: string;
  dataDir: string;
  host: string;
  logLevel: LogLevel;
  /** Gateway port; subgraph i (0-based, in SUBGRAPHS order) gets basePort + 1 + i, the event broker basePort + 11. */
  basePort?: number;
  seeding: { citizens: number; seed: number };
  /** The data directory's secret for NIK hashes (NIK_HASH_PEPPER of every subgraph). */
  nikHashPepper: string;
  /** Node's on-disk compile cache, shared by the eight processes (NODE_COMPILE_CACHE). */
  compileCacheDir?: string;
}

/** Where to connect to a server listening on `host`: wildcard addresses become loopback. */
export function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

export function httpOrigin(host: string, port: number): string {
  const connect = connectHost(host);
  const literal = connect.includes(':') && !connect.startsWith('[') ? `[${connect}]` : connect;
  return `http://${literal}:${port}`;
}

/**
 * Where the broker listens: always loopback. It has no authentication (anyone reaching it could
 * publish task decisions), and only the stack's own processes on this machine use it, so
 * `--host 0.0.0.0` exposes the gateway and the subgraphs but never the broker.
 */
export function brokerHost(host: string): string {
  return connectHost(host).includes(':') ? '::1' : '127.0.0.1';
}

const brokerScript = (repoRoot: string) => join(repoRoot, 'packages', 'events', 'dist', 'embedded', 'main.js');
const subgraphScript = (repoRoot: string, name: string) => join(repoRoot, 'services', name, 'dist', 'index.js');
const gatewayScript = (repoRoot: string) => join(repoRoot, 'gateway', 'dist', 'index.js');

/** The Node entry scripts of the event broker, the seven subgraphs and the gateway, as the builds leave them. */
export function entryScripts(repoRoot: string): { name: string; script: string }[] {
  return [
    { name: EVENTS_BROKER_NAME, script: brokerScript(repoRoot) },
    ...SUBGRAPHS.map(({ name }) => ({ name, script: subgraphScript(repoRoot, name) })),
    { name: 'gateway', script: gatewayScript(repoRoot) },
  ];
}

export const SUBGRAPH_NAMES: readonly string[] = SUBGRAPHS.map((s) => s.name);
/** What `simpul start` keeps under the data directory besides its own files: one store per process that has one. */
export const STORE_NAMES: readonly string[] = [EVENTS_BROKER_NAME, ...SUBGRAPH_NAMES];

/** The nine processes of the embedded default (ARCHITECTURE.md §8) and how each is configured. */
export function planStack(input: StackPlanInput): StackPlan {
  const gatewayPort = input.basePort ?? GATEWAY_PORT;
  const common: Record<string, string> = {
    LOG_LEVEL: input.logLevel,
    NODE_ENV: 'development',
    // Restarts parse the same modules again; the cache saves each process about a tenth of its startup CPU.
    ...(input.compileCacheDir ? { NODE_COMPILE_CACHE: input.compileCacheDir } : {}),
  };
  const brokerPort = input.basePort === undefined ? EVENTS_BROKER_PORT : input.basePort + (EVENTS_BROKER_PORT - GATEWAY_PORT);
  const brokerListensOn = brokerHost(input.host);
  const brokerOrigin = httpOrigin(brokerListensOn, brokerPort);
  const broker: ProcessPlan = {
    name: EVENTS_BROKER_NAME,
    role: 'broker',
    script: brokerScript(input.repoRoot),
    port: brokerPort,
    url: brokerOrigin,
    readyUrl: `${brokerOrigin}/healthz`,
    env: {
      ...common,
      EVENTS_HOST: brokerListensOn,
      EVENTS_PORT: String(brokerPort),
      EVENTS_DATA_DIR: join(input.dataDir, EVENTS_BROKER_NAME),
    },
  };
  const subgraphs: ProcessPlan[] = SUBGRAPHS.map(({ name, port: standardPort }, index) => {
    const port = input.basePort === undefined ? standardPort : input.basePort + 1 + index;
    const origin = httpOrigin(input.host, port);
    return {
      name,
      role: 'subgraph',
      script: subgraphScript(input.repoRoot, name),
      port,
      url: `${origin}/graphql`,
      readyUrl: `${origin}/readyz`,
      env: {
        ...common,
        HOST: input.host,
        PORT: String(port),
        DATA_DIR: join(input.dataDir, name),
        SEED_CITIZENS: String(input.seeding.citizens),
        SEED: String(input.seeding.seed),
        // Every agency publishes and consumes events (only applications does so far).
        EVENTS_URL: broker.url,
        NIK_HASH_PEPPER: input.nikHashPepper,
      },
    };
  });
  const gatewayOrigin = httpOrigin(input.host, gatewayPort);
  const gateway: ProcessPlan = {
    name: 'gateway',
    role: 'gateway',
    script: gatewayScript(input.repoRoot),
    port: gatewayPort,
    url: `${gatewayOrigin}/graphql`,
    readyUrl: `${gatewayOrigin}/readyz`,
    env: {
      ...common,
      HOST: input.host,
      PORT: String(gatewayPort),
      ...Object.fromEntries(subgraphs.map((s) => [subgraphUrlVariable(s.name), s.url])),
    },
  };
  return { broker, subgraphs, gateway };
}

/** Parent variables a child never inherits; see childEnvironment. */
const NOT_INHERITED = /^(DATABASE_URL|KAFKA_BROKERS|EVENTS_URL|SUBGRAPH_[A-Z0-9_]+_URL)$/;

/**
 * The parent environment minus what would switch a process to the production shape or to another
 * stack: a developer's DATABASE_URL or KAFKA_BROKERS must not send the embedded stack to a real
 * Postgres or Kafka, and stray EVENTS_URL or SUBGRAPH_*_URL values must not point a process at
 * another broker or subgraph (the plan sets the ones each process needs).
 */
export function childEnvironment(parent: NodeJS.ProcessEnv, overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(parent)) {
    if (NOT_INHERITED.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...overrides };
}
