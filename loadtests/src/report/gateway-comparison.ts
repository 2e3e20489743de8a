import type { LoadRunResult, LoadSpec } from '../load/load-run';
import type { MachineMonitor } from './machine-monitor';
import { addUsage, cpuMsPer, type MeteredProcess, type ResourceUsage, type StartUsageMeter } from './process-usage';
import { median, ratio } from './statistics';

export interface GatewayTarget {
  /** Short id used in progress lines, e.g. `simpul`. */
  id: string;
  /** How tables name it, e.g. `Simpul gateway`. */
  label: string;
  url: string;
  /** Replicas of the same service: the load is split over `url` and these (LoadSpec.extraUrls). */
  extraUrls?: string[];
  /** Headers for one run, asked for before each (e.g. a fresh access token and the purpose). */
  headers?: () => Promise<Record<string, string>>;
  /** The processes serving this target, metered during its runs (CPU per request, peak RSS). */
  processes?: () => MeteredProcess[];
  /** The latest error lines its processes logged, shown beside its failures. */
  errorLines?: () => string[];
}

export interface ComparisonSettings {
  /** Measured runs per target. */
  rounds: number;
  durationSeconds: number;
  /** Length of the unmeasured warm-up run per target; 0 skips warm-up. */
  warmupSeconds: number;
  connections: number;
  timeoutSeconds: number;
  /**
   * Extra measured runs, over the whole comparison, to repeat runs that other processes disturbed
   * (their CPU share above the monitor's quiet share). 0 keeps every run as it came.
   */
  repeatsForDisturbedRuns: number;
}

/** What every request of the comparison sends and what a success must contain. */
export interface Workload {
  bodies: string[];
  /** Bodies made again for every run instead (e.g. records stamped with the time of their run). */
  bodiesForRun?: () => string[];
  requiredDataFields: string[];
  headers?: Record<string, string>;
  /** Not GraphQL: success is exactly this HTTP status (LoadSpec.expectedStatus). */
  expectedStatus?: number;
}

export interface ScheduledRun {
  phase: 'warm-up' | 'measured';
  /** 1-based within the phase. */
  round: number;
  target: GatewayTarget;
}

export interface TargetSummary {
  target: GatewayTarget;
  runs: LoadRunResult[];
  medianRequestsPerSecond: number;
  /** Medians over the runs that completed at least one response; null when none did. */
  medianP50Ms: number | null;
  medianP99Ms: number | null;
  responses: number;
  failedRequests: number;
  /** 1-based round numbers of measured runs that had any failure. */
  roundsWithFailures: number[];
  /** CPU and peak RSS of the target's processes over its runs (undefined when not metered). */
  usage: ResourceUsage | undefined;
  /** Median over runs of CPU ms (all metered processes) per completed response; null when not metered. */
  medianCpuMsPerRequest: number | null;
}

export interface MeasuredRun {
  round: number;
  target: GatewayTarget;
  result: LoadRunResult;
  /** Share of machine CPU used during the run by processes other than the bench and PostgreSQL. */
  otherCpu?: number;
  /** Seconds spent before the run waiting for the machine to quieten. */
  waitedSeconds?: number;
  /** Disturbed by other processes and run again; left out of the summaries. */
  repeated?: boolean;
  /** What the target's processes used during the run. */
  usage?: ResourceUsage;
}

export interface ComparisonResult {
  settings: ComparisonSettings;
  /** Measured runs in the order they ran (the alternation is visible here). */
  runs: MeasuredRun[];
  summaries: TargetSummary[];
}

/**
 * Warm-up once per target, then alternate targets round by round (A, B, A, B, …) so that drift —
 * caches filling, the machine heating up, a noisy neighbour — spreads over both instead of biasing one.
 */
export function comparisonSchedule(targets: readonly GatewayTarget[], settings: ComparisonSettings): ScheduledRun[] {
  const schedule: ScheduledRun[] = [];
  if (settings.warmupSeconds > 0) {
    for (const target of targets) schedule.push({ phase: 'warm-up', round: 1, target });
  }
  for (let round = 1; round <= settings.rounds; round += 1) {
    for (const target of targets) schedule.push({ phase: 'measured', round, target });
  }
  return schedule;
}

