import type { LoadRunResult } from '../load/load-run';
import { renderRunsTable, renderSummaryTable, type RatioRow } from '../report/comparison-tables';
import {
  compareGateways,
  relativeFigures,
  type ComparisonResult,
  type GatewayTarget,
  type RunConditions,
  type ScheduledRun,
  type Workload,
} from '../report/gateway-comparison';
import { formatMachine } from '../report/machine';
import { renderUsageTable } from '../report/process-usage';
import { ratio } from '../report/statistics';
import type { BenchContext, ScenarioOutcome, SharedStackContext } from './scenario';

/** What a scenario measuring one workload against one or more gateways says about itself in its section. */
export interface GatewayComparisonSpec {
  id: string;
  title: string;
  /** Measured in this order, alternating round by round. */
  targets: GatewayTarget[];
  /** Subject ÷ baseline rows of the summary, the first one also the headline's. */
  ratios: RatioRow[];
  /** Method bullets about the workload (operation, variables, checks before measuring), Markdown without the dash. */
  workloadMethod: string[];
  /** What a response needs besides HTTP 200, valid JSON and no `errors`, e.g. "a non-null `data.citizen`". */
  successCondition: string;
  /** Markdown appended after “Reproduce”, e.g. the measured operation. */
  appendix?: string;
  /** What one request is, in tables and the headline (default `request`; e.g. `record`). */
  unit?: string;
  /** Method bullet replacing the default one on load and alternation (e.g. for replicas). */
  loadMethod?: string;
}

function progressLine(run: ScheduledRun, result: LoadRunResult, conditions: RunConditions, rounds: number): string {
  const latency = result.latencyMs
    ? `p50 ${result.latencyMs.p50.toFixed(1)} ms  p99 ${result.latencyMs.p99.toFixed(1)} ms`
    : 'no responses';
  const where = run.phase === 'warm-up' ? 'warm-up   ' : `round ${run.round}/${rounds}`;
  const failed = result.failedRequests > 0 ? `  ${result.failedRequests} FAILED` : '  0 failed';
  const other = conditions.otherCpu === undefined ? '' : `  other CPU ${Math.round(conditions.otherCpu * 100)}%`;
  const waited = (conditions.waitedSeconds ?? 0) > 2 ? ` (after waiting ${Math.round(conditions.waitedSeconds!)} s for quiet)` : '';
  const repeated = conditions.repeated ? ' — disturbed, running it again' : '';
  return `  ${run.target.id.padEnd(10)} ${where}  ${result.requestsPerSecond.toFixed(1).padStart(7)} req/s  ${latency}  ${result.responses} responses${failed}${other}${waited}${repeated}`;
}

