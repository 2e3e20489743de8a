import type { World } from '@simpul/synthetic-data';
import type { BenchOptions } from '../bench-options';
import type { LoadRunResult, LoadSpec } from '../load/load-run';
import type { DocumentSection } from '../report/benchmark-document';
import type { GatewayTarget } from '../report/gateway-comparison';
import type { MachineInfo } from '../report/machine';
import type { MachineMonitor } from '../report/machine-monitor';
import type { StartUsageMeter } from '../report/process-usage';

/** Everything every scenario gets from the runner. */
export interface BenchContext {
  options: BenchOptions;
  /** The synthetic world of `options.citizens` and the seed (the shared stack is seeded with it). */
  world: World;
  machine: MachineInfo;
  /** The command that reproduces this bench run. */
  reproduce: string;
  runLoad(spec: LoadSpec): Promise<LoadRunResult>;
  /** Waits for a quiet machine before each run and measures other processes' CPU during it. */
  monitor: MachineMonitor;
  /** Meters processes' CPU and peak memory during a measured run (undefined: not metered). */
  meter?: StartUsageMeter;
  log(line: string): void;
  /**
   * Registers something the scenario started itself (a stack, a Kafka cluster) to be stopped if the
   * bench is interrupted; call the returned function once the scenario has stopped it.
   */
  stopOnInterrupt(stop: () => Promise<void>): () => void;
}

/**
 * What gateway scenarios get besides: the runner's two stacks over the same world and three gateways
 * on them. Each target meters its own processes and brings its own headers.
 */
export interface SharedStackContext extends BenchContext {
  /** The stock @apollo/gateway over the security-off stack's subgraphs: no Simpul security anywhere. */
  stock: GatewayTarget;
  /** The Simpul gateway over the security-off stack: no token verification, no signed contexts, no audit. */
  simpulOff: GatewayTarget;
  /**
   * The Simpul gateway with everything on, as `npm start` and production run it: bearer tokens of the
   * identity provider verified, signed internal contexts, purposes checked, every access audited.
   * Its headers: the counter officer's token and `legal-basis:PUBLIC_SERVICE_DELIVERY`.
   */
  simpulOn: GatewayTarget;
  /**
   * Headers for the secured stack as `who` (a demo user or client of its realm) with `purpose`: a
   * token at most a minute old (realm tokens live five minutes).
   */
  securedHeaders(who: string, purpose: string): Promise<Record<string, string>>;
  /** Markdown bullet list describing the stacks and where each part runs, shared by every section. */
  stackDescription: string;
  /** Between runs on different targets: lets the idle stack's database connections close (see run.ts). */
  pauseBetweenTargets?: () => Promise<void>;
}

export interface ScenarioOutcome {
  /** This scenario's block of docs/benchmarks.md. */
  section: DocumentSection;
  /** Printed to the terminal when the scenario finishes. */
  consoleReport: string;
  /**
   * Failed requests over all measured runs, repeated ones included (fan-out: also applications that
   * did not complete and transports it could not measure); any makes the bench exit non-zero.
   */
  failedRequests: number;
}

interface ScenarioIdentity {
  /** Section id and `--scenario` value, e.g. `unified-citizen`. */
  id: string;
  title: string;
  /** Left out of a run that names no scenario (slow, or it changes the machine); `--scenario <id>` runs it. */
  optIn?: boolean;
}

/**
 * A workload measured against both gateways on the runner's shared stack (started once, only when a
 * selected scenario needs it). Add a module under src/scenarios/ (runGatewayComparison does the
 * measuring and the report) and register it in index.ts; its section in docs/benchmarks.md is its own.
 */
export interface SharedStackScenario extends ScenarioIdentity {
  stack: 'shared';
  run(context: SharedStackContext): Promise<ScenarioOutcome>;
}

/**
 * A scenario that starts and stops the stacks it measures itself (e.g. one per event transport);
 * the runner runs these after the shared stack is gone, so they have the machine to themselves.
 */
export interface OwnStackScenario extends ScenarioIdentity {
  stack: 'own';
  run(context: BenchContext): Promise<ScenarioOutcome>;
}

export type Scenario = SharedStackScenario | OwnStackScenario;
