import { join } from 'node:path';
// The topology module alone: the package index also loads Apollo, PGlite and drizzle (~0.5 s of
// startup) that the CLI never uses.
import { GATEWAY_PORT, SUBGRAPHS, subgraphUrlVariable } from '@simpul/service-kit/dist/topology';
import type { LogLevel } from './cli-args';

export interface ProcessPlan {
  name: string;
  role: 'subgraph' | 'gateway';
  /** Node entry script. */
  script: string;
  port: number;
  /** The GraphQL endpoint. */
  url: string;
  readyUrl: string;
  /** Variables set on top of the (cleaned) parent environment. */
  env: Record<string, string>;
}

export interface StackPlan {
  subgraphs: ProcessPlan[];
  gateway: ProcessPlan;
}

export interface StackPlanInput {
  repoRoot: string;
  dataDir: string;
  host: string;
  logLevel: LogLevel;
  /** Gateway port; subgraph i (0-based, in SUBGRAPHS order) gets basePort + 1 + i. */
  basePort?: number;
  seeding: { citizens: number; seed: number };
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

const subgraphScript = (repoRoot: string, name: string) => join(repoRoot, 'services', name, 'dist', 'index.js');
const gatewayScript = (repoRoot: string) => join(repoRoot, 'gateway', 'dist', 'index.js');

/** The Node entry scripts of the seven subgraphs and the gateway, as the builds leave them. */
export function entryScripts(repoRoot: string): { name: string; script: string }[] {
  return [
    ...SUBGRAPHS.map(({ name }) => ({ name, script: subgraphScript(repoRoot, name) })),
    { name: 'gateway', script: gatewayScript(repoRoot) },
  ];
}

export const SUBGRAPH_NAMES: readonly string[] = SUBGRAPHS.map((s) => s.name);

/** The eight processes of the embedded default (ARCHITECTURE.md §8) and how each is configured. */
export function planStack(input: StackPlanInput): StackPlan {
  const gatewayPort = input.basePort ?? GATEWAY_PORT;
  const common: Record<string, string> = {
    HOST: input.host,
    LOG_LEVEL: input.logLevel,
    NODE_ENV: 'development',
    // Restarts parse the same modules again; the cache saves each process about a tenth of its startup CPU.
    ...(input.compileCacheDir ? { NODE_COMPILE_CACHE: input.compileCacheDir } : {}),
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
        PORT: String(port),
        DATA_DIR: join(input.dataDir, name),
        SEED_CITIZENS: String(input.seeding.citizens),
        SEED: String(input.seeding.seed),
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
      PORT: String(gatewayPort),
      ...Object.fromEntries(subgraphs.map((s) => [subgraphUrlVariable(s.name), s.url])),
    },
  };
  return { subgraphs, gateway };
}

/**
 * The parent environment minus what would switch a process to the production shape: a developer's
 * DATABASE_URL or KAFKA_BROKERS must not send the embedded stack to a real Postgres or Kafka, and
 * stray SUBGRAPH_*_URL values must not point the gateway elsewhere.
 */
export function childEnvironment(parent: NodeJS.ProcessEnv, overrides: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(parent)) {
    if (key === 'DATABASE_URL' || key === 'KAFKA_BROKERS' || /^SUBGRAPH_[A-Z0-9_]+_URL$/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, ...overrides };
}