function headline(comparison: ComparisonResult, spec: GatewayComparisonSpec, context: BenchContext): string {
  const times = (value: number | null) => (value === null ? 'n/a' : `**${value.toFixed(2)}×**`);
  const { rounds, durationSeconds } = comparison.settings;
  const unit = spec.unit ?? 'request';
  const summaryOf = (id: string) => comparison.summaries.find((summary) => summary.target.id === id)!;
  const lines = spec.ratios.map(({ subject, baseline }) => {
    const [a, b] = [summaryOf(subject), summaryOf(baseline)];
    const relative = relativeFigures(a, b);
    const cpu = a.medianCpuMsPerRequest === null || b.medianCpuMsPerRequest === null ? null : ratio(a.medianCpuMsPerRequest, b.medianCpuMsPerRequest);
    return (
      `- ${a.target.label}: ${times(relative.throughput)} the throughput of the ${b.target.label}, ${times(relative.p50)} its median ` +
      `latency, ${times(relative.p99)} its p99 latency and ${times(cpu)} its CPU per ${unit}.`
    );
  });
  if (lines.length > 0) {
    lines.push(
      '',
      `Medians of ${rounds} alternating ${durationSeconds}-second runs per target; throughput above 1× and latency or CPU below 1× ` +
        'favour the first.',
    );
  } else {
    const [only] = comparison.summaries;
    lines.push(
      `${only!.target.label}: **${only!.medianRequestsPerSecond.toFixed(1)} ${unit}s/s**, p50 ${only!.medianP50Ms?.toFixed(1) ?? 'n/a'} ms, ` +
        `p99 ${only!.medianP99Ms?.toFixed(1) ?? 'n/a'} ms, ${only!.medianCpuMsPerRequest?.toFixed(2) ?? 'n/a'} ms CPU per ${unit} over all ` +
        `processes (medians of ${rounds} ${durationSeconds}-second runs).`,
    );
  }
  // Every measured run counts here, repeated ones included: a failure is never hidden by a repeat.
  const failedRuns = comparison.runs.filter((run) => run.result.failedRequests > 0);
  if (failedRuns.length > 0) {
    const described = failedRuns.map(
      (run) => `${run.target.label} round ${run.round}${run.repeated ? ' (repeated)' : ''}: ${run.result.failedRequests}`,
    );
    lines.push('', `> **Runs with failed requests:** ${described.join('; ')}. See “Failures” below.`);
  }
  const counted = comparison.runs.filter((run) => !run.repeated);
  const disturbed = counted.filter((run) => (run.otherCpu ?? 0) > context.monitor.quietShare);
  if (disturbed.length > 0) {
    const worst = Math.max(...disturbed.map((run) => run.otherCpu ?? 0));
    lines.push(
      '',
      `> **Other work shared the machine** during ${disturbed.length} of the ${counted.length} runs in the medians ` +
        `(up to ${Math.round(worst * 100)}% of its CPU went to processes outside the bench and PostgreSQL; see ` +
        '“other CPU” below) even after repeating disturbed runs. Those runs are slower than the gateways are; ' +
        'compare only runs with low “other CPU”.',
    );
  }
  return lines.join('\n');
}

function failuresSection(comparison: ComparisonResult): string | undefined {
  const parts: string[] = [];
  for (const target of comparison.summaries.map((summary) => summary.target)) {
    const runs = comparison.runs.filter((run) => run.target === target && run.result.failedRequests > 0).map((run) => run.result);
    if (runs.length === 0) continue;
    const totals = new Map<string, number>();
    for (const run of runs) {
      for (const [kind, count] of Object.entries(run.failures)) totals.set(kind, (totals.get(kind) ?? 0) + count);
    }
    const breakdown = [...totals]
      .filter(([, count]) => count > 0)
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ');
    const samples = [...new Set(runs.flatMap((run) => run.failureSamples))].slice(0, 3);
    parts.push(`**${target.label}** — ${breakdown}. First failing responses:`, '', '```', ...samples, '```', '');
    const logged = target.errorLines?.() ?? [];
    if (logged.length > 0) parts.push('Latest errors its processes logged:', '', '```', ...logged, '```', '');
  }
  return parts.length ? ['### Failures', '', ...parts].join('\n') : undefined;
}

