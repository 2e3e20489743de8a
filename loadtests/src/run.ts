import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { SUBGRAPHS } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { freePort, startStack, type Stack } from '@simpul/testing';
import { displayPath } from './display-path';
import { BENCH_USAGE, parseBenchOptions, reproduceCommand, type BenchOptions } from './bench-options';
import { checkedInSupergraphPath, readCheckedInSupergraph, startStockGateway } from './gateways/stock-gateway';
import { runLoadInChildProcess } from './load/load-generator-process';
import { mergeSections } from './report/benchmark-document';
import { describeMachine, formatMachine } from './report/machine';
import { createMachineMonitor } from './report/machine-monitor';
import { startUsageMeter } from './report/process-usage';
import { selectScenarios } from './scenarios';
import { latestErrorLines, stackProcesses } from './scenarios/stack-processes';
import type {
  BenchContext,
  OwnStackScenario,
  Scenario,
  ScenarioOutcome,
  SharedStackContext,
  SharedStackScenario,
} from './scenarios/scenario';

/** loadtests/dist/run.js → <repo>/docs/benchmarks.md */
const DEFAULT_OUTPUT = resolve(__dirname, '..', '..', 'docs', 'benchmarks.md');
const REPO_ROOT = resolve(__dirname, '..', '..');
/**
 * Two stacks of eight services, each with a pg pool of up to 10 connections, need up to 160 under
 * load: more than a default PostgreSQL allows (max_connections 100). pg closes a pool's idle
 * connections after 10 s, so before a run on another target the bench waits that long, and the idle
 * stack holds none while the other is measured.
 */
const IDLE_CONNECTIONS_CLOSED_MS = 11_000;
/** Longest measured run whose requests all carry a valid token: realm tokens live 5 min, and stack.authHeaders refetches after 1. */
const MAX_RUN_SECONDS_WITH_ONE_TOKEN = 240;
/** Other processes' CPU share under which the machine counts as quiet (a run above it is disturbed). */
const QUIET_CPU_SHARE = 0.15;

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

/** The officer's purpose at the counter: what the secured gateway's unified-profile requests declare. */
const COUNTER_PURPOSE = 'legal-basis:PUBLIC_SERVICE_DELIVERY';
/** The demo user whose token the secured gateway's unified-profile requests carry: the counter officer. */
const COUNTER_OFFICER = 'petugas';

