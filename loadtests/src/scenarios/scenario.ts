import type { World } from '@simpul/synthetic-data';
import type { BenchOptions } from '../bench-options';
import type { LoadRunResult, LoadSpec } from '../load/load-run';
import type { DocumentSection } from '../report/benchmark-document';
import type { GatewayTarget } from '../report/gateway-comparison';
import type { MachineInfo } from '../report/machine';
import type { MachineMonitor } from '../report/machine-monitor';

/** Everything a scenario gets from the runner: one stack, both gateways, the world they serve. */
export interface BenchContext {
  options: BenchOptions;
  /** The synthetic world the stack was seeded with (same citizens and seed). */
  world: World;
  simpul: GatewayTarget;
  stock: GatewayTarget;
  machine: MachineInfo;
  /** Markdown bullet list describing the stack and where each part runs, shared by every section. */
  stackDescription: string;
  /** The command that reproduces this bench run. */
  reproduce: string;
  runLoad(spec: LoadSpec): Promise<LoadRunResult>;
  /** Waits for a quiet machine before each run and measures other processes' CPU during it. */
  monitor: MachineMonitor;
  log(line: string): void;
}

export interface ScenarioOutcome {
  /** This scenario's block of docs/benchmarks.md. */
  section: DocumentSection;
  /** Printed to the terminal when the scenario finishes. */
  consoleReport: string;
  /** Failed requests over all measured runs, repeated ones included; any makes the bench exit non-zero. */
  failedRequests: number;
}

/**
 * One benchmark scenario: a workload measured against both gateways. Add a module under
 * src/scenarios/ (runGatewayComparison does the measuring and the report) and register it in
 * index.ts; its section in docs/benchmarks.md is its own.
 */
export interface Scenario {
  /** Section id and `--scenario` value, e.g. `unified-citizen`. */
  id: string;
  title: string;
  run(context: BenchContext): Promise<ScenarioOutcome>;
}
