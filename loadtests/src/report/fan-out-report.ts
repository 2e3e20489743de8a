import type { FanOutTransport } from '../bench-options';
import type { SubmitFailureKind } from '../workload/business-start';
import type { FanOutFigures, Percentiles } from './fan-out-timings';
import { formatMachine, type MachineInfo } from './machine';
import { cpuMsPer, renderUsageTable, type ResourceUsage, type UsageColumn } from './process-usage';

export const TRANSPORT_LABELS: Record<FanOutTransport, string> = {
  embedded: 'embedded broker',
  kafka: 'Kafka (librdkafka mock cluster)',
};

/** The client side of one transport's submit window. */
export interface SubmitFigures {
  /** Answers received, accepted or not. */
  responses: number;
  /** Answers that were not an accepted application, timeouts and connection errors. */
  failed: number;
  failures: Partial<Record<SubmitFailureKind, number>>;
  /** Up to three distinct failing answers. */
  failureSamples: string[];
  elapsedMs: number;
  /** Submit round trip, over every answer. */
  responseMs: Percentiles | null;
}

export interface TransportMeasurement {
  transport: FanOutTransport;
  ok: true;
  submits: SubmitFigures;
  figures: FanOutFigures;
  /** From the end of the submit window until every application had a final status, or the wait ran out. */
  drainMs: number;
  /** Other processes' CPU share from the first submit to the end of the wait (undefined without /proc). */
  otherCpu: number | undefined;
  /** Messages on the read topics that were not the expected events. */
  unreadableMessages: number;
  /** What every stack process and PostgreSQL used from the first submit to the end of the wait. */
  usage?: ResourceUsage;
  /** The open-loop run at a fixed arrival rate, below saturation, when one ran. */
  openLoop?: OpenLoopMeasurement;
  /** Applications filed one at a time, each once the previous one had finished, when that ran. */
  oneAtATime?: { submits: SubmitFigures; figures: FanOutFigures };
}

/** Applications submitted at a fixed rate whatever the answers (open loop): latency under load, not queueing. */
export interface OpenLoopMeasurement {
  /** Applications per second the submits were scheduled at. */
  ratePerSecond: number;
  submits: SubmitFigures;
  figures: FanOutFigures;
  drainMs: number;
  otherCpu: number | undefined;
  usage?: ResourceUsage;
}

export interface TransportFailure {
  transport: FanOutTransport;
  ok: false;
  /** Why it could not be measured (the stack did not start, the check application did not complete…). */
  error: string;
}

export type TransportResult = TransportMeasurement | TransportFailure;

export interface FanOutReportInput {
  results: readonly TransportResult[];
  machine: MachineInfo;
  startedAt: Date;
  settings: {
    citizens: number;
    seed: number;
    logLevel: string;
    durationSeconds: number;
    connections: number;
    /** Cap on submits per transport, if any. */
    maxApplications: number | undefined;
    waitSeconds: number;
    timeoutSeconds: number;
    checkApplications: number;
    /** Applications/s of the open-loop run; undefined or 0 when it did not run. */
    openLoopRate?: number;
    /** Applications filed one at a time; undefined or 0 when that did not run. */
    oneAtATime?: number;
    quietShare: number;
    quietWaitSeconds: number;
  };
  reproduce: string;
  scenarioId: string;
}

function formatNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits });
}

function ms(value: number | undefined): string {
  return value === undefined ? 'n/a' : formatNumber(value);
}