function describeStacks(options: BenchOptions, open: Stack, seed: number): string {
  const subgraphs = Object.keys(open.subgraphs).join(', ');
  const gatewayEnv = Object.entries(options.gatewayEnv);
  return [
    `- Two stacks started by \`startStack\` (@simpul/testing), every subgraph and gateway its own Node process, as in ` +
      `production; engine \`postgres\` (a fresh database per subgraph and stack on the machine's PostgreSQL), each seeded with ` +
      `the synthetic world of ${options.citizens.toLocaleString('en-US')} citizens, seed ${seed}; log level \`${options.logLevel}\`; ` +
      'no example participants. Subgraphs: ' + `${subgraphs}; plus an embedded event broker per stack (idle in read-only scenarios).`,
    '- **Security-off stack**: no identity provider, no signed contexts (no INTERNAL_CONTEXT_PUBLIC_KEY: subgraphs verify ' +
      'nothing and enforce no field access), no audit (no AUDIT_URL: nothing is recorded).',
    '- **Secured stack**, as `npm start` and production run it: the embedded identity provider (packages/identity, the realm of ' +
      'infra/keycloak); the gateway verifies bearer tokens and signs an internal context per subgraph fetch; subgraphs verify it, ' +
      'enforce field access and purposes; every personal-data access is recorded in the audit service (on PostgreSQL) ' +
      'before the response leaves (AUDIT_URL on the gateway and the subgraphs, as `npm start` sets it).',
    `- **Stock Apollo gateway** (\`stock\`): \`new ApolloGateway({ supergraphSdl })\` over the same checked-in ` +
      `\`${relative(REPO_ROOT, checkedInSupergraphPath())}\`, stock \`RemoteGraphQLDataSource\` pointed at the security-off ` +
      'stack\'s subgraphs, served by `@apollo/server/standalone` in the bench runner\'s process (which does nothing else ' +
      'while measuring: the load generator is a separate process; its CPU is counted as the stock gateway\'s). No headers.',
    `- **Simpul gateway, security off** (\`simpul-off\`, \`gateway/\`) over the security-off stack. No headers.`,
    `- **Simpul gateway, everything on** (\`simpul-on\`) over the secured stack; requests carry the counter officer's ` +
      `(\`${COUNTER_OFFICER}\`) access token and \`x-simpul-purpose: ${COUNTER_PURPOSE}\` unless a scenario says otherwise.`,
    `- Between runs on different gateways the bench waits ${IDLE_CONNECTIONS_CLOSED_MS / 1000} s, so that the idle stack's ` +
      'database connections are closed (pg pools close idle ones after 10 s): both stacks under load would need more ' +
      'connections than PostgreSQL allows by default (max_connections 100), and the runs would fail with “too many clients”.',
    `- Gateway environment: ${gatewayEnv.length ? gatewayEnv.map(([name, value]) => `\`${name}=${value}\``).join(', ') : 'defaults'}.`,
  ].join('\n');
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  let scenarios: Scenario[];
  try {
    options = parseBenchOptions(argv, DEFAULT_OUTPUT);
    scenarios = selectScenarios(options.scenarios);
  } catch (error) {
    console.error(`[bench] ${error instanceof Error ? error.message : String(error)} (see --help)`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  if (options.durationSeconds > MAX_RUN_SECONDS_WITH_ONE_TOKEN) {
    // A run sends one token throughout: fetched at most a minute before it, it lives five (the realm's lifespan).
    log(`warning: runs of ${options.durationSeconds} s outlast an access token; requests after ~${MAX_RUN_SECONDS_WITH_ONE_TOKEN} s will fail as 401`);
  }
  const machine = describeMachine();
  const sharedScenarios = scenarios.filter((scenario): scenario is SharedStackScenario => scenario.stack === 'shared');
  const ownScenarios = scenarios.filter((scenario): scenario is OwnStackScenario => scenario.stack === 'own');
  log(`${scenarios.map((scenario) => scenario.id).join(', ')} on ${formatMachine(machine)}`);
  if (sharedScenarios.length > 0) {
    const runs = 3 * (1 + options.rounds);
    const quietSeconds = 3 * (options.warmupSeconds + options.rounds * options.durationSeconds) + runs * (1 + IDLE_CONNECTIONS_CLOSED_MS / 1000);
    const busySeconds =
      quietSeconds + runs * options.quietWaitSeconds + options.repeats * (options.durationSeconds + options.quietWaitSeconds);
    log(
      `load phase per gateway scenario: ${Math.ceil(quietSeconds / 60)} min on a quiet machine, ` +
        `up to ${Math.ceil(busySeconds / 60)} min if other processes keep it busy`,
    );
  }

  const world = generateWorld({ citizens: options.citizens, seed: options.seed });
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const stop of cleanups.splice(0).reverse()) {
      await stop().catch((error: unknown) => console.error('[bench] cleanup failed:', error));
    }
  };
  const interrupt = () => {
    log('interrupted; stopping the stack');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  const context: BenchContext = {
    options,
    world,
    machine,
    reproduce: reproduceCommand(options, DEFAULT_OUTPUT),
    runLoad: runLoadInChildProcess,
    monitor: createMachineMonitor({ sampleMs: 1000, maxWaitMs: options.quietWaitSeconds * 1000, quietShare: QUIET_CPU_SHARE }),
    meter: startUsageMeter,
    log,
    stopOnInterrupt(stop) {
      cleanups.push(stop);
      return () => {
        const index = cleanups.indexOf(stop);
        if (index >= 0) cleanups.splice(index, 1);
      };
    },
  };
  const outcomes: ScenarioOutcome[] = [];
  const failedScenarios: string[] = [];
  const runScenario = async (scenario: Scenario, run: () => Promise<ScenarioOutcome>) => {
    log(`scenario ${scenario.id}: ${scenario.title}`);
    try {
      const outcome = await run();
      outcomes.push(outcome);
      console.log(`\n${outcome.consoleReport}\n`);
    } catch (error) {
      failedScenarios.push(scenario.id);
      console.error(`[bench] scenario ${scenario.id} failed:`, error instanceof Error ? error.message : error);
    }
  };
  try {
    if (sharedScenarios.length > 0) {
      const stackOptions = {
        citizens: options.citizens,
        seed: world.seed,
        engine: 'postgres',
        gatewayEnv: options.gatewayEnv,
        logLevel: options.logLevel,
        // The gateway scenarios only read; the example participants would sit idle beside them.
        participants: false,
      } as const;
      log(`starting the security-off stack: ${SUBGRAPHS.length} subgraphs + Simpul gateway, postgres, ${options.citizens} citizens (seed ${world.seed})`);
      const open = await startStack({ ...stackOptions, auth: false, audit: false });
      cleanups.push(() => open.stop());
      log('starting the secured stack: identity provider, signed contexts, audit');
      const secured = await startStack({ ...stackOptions, auth: true, audit: true });
      cleanups.push(() => secured.stop());
      const subgraphUrls = Object.fromEntries(Object.entries(open.subgraphs).map(([name, subgraph]) => [name, subgraph.url]));
      const stock = await startStockGateway({
        supergraphSdl: await readCheckedInSupergraph(),
        subgraphUrls,
        port: await freePort(),
      });
      cleanups.push(() => stock.stop());
      log(`stock gateway ${stock.url}, Simpul security off ${open.gatewayUrl}, Simpul everything on ${secured.gatewayUrl}`);

      const sharedContext: SharedStackContext = {
        ...context,
        stock: {
          id: 'stock',
          label: 'stock Apollo gateway',
          url: stock.url,
          processes: () => [{ name: 'stock gateway (bench runner)', pid: process.pid }, ...stackProcesses(open, { gateway: false })],
          errorLines: () => latestErrorLines(Object.values(open.subgraphs)),
        },
        simpulOff: {
          id: 'simpul-off',
          label: 'Simpul, security off',
          url: open.gatewayUrl,
          processes: () => stackProcesses(open),
          errorLines: () => latestErrorLines([open.gateway, ...Object.values(open.subgraphs)]),
        },
        simpulOn: {
          id: 'simpul-on',
          label: 'Simpul, everything on',
          url: secured.gatewayUrl,
          headers: () => secured.authHeaders(COUNTER_OFFICER, COUNTER_PURPOSE),
          processes: () => stackProcesses(secured),
          errorLines: () => latestErrorLines([secured.gateway, ...Object.values(secured.subgraphs)]),
        },
        securedHeaders: (who, purpose) => secured.authHeaders(who, purpose),
        pauseBetweenTargets: () => new Promise((resolve) => setTimeout(resolve, IDLE_CONNECTIONS_CLOSED_MS)),
        stackDescription: describeStacks(options, open, world.seed),
      };
      for (const scenario of sharedScenarios) await runScenario(scenario, () => scenario.run(sharedContext));
      // The scenarios with stacks of their own get the machine to themselves.
      await cleanUp();
    }
    for (const scenario of ownScenarios) await runScenario(scenario, () => scenario.run(context));
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await cleanUp();
  }

  if (outcomes.length > 0) {
    const existing = await readIfExists(options.output);
    await mkdir(dirname(options.output), { recursive: true });
    await writeFile(options.output, mergeSections(existing, outcomes.map((outcome) => outcome.section)));
    log(`wrote ${displayPath(options.output)}`);
  }
  const failedRequests = outcomes.reduce((sum, outcome) => sum + outcome.failedRequests, 0);
  if (failedRequests > 0) log(`${failedRequests} failures (requests, or applications that did not complete); the report marks where`);
  if (failedScenarios.length > 0) log(`scenarios that could not run: ${failedScenarios.join(', ')}`);
  return failedRequests > 0 || failedScenarios.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('[bench]', error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  },
);
