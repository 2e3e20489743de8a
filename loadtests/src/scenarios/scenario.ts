import type { World } from '@simpul/synthetic-data';
import type { BenchOptions } from '../bench-options';
import type { LoadRunResult, LoadSpec } from '../load/load-run';
import type { DocumentSection } from '../report/benchmark-document';
import type { GatewayTarget } from '../report/gateway-comparison';
import type { MachineInfo } from '../report/machine';
import type { MachineMonitor } from '../report/machine-monitor';

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
  log(line: string): void;
  /**
   * Registers something the scenario started itself (a stack, a Kafka cluster) to be stopped if the
   * bench is interrupted; call the returned function once the scenario has stopped it.
   */
  stopOnInterrupt(stop: () => Promise<void>): () => void;
}

/** What scenarios measuring both gateways get besides: the runner's one stack and both gateways on it. */
export interface SharedStackContext extends BenchContext {
  simpul: GatewayTarget;
  stock: GatewayTarget;
  /** Markdown bullet list describing the stack and where each part runs, shared by every section. */
  stackDescription: string;
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