function renderSection(spec: GatewayComparisonSpec, comparison: ComparisonResult, context: BenchContext & { stackDescription: string }, startedAt: Date): string {
  const { options } = context;
  const settings = comparison.settings;
  const failures = failuresSection(comparison);
  return [
    `## ${spec.title}`,
    '',
    `_Measured ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC on ${formatMachine(context.machine)}._`,
    '',
    headline(comparison, spec, context),
    '',
    renderSummaryTable(comparison, spec.ratios, spec.unit),
    '',
    '### CPU and memory per process',
    '',
    usageTable(comparison, spec.unit),
    '',
    '### Stack',
    '',
    context.stackDescription,
    '',
    '### Method',
    '',
    ...spec.workloadMethod.map((bullet) => `- ${bullet}`),
    `- **Load**: autocannon, closed loop, ${settings.connections} connections, in a separate process forked for each run ` +
      `(so the client shares no event loop with any server). ${
        settings.warmupSeconds > 0 ? `One unmeasured ${settings.warmupSeconds}-second warm-up per target, then ` : ''
      }${settings.rounds} measured rounds of ${settings.durationSeconds} s, ${
        spec.targets.length > 1 ? `alternating ${spec.targets.map((target) => target.id).join(', ')}, … so drift spreads over all` : 'one after another'
      }. Access tokens are fetched again before every run (realm tokens live five minutes).${spec.loadMethod ? ` ${spec.loadMethod}` : ''}`,
    '- **CPU and memory**: before and after every measured run the bench reads utime + stime from /proc/<pid>/stat of every ' +
      'process serving the target measured (the gateway and each subgraph, the identity provider and event broker where the ' +
      `stack has them) and of every \`postgres\` process (backends that exited are counted through the postmaster); CPU per ${spec.unit ?? 'request'} = ` +
      'their CPU during the run ÷ completed responses. Resident memory (VmRSS) of each process is sampled every 0.5 s; the peak ' +
      'is shown. The load generator is not counted. PostgreSQL serves other users of the machine too: its share includes them.',
    `- **Shared machine**: before every run the bench sends nothing for at least a second and waits (up to ` +
      `${options.quietWaitSeconds} s) until processes other than its own and PostgreSQL use under ` +
      `${Math.round(context.monitor.quietShare * 100)}% of the CPU; “other CPU” below is what they (and VM steal) used during ` +
      `each run, read from /proc. A measured run they disturbed beyond that share is run again (at most ` +
      `${settings.repeatsForDisturbedRuns} repeats per comparison); the disturbed run stays listed but is left out of the medians.`,
    `- **Failure**: any response that is not HTTP 200, is not JSON, carries \`errors\` (partial results included) or lacks ` +
      `${spec.successCondition}; plus connection errors and timeouts (${settings.timeoutSeconds} s). Failures are counted, never dropped.`,
    '- **Figures**: requests/s = completed responses ÷ elapsed time of the run; p50/p99 = nearest-rank percentiles over every ' +
      'response of the run (sub-millisecond timer); the summary shows the median over the measured runs and the ratios.',
    '- **Caveat**: PostgreSQL, the subgraphs, the gateways and the load generator share this one machine, so absolute ' +
      'figures say little about a production deployment; ratios between gateways alternated under the same conditions, and the ' +
      'CPU split, are the figures to read.',
    '',
    '### All measured runs',
    '',
    renderRunsTable(comparison),
    '',
    ...(failures ? [failures, ''] : []),
    '### Reproduce',
    '',
    '```sh',
    context.reproduce,
    '# only this scenario, keeping the other sections of the file:',
    `npm run bench -- --scenario ${spec.id}`,
    '```',
    ...(spec.appendix ? ['', spec.appendix] : []),
  ].join('\n');
}

/** The CPU split and peak memory of every target over its counted runs. */
function usageTable(comparison: ComparisonResult, unit = 'request'): string {
  return renderUsageTable(
    comparison.summaries.map((summary) => ({ label: summary.target.label, usage: summary.usage, units: summary.responses })),
    unit,
  );
}

/**
 * Measures `workload` against the spec's targets with the bench's settings (warm-up,
 * alternating rounds, repeats of disturbed runs) and renders the scenario's section and console report.
 */
export async function runGatewayComparison(
  context: BenchContext & { stackDescription: string; pauseBetweenTargets?: SharedStackContext['pauseBetweenTargets'] },
  spec: GatewayComparisonSpec,
  workload: Workload,
): Promise<ScenarioOutcome> {
  const startedAt = new Date();
  const { options } = context;
  const settings = {
    rounds: options.rounds,
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.warmupSeconds,
    connections: options.connections,
    timeoutSeconds: options.timeoutSeconds,
    repeatsForDisturbedRuns: options.repeats,
  };
  const comparison = await compareGateways({
    targets: spec.targets,
    settings,
    workload,
    runLoad: context.runLoad,
    onRunFinished: (run, result, conditions) => context.log(progressLine(run, result, conditions, settings.rounds)),
    monitor: context.monitor,
    meter: context.meter,
    pauseBetweenTargets: context.pauseBetweenTargets,
  });

  const failedRequests = comparison.runs.reduce((sum, run) => sum + run.result.failedRequests, 0);
  const failures = failuresSection(comparison);
  return {
    section: { id: spec.id, markdown: renderSection(spec, comparison, context, startedAt) },
    consoleReport: [
      `${spec.title} (medians of ${settings.rounds} runs × ${settings.durationSeconds} s, ${settings.connections} connections)`,
      '',
      renderSummaryTable(comparison, spec.ratios, spec.unit),
      '',
      usageTable(comparison, spec.unit),
      ...(failures ? ['', failures] : []),
    ].join('\n'),
    failedRequests,
  };
}
