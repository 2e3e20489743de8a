import type { ComparisonResult, TargetSummary } from './gateway-comparison';
import { relativeFigures } from './gateway-comparison';
import { ratio } from './statistics';

function formatNumber(value: number, fractionDigits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : formatNumber(value, 1);
}

function formatRatio(value: number | null): string {
  return value === null ? 'n/a' : `${formatNumber(value, 2)}×`;
}

function formatFailures(summary: TargetSummary): string {
  const counted = `${formatNumber(summary.failedRequests, 0)} of ${formatNumber(summary.responses, 0)}`;
  if (summary.failedRequests === 0) return counted;
  const rounds = summary.roundsWithFailures.join(', ');
  return `**${counted} (round${summary.roundsWithFailures.length > 1 ? 's' : ''} ${rounds})**`;
}

function table(header: string[], alignRight: boolean[], rows: string[][]): string {
  const divider = alignRight.map((right) => (right ? '---:' : '---'));
  return [header, divider, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A ratio row of the summary: `subject` ÷ `baseline` (target ids). */
export interface RatioRow {
  subject: string;
  baseline: string;
}

/**
 * Medians per gateway, CPU per request over the processes serving it, and a ratio row per pair.
 * Failed requests are summed over measured runs and shown in bold with the rounds they happened in,
 * so a run with errors cannot pass unnoticed.
 */
export function renderSummaryTable(result: ComparisonResult, ratios: readonly RatioRow[], unit = 'request'): string {
  const find = (id: string) => {
    const summary = result.summaries.find((candidate) => candidate.target.id === id);
    if (!summary) throw new Error(`comparison has no "${id}" target`);
    return summary;
  };
  const rows = result.summaries.map((summary) => [
    summary.target.label,
    formatNumber(summary.medianRequestsPerSecond, 1),
    formatMs(summary.medianP50Ms),
    formatMs(summary.medianP99Ms),
    formatMs(summary.medianCpuMsPerRequest),
    formatFailures(summary),
  ]);
  for (const { subject, baseline } of ratios) {
    const [a, b] = [find(subject), find(baseline)];
    const relative = relativeFigures(a, b);
    const cpu = a.medianCpuMsPerRequest === null || b.medianCpuMsPerRequest === null ? null : ratio(a.medianCpuMsPerRequest, b.medianCpuMsPerRequest);
    rows.push([
      `${a.target.label} / ${b.target.label}`,
      formatRatio(relative.throughput),
      formatRatio(relative.p50),
      formatRatio(relative.p99),
      formatRatio(cpu),
      '',
    ]);
  }
  return table(
    ['target', `${unit}s/s (median)`, 'p50 ms (median)', 'p99 ms (median)', `CPU ms per ${unit}, all processes (median)`, `failed ${unit}s`],
    [false, true, true, true, true, false],
    rows,
  );
}

/**
 * Every measured run in the order it ran, with the CPU other processes used meanwhile; runs that
 * were repeated because of that stay listed, marked, though the summary leaves them out.
 */
export function renderRunsTable(result: ComparisonResult): string {
  const rows = result.runs.map(({ round, target, result: run, otherCpu, repeated }) => [
    repeated ? `${round} (disturbed, repeated)` : String(round),
    target.label,
    formatNumber(run.requestsPerSecond, 1),
    formatMs(run.latencyMs?.p50),
    formatMs(run.latencyMs?.p99),
    formatMs(run.latencyMs?.max),
    formatNumber(run.responses, 0),
    run.failedRequests === 0 ? '0' : `**${formatNumber(run.failedRequests, 0)}**`,
    otherCpu === undefined ? 'n/a' : `${formatNumber(otherCpu * 100, 0)}%`,
  ]);
  return table(
    ['round', 'gateway', 'requests/s', 'p50 ms', 'p99 ms', 'max ms', 'responses', 'failed', 'other CPU'],
    [true, false, true, true, true, true, true, true, true],
    rows,
  );
}