function table(header: string[], alignRight: boolean[], rows: string[][]): string {
  const divider = alignRight.map((right) => (right ? '---:' : '---'));
  return [header, divider, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function submitsPerSecond(submits: SubmitFigures): number {
  return submits.elapsedMs > 0 ? submits.responses / (submits.elapsedMs / 1000) : 0;
}

function failedSubmitsCell(submits: SubmitFigures): string {
  const counted = `${formatNumber(submits.failed)} of ${formatNumber(submits.responses)}`;
  return submits.failed === 0 ? counted : `**${counted}**`;
}

/** Why applications did not complete: “2 still open, 1 REJECTED”. */
export function notCompletedReasons(figures: FanOutFigures): string {
  return [
    ...(figures.stillOpen > 0 ? [`${formatNumber(figures.stillOpen)} still open`] : []),
    ...Object.entries(figures.endedOtherwise).map(([status, count]) => `${formatNumber(count)} ${status}`),
  ].join(', ');
}

/** “0”, or in bold how many did not complete and why. */
export function notCompletedCell(figures: FanOutFigures): string {
  if (figures.notCompleted === 0) return '0';
  return `**${formatNumber(figures.notCompleted)}** (${notCompletedReasons(figures)})`;
}

/** CPU ms (all processes) per completed application, or n/a. */
function cpuPerCompletedCell(usage: ResourceUsage | undefined, figures: FanOutFigures): string {
  const perApplication = usage ? cpuMsPer(usage, figures.completed?.count ?? 0) : null;
  return perApplication === null ? 'n/a' : formatNumber(perApplication, 1);
}

/** One row per transport: submit rate, p50/p99 to all tasks assigned and to COMPLETED, CPU, what did not complete. */
export function renderFanOutTable(results: readonly TransportResult[]): string {
  const rows = results.map((result) => {
    const label = TRANSPORT_LABELS[result.transport];
    if (!result.ok) return [label, '**not measured**', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'];
    const { submits, figures } = result;
    return [
      label,
      formatNumber(submitsPerSecond(submits), 1),
      figures.completedPerSecond === null ? 'n/a' : formatNumber(figures.completedPerSecond, 1),
      failedSubmitsCell(submits),
      ms(figures.allAssigned?.p50),
      ms(figures.allAssigned?.p99),
      ms(figures.completed?.p50),
      ms(figures.completed?.p99),
      cpuPerCompletedCell(result.usage, figures),
      formatNumber(figures.applications),
      notCompletedCell(figures),
    ];
  });
  return table(
    [
      'transport',
      'submits/s',
      'completed/s',
      'failed submits',
      'all assigned p50 ms',
      'all assigned p99 ms',
      'completed p50 ms',
      'completed p99 ms',
      'CPU ms per completed application',
      'applications',
      'not completed',
    ],
    [false, true, true, true, true, true, true, true, true, true, false],
    rows,
  );
}

/** A column of a per-transport table: header, right-aligned or not, and the cell of one run. */
type Column<Run> = [header: string, alignRight: boolean, cell: (run: Run) => string];

/** One row per transport that has the run `pick` chooses; undefined when none has it. */
function runTable<Run>(results: readonly TransportResult[], pick: (result: TransportMeasurement) => Run | undefined, columns: Column<Run>[]): string | undefined {
  const rows = results.flatMap((result) => {
    const run = result.ok ? pick(result) : undefined;
    return run === undefined ? [] : [[TRANSPORT_LABELS[result.transport], ...columns.map(([, , cell]) => cell(run))]];
  });
  if (rows.length === 0) return undefined;
  return table(['transport', ...columns.map(([header]) => header)], [false, ...columns.map(([, right]) => right)], rows);
}

type TimedRun = { submits: SubmitFigures; figures: FanOutFigures };

/** Latency columns every extra run shows: to the released tasks assigned and to COMPLETED. */
const LATENCY_COLUMNS: Column<TimedRun>[] = [
  ['released tasks assigned p50 ms', true, (run) => ms(run.figures.releasedAssigned?.p50)],
  ['released tasks assigned p99 ms', true, (run) => ms(run.figures.releasedAssigned?.p99)],
  ['completed p50 ms', true, (run) => ms(run.figures.completed?.p50)],
  ['completed p99 ms', true, (run) => ms(run.figures.completed?.p99)],
];

/** The open-loop runs: scheduled rate, what was submitted and completed, latency under that load, CPU. */
export function renderOpenLoopTable(results: readonly TransportResult[]): string | undefined {
  return runTable<OpenLoopMeasurement>(results, (result) => result.openLoop, [
    ['scheduled/s', true, (run) => formatNumber(run.ratePerSecond, 1)],
    ['submits/s', true, (run) => formatNumber(submitsPerSecond(run.submits), 1)],
    ['completed/s', true, (run) => (run.figures.completedPerSecond === null ? 'n/a' : formatNumber(run.figures.completedPerSecond, 1))],
    ['failed submits', true, (run) => failedSubmitsCell(run.submits)],
    ['submit answer p99 ms', true, (run) => ms(run.submits.responseMs?.p99)],
    ...LATENCY_COLUMNS,
    ['CPU ms per completed application', true, (run) => cpuPerCompletedCell(run.usage, run.figures)],
    ['not completed', false, (run) => notCompletedCell(run.figures)],
  ]);
}

/** One application at a time: p50/p99 to its released tasks assigned and to COMPLETED. */
export function renderOneAtATimeTable(results: readonly TransportResult[]): string | undefined {
  return runTable<TimedRun>(results, (result) => result.oneAtATime, [
    ['applications', true, (run) => formatNumber(run.figures.applications)],
    ['failed submits', true, (run) => failedSubmitsCell(run.submits)],
    ['submit answer p50 ms', true, (run) => ms(run.submits.responseMs?.p50)],
    ['submit answer p99 ms', true, (run) => ms(run.submits.responseMs?.p99)],
    ...LATENCY_COLUMNS,
    ['not completed', false, (run) => notCompletedCell(run.figures)],
  ]);
}

/** CPU per completed application by process, a column per transport and run (saturated, open loop). */
export function renderFanOutUsage(results: readonly TransportResult[]): string | undefined {
  const columns: UsageColumn[] = [];
  for (const result of results) {
    if (!result.ok) continue;
    const label = TRANSPORT_LABELS[result.transport];
    if (result.usage) columns.push({ label: `${label}, saturated`, usage: result.usage, units: result.figures.completed?.count ?? 0 });
    if (result.openLoop?.usage) {
      columns.push({ label: `${label}, open loop`, usage: result.openLoop.usage, units: result.openLoop.figures.completed?.count ?? 0 });
    }
  }
  return columns.length > 0 ? renderUsageTable(columns, 'completed application') : undefined;
}

/** Below this share of the submit rate, the fan-out did not keep up and applications queued. */
const KEPT_UP_SHARE = 0.9;

/** The figures behind the summary: submit round trips, maxima, the wait, other CPU. */
export function renderFanOutDetails(results: readonly TransportResult[]): string {
  const measured = results.filter((result): result is TransportMeasurement => result.ok);
  const rows = measured.map(({ transport, submits, figures, drainMs, otherCpu }) => [
    TRANSPORT_LABELS[transport],
    formatNumber(submits.elapsedMs / 1000, 1),
    ms(submits.responseMs?.p50),
    ms(submits.responseMs?.p99),
    ms(figures.allAssigned?.max),
    ms(figures.completed?.max),
    formatNumber(figures.assignmentsMissing),
    formatNumber(drainMs / 1000, 1),
    otherCpu === undefined ? 'n/a' : `${formatNumber(otherCpu * 100)}%`,
  ]);
  return table(
    [
      'transport',
      'submit window s',
      'submit answer p50 ms',
      'submit answer p99 ms',
      'all assigned max ms',
      'completed max ms',
      'applications missing an assignment',
      'wait after window s',
      'other CPU',
    ],
    [false, true, true, true, true, true, true, true, true],
    rows,
  );
}

function headline(results: readonly TransportResult[], quietShare: number): string {
  const lines: string[] = [];
  for (const result of results) {
    const label = TRANSPORT_LABELS[result.transport];
    if (!result.ok) {
      lines.push(`> **${label}: not measured.** ${result.error.split('\n')[0]} (details under “Failures”).`);
      continue;
    }
    const { figures, submits } = result;
    const submitted = submitsPerSecond(submits);
    if (figures.completedPerSecond !== null && figures.completedPerSecond < KEPT_UP_SHARE * submitted) {
      lines.push(
        `> ${label}: submits (${formatNumber(submitted, 1)}/s) outpaced the fan-out (${formatNumber(figures.completedPerSecond, 1)} ` +
          'applications/s completed), so applications queued behind earlier ones: the times include that wait and grow ' +
          'with the submit window. completed/s is what the participants got through.',
      );
    }
    if (figures.notCompleted > 0) {
      lines.push(
        `> **${label}: ${formatNumber(figures.notCompleted)} of ${formatNumber(figures.applications)} applications did not complete** ` +
          `(${notCompletedReasons(figures)}); their times are not in the percentiles.`,
      );
    }
    if (submits.failed > 0) {
      lines.push(`> **${label}: ${formatNumber(submits.failed)} submits failed**; see “Failures”.`);
    }
    if (result.otherCpu !== undefined && result.otherCpu > quietShare) {
      lines.push(
        `> **${label}: other work shared the machine**: processes outside the bench and PostgreSQL used ` +
          `${Math.round(result.otherCpu * 100)}% of its CPU during the run (quiet is under ${Math.round(quietShare * 100)}%), ` +
          'so its figures are slower than the stack is.',
      );
    }
    for (const [name, run] of [['open loop', result.openLoop], ['one at a time', result.oneAtATime]] as const) {
      if (!run) continue;
      if (run.figures.notCompleted > 0) {
        lines.push(
          `> **${label}, ${name}: ${formatNumber(run.figures.notCompleted)} of ${formatNumber(run.figures.applications)} applications ` +
            `did not complete** (${notCompletedReasons(run.figures)}).`,
        );
      }
      if (run.submits.failed > 0) lines.push(`> **${label}, ${name}: ${formatNumber(run.submits.failed)} submits failed**; see “Failures”.`);
    }
    const openLoopOtherCpu = result.openLoop?.otherCpu;
    if (openLoopOtherCpu !== undefined && openLoopOtherCpu > quietShare) {
      lines.push(
        `> **${label}, open loop: other work shared the machine** (${Math.round(openLoopOtherCpu * 100)}% of its CPU), so its ` +
          'figures are slower than the stack is.',
      );
    }
    if (result.unreadableMessages > 0) {
      lines.push(`> ${label}: ${formatNumber(result.unreadableMessages)} messages on the read topics were not valid events and were ignored.`);
    }
  }
  return lines.join('\n>\n');
}

function failuresSection(results: readonly TransportResult[]): string | undefined {
  const parts: string[] = [];
  for (const result of results) {
    const label = TRANSPORT_LABELS[result.transport];
    if (!result.ok) {
      parts.push(`**${label}** — not measured:`, '', '```', result.error, '```', '');
    } else {
      const runs = [
        ['saturated', result.submits],
        ['open loop', result.openLoop?.submits],
        ['one at a time', result.oneAtATime?.submits],
      ] as const;
      for (const [name, submits] of runs) {
        if (!submits || submits.failed === 0) continue;
        const breakdown = Object.entries(submits.failures)
          .map(([kind, count]) => `${kind} ${count}`)
          .join(', ');
        parts.push(`**${label}, ${name}** — failed submits: ${breakdown}. First failing answers:`, '', '```', ...submits.failureSamples, '```', '');
      }
    }
  }
  return parts.length > 0 ? ['### Failures', '', ...parts].join('\n').trimEnd() : undefined;
}

/** The fan-out scenario's block of docs/benchmarks.md. */
export function renderFanOutSection(input: FanOutReportInput): string {
  const { settings } = input;
  const notes = headline(input.results, settings.quietShare);
  const failures = failuresSection(input.results);
  const openLoop = renderOpenLoopTable(input.results);
  const oneAtATime = renderOneAtATimeTable(input.results);
  const usage = renderFanOutUsage(input.results);
  const transports = input.results.map((result) => TRANSPORT_LABELS[result.transport]).join(' and ');
  const onlyThisScenario = `npm run bench -- --scenario ${input.scenarioId}`;
  const window =
    settings.maxApplications === undefined
      ? `${settings.durationSeconds} s`
      : `${settings.durationSeconds} s or ${formatNumber(settings.maxApplications)} applications, whichever came first,`;
  return [
    '## Application fan-out: submit to all tasks assigned and to COMPLETED',
    '',
    `_Measured ${input.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC on ${formatMachine(input.machine)}._`,
    '',
    `\`BUSINESS_START\` applications submitted through the Simpul gateway for ${window} at ` +
      `${settings.connections} submits in flight, on the ${transports}; every participant decides automatically.`,
    ...(notes ? ['', notes] : []),
    '',
    renderFanOutTable(input.results),
    '',
    ...(openLoop
      ? [`### Open loop at ${formatNumber(settings.openLoopRate ?? 0, 1)} applications/s (below saturation)`, '', openLoop, '']
      : []),
    ...(oneAtATime ? ['### One application at a time', '', oneAtATime, ''] : []),
    ...(usage ? ['### CPU and memory per process', '', usage, ''] : []),
    '### Stack',
    '',
    `- One fresh stack per transport, started by \`startStack\` (@simpul/testing) and stopped before the next: every ` +
      'subgraph service and the Simpul gateway as its own Node process, as in production; engine `postgres` (a fresh ' +
      `database per service on the machine's PostgreSQL), seeded with the synthetic world of ` +
      `${formatNumber(settings.citizens)} citizens, seed ${settings.seed}; log level \`${settings.logLevel}\`.`,
    '- Participants, all automatic: **licensing** (issues the NIB), **tax** (registers the business NPWP), the example ' +
      "participant **examples/pln** (connects electricity; consumes its task topic and publishes its status) and the " +
      'example participant **examples/bank-bpd** (opens the account; receives its task as a signed webhook from the ' +
      'applications service and reports back through the gateway), each its own process.',
    '- **Embedded broker**: the `@simpul/events` broker process (`EVENTS_URL`), as `npm start` runs it. ' +
      "**Kafka**: librdkafka's mock cluster (3 brokers) hosted by `kcat` (`startKafkaMockCluster`), the services on " +
      '`KAFKA_BROKERS` through kafkajs. The mock is an in-memory stand-in: it shows the Kafka transport’s client-side cost, ' +
      'not a real cluster’s disks, replication or network.',
    '',
    '### Method',
    '',
    '- **Workload**: `BUSINESS_START` — licensing issues the NIB, then tax, bank-bpd and PLN act in parallel (4 tasks). ' +
      'Applicants are the world’s citizens aged 21 to under 60, in a seeded shuffled order (repeating once all have ' +
      'applied); every application names another business at another address (`UD Uji Beban <n>`, `Ruko UD Uji Beban ' +
      'No. <n>`), since licensing and the bank refuse a second business of the same name for one owner and PLN an ' +
      'address already connected for someone else.',
    `- **Submits**: the gateway's \`submitApplication\` mutation, closed loop: ${settings.connections} submitters each send ` +
      `the next one as soon as theirs is answered, for ${window} (the runner's own process; it does ` +
      `nothing else meanwhile). Timeout ${settings.timeoutSeconds} s. A submit fails unless the answer is HTTP 200, JSON, ` +
      'without `errors`, with the application’s id and tasks; failed submits are counted, never dropped.',
    ...(settings.openLoopRate
      ? [
          `- **Open loop**: after the saturated run and its wait, on the same stack, applications are submitted at a fixed ` +
            `${formatNumber(settings.openLoopRate, 1)} per second for ${settings.durationSeconds} s whatever the answers (submit *n* ` +
            'starts at *n* ÷ rate seconds), then the bench waits for them as above: latency under a load the stack can carry, ' +
            'rather than the queueing a saturated closed loop builds up. **Released tasks assigned**: submit → the first ' +
            'assignment of the last of the tasks whose dependencies were met at submit (not PENDING in the submit answer).',
        ]
      : []),
    ...(settings.oneAtATime
      ? [
          `- **One at a time**: first, on the quiet stack, ${formatNumber(settings.oneAtATime)} applications, each submitted once ` +
            'the previous one had a final status (the status topic read every 0.2 s), timed as above.',
        ]
      : []),
    '- **CPU and memory**: utime + stime of every process of the stack (gateway, subgraphs, identity provider, broker, ' +
      'participants) and of every `postgres` process, read from /proc from the first submit to the end of the wait, ÷ the ' +
      'applications that completed; peak VmRSS sampled every 0.5 s. The bench reading the topics counts towards the broker.',
    `- **Check before measuring**: ${settings.checkApplications} applications (also a warm-up) must reach COMPLETED ` +
      `within ${settings.waitSeconds} s, otherwise the transport is reported as not measured, with the state of their tasks.`,
    '- **Timings** come from the topics after the run, not from polling the gateway (which would load the system under ' +
      'test): submit start (client clock) → the broker timestamp of the first assignment of the application’s last task ' +
      'on `mpp.task.assigned.<participant>.v1` (**all assigned**: every task id from the submit answer seen assigned), and ' +
      '→ the first `mpp.application.status.v1` event with status COMPLETED (**completed**). Broker timestamps: the ' +
      'embedded broker’s append time; on Kafka the record timestamp kafkajs sets when the outbox relay publishes. Client ' +
      'and brokers share this machine’s clock.',
    `- **Waiting**: after the submit window the bench reads \`mpp.application.status.v1\` every few seconds until every ` +
      `accepted application has a final status, at most ${settings.waitSeconds} s. Applications still open then, or ended ` +
      'REJECTED / PARTIALLY_REJECTED, are counted under “not completed”, not hidden.',
    '- **Figures**: submits/s = answers (accepted or failed) ÷ the submit window (first submit to last answer); ' +
      'completed/s = completed applications ÷ the time from the first submit to the last COMPLETED (what the whole ' +
      'fan-out got through); p50/p99 = nearest-rank percentiles, all assigned over the applications whose tasks were ' +
      'all seen assigned, completed over the completed ones. When submits outpace completions, the times include the ' +
      'wait behind earlier applications: they describe this load, not an idle system.',
    `- **Shared machine**: before each transport’s submit window the bench waits (up to ${settings.quietWaitSeconds} s) ` +
      `until processes other than its own and PostgreSQL use under ${Math.round(settings.quietShare * 100)}% of the CPU; ` +
      '“other CPU” below is what they used from the first submit to the end of the wait.',
    '- **Caveat**: PostgreSQL, every service, the broker, the participants and the client share this one machine, so the ' +
      `absolute figures say little about a production deployment${
        input.results.length > 1 ? '; the transports ran under the same settings, one after the other' : ''
      }.`,
    '',
    '### Details',
    '',
    renderFanOutDetails(input.results),
    '',
    ...(failures ? [failures, ''] : []),
    '### Reproduce',
    '',
    '```sh',
    input.reproduce,
    ...(input.reproduce === onlyThisScenario
      ? []
      : ['# only this scenario, keeping the other sections of the file:', onlyThisScenario]),
    '```',
  ].join('\n');
}
