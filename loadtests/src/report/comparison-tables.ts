import type { ComparisonResult, TargetSummary } from './gateway-comparison';
import { relativeFigures } from './gateway-comparison';

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

/**
 * Medians per gateway and the subject/baseline ratio row. Failed requests are summed over measured
 * runs and shown in bold with the rounds they happened in, so a run with errors cannot pass unnoticed.
 */
export function renderSummaryTable(result: ComparisonResult, subjectId: string, baselineId: string): string {
  const subject = result.summaries.find((summary) => summary.target.id === subjectId);
  const baseline = result.summaries.find((summary) => summary.target.id === baselineId);
  if (!subject || !baseline) throw new Error(`comparison has no "${subjectId}" or "${baselineId}" target`);
  const rows = result.summaries.map((summary) => [
    summary.target.label,
    formatNumber(summary.medianRequestsPerSecond, 1),
    formatMs(summary.medianP50Ms),
    formatMs(summary.medianP99Ms),
    formatFailures(summary),
  ]);
  const relative = relativeFigures(subject, baseline);
  rows.push([
    `${subject.target.label} / ${baseline.target.label}`,
    formatRatio(relative.throughput),
    formatRatio(relative.p50),
    formatRatio(relative.p99),
    '',
  ]);
  return table(
    ['gateway', 'requests/s (median)', 'p50 ms (median)', 'p99 ms (median)', 'failed requests'],
    [false, true, true, true, false],
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