export function summariseTarget(
  target: GatewayTarget,
  runs: { round: number; result: LoadRunResult; usage?: ResourceUsage }[],
): TargetSummary {
  if (runs.length === 0) throw new Error(`no measured runs for ${target.label}`);
  const results = runs.map((run) => run.result);
  const withLatency = results.flatMap((result) => (result.latencyMs ? [result.latencyMs] : []));
  const perRequest = runs.flatMap((run) => {
    const cpu = run.usage ? cpuMsPer(run.usage, run.result.responses) : null;
    return cpu === null ? [] : [cpu];
  });
  return {
    target,
    runs: results,
    medianRequestsPerSecond: median(results.map((result) => result.requestsPerSecond)),
    medianP50Ms: withLatency.length ? median(withLatency.map((latency) => latency.p50)) : null,
    medianP99Ms: withLatency.length ? median(withLatency.map((latency) => latency.p99)) : null,
    responses: results.reduce((sum, result) => sum + result.responses, 0),
    failedRequests: results.reduce((sum, result) => sum + result.failedRequests, 0),
    roundsWithFailures: runs.filter((run) => run.result.failedRequests > 0).map((run) => run.round),
    usage: runs.reduce<ResourceUsage | undefined>((total, run) => (run.usage ? addUsage(total, run.usage) : total), undefined),
    medianCpuMsPerRequest: perRequest.length ? median(perRequest) : null,
  };
}

/** `subject` relative to `baseline`: throughput ratio above 1 and latency ratios below 1 favour `subject`. */
export function relativeFigures(subject: TargetSummary, baseline: TargetSummary) {
  const latencyRatio = (a: number | null, b: number | null) => (a === null || b === null ? null : ratio(a, b));
  return {
    throughput: ratio(subject.medianRequestsPerSecond, baseline.medianRequestsPerSecond),
    p50: latencyRatio(subject.medianP50Ms, baseline.medianP50Ms),
    p99: latencyRatio(subject.medianP99Ms, baseline.medianP99Ms),
  };
}

export interface CompareOptions {
  targets: GatewayTarget[];
  settings: ComparisonSettings;
  workload: Workload;
  runLoad: (spec: LoadSpec) => Promise<LoadRunResult>;
  onRunFinished?: (run: ScheduledRun, result: LoadRunResult, conditions: RunConditions) => void;
  /** Settles the machine before every run and reports other processes' CPU during it. */
  monitor?: MachineMonitor;
  /** Meters the target's processes (GatewayTarget.processes) during each measured run. */
  meter?: StartUsageMeter;
  /**
   * Waits before a run whose target differs from the previous run's (e.g. until the previous
   * stack's idle database connections are closed); none by default.
   */
  pauseBetweenTargets?: () => Promise<void>;
}

export type RunConditions = Pick<MeasuredRun, 'otherCpu' | 'waitedSeconds' | 'repeated'>;

export async function compareGateways(options: CompareOptions): Promise<ComparisonResult> {
  const { targets, settings, workload, monitor } = options;
  const measured: ComparisonResult['runs'] = [];
  let repeatsLeft = settings.repeatsForDisturbedRuns;
  const schedule = comparisonSchedule(targets, settings);
  for (let index = 0; index < schedule.length; index += 1) {
    const scheduled = schedule[index]!;
    if (index > 0 && schedule[index - 1]!.target !== scheduled.target) await options.pauseBetweenTargets?.();
    const settled = await monitor?.settle();
    const headers = { ...workload.headers, ...(await scheduled.target.headers?.()) };
    const processes = scheduled.phase === 'measured' ? scheduled.target.processes?.() : undefined;
    const meter = processes && options.meter ? await options.meter(processes) : undefined;
    const otherCpuSince = await monitor?.watch();
    const result = await options.runLoad({
      label: scheduled.phase === 'warm-up' ? `${scheduled.target.id} warm-up` : scheduled.target.id,
      url: scheduled.target.url,
      ...(scheduled.target.extraUrls ? { extraUrls: scheduled.target.extraUrls } : {}),
      bodies: workload.bodiesForRun?.() ?? workload.bodies,
      headers,
      requiredDataFields: workload.requiredDataFields,
      ...(workload.expectedStatus === undefined ? {} : { expectedStatus: workload.expectedStatus }),
      connections: settings.connections,
      durationSeconds: scheduled.phase === 'warm-up' ? settings.warmupSeconds : settings.durationSeconds,
      timeoutSeconds: settings.timeoutSeconds,
    });
    const otherCpu = await otherCpuSince?.();
    const usage = await meter?.stop();
    const disturbed = monitor !== undefined && otherCpu !== undefined && otherCpu > monitor.quietShare;
    const repeated = scheduled.phase === 'measured' && disturbed && repeatsLeft > 0;
    const conditions: RunConditions = { otherCpu, waitedSeconds: settled?.waitedSeconds, ...(repeated ? { repeated } : {}) };
    options.onRunFinished?.(scheduled, result, conditions);
    if (scheduled.phase === 'measured') {
      measured.push({ round: scheduled.round, target: scheduled.target, result, ...conditions, ...(usage ? { usage } : {}) });
    }
    if (repeated) {
      repeatsLeft -= 1;
      index -= 1;
    }
  }
  return {
    settings,
    runs: measured,
    summaries: targets.map((target) =>
      summariseTarget(
        target,
        measured.filter((run) => run.target === target && !run.repeated),
      ),
    ),
  };
}
