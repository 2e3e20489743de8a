import { parseArgs } from 'node:util';

export interface BenchOptions {
  citizens: number;
  /** Undefined: the synthetic world's default seed. */
  seed: number | undefined;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number;
  timeoutSeconds: number;
  /** Longest wait, before each run, for other processes to leave the machine quiet. */
  quietWaitSeconds: number;
  /** Extra runs per scenario for repeating measured runs that other processes disturbed. */
  repeats: number;
  /** Scenario ids to run; empty runs them all. */
  scenarios: string[];
  /** Markdown file the results are merged into. */
  output: string;
  /** Extra environment for the Simpul gateway (startStack's gatewayEnv). */
  gatewayEnv: Record<string, string>;
  logLevel: string;
  /** The fan-out scenario: seconds of submitting applications per transport. */
  fanOutDurationSeconds: number;
  /** The fan-out scenario: submits in flight at once (closed loop). */
  fanOutConnections: number;
  /** The fan-out scenario: most applications submitted per transport; undefined: as many as the duration allows. */
  fanOutApplications: number | undefined;
  /** The fan-out scenario: longest wait after the submit window for the applications to complete. */
  fanOutWaitSeconds: number;
  /** The fan-out scenario: event transports to measure, in order. */
  fanOutTransports: FanOutTransport[];
  /** The fan-out scenario: applications per second of the open-loop run (fixed arrivals); 0 skips it. */
  fanOutRate: number;
  /** The fan-out scenario: applications filed one at a time, each after the previous completed; 0 skips it. */
  fanOutOneAtATime: number;
  /** The audit-append scenario: appends in flight at once. */
  auditConnections: number;
  help: boolean;
}

export const FAN_OUT_TRANSPORTS = ['embedded', 'kafka'] as const;
export type FanOutTransport = (typeof FAN_OUT_TRANSPORTS)[number];

export const BENCH_DEFAULTS = {
  citizens: 2000,
  durationSeconds: 15,
  warmupSeconds: 10,
  rounds: 3,
  connections: 20,
  timeoutSeconds: 10,
  quietWaitSeconds: 10,
  repeats: 2,
  logLevel: 'warn',
  fanOutDurationSeconds: 15,
  fanOutConnections: 2,
  fanOutWaitSeconds: 180,
  fanOutRate: 20,
  fanOutOneAtATime: 20,
  auditConnections: 32,
} as const;

export const BENCH_USAGE = `Usage: npm run bench -- [options]

Gateway scenarios (unified-citizen, verify-citizen) share two stacks on Postgres (one with security
off, one with everything on as \`npm start\` runs it) and three gateways: stock Apollo and Simpul
over the first, Simpul over the second. The fan-out scenario starts its own stack per event
transport, audit-append its own secured stack. Prints the figures and merges them into
docs/benchmarks.md. Every scenario reports CPU per request and per process, and peak memory.

  --scenario <id>        run only this scenario (repeatable; default: all but startup, which
                         clones the repository and times a first and a warm \`npm start\`)
  --citizens <n>         synthetic world size                       (default ${BENCH_DEFAULTS.citizens})
  --seed <n>             synthetic world seed                       (default: the world's default)
  --duration <s>         seconds per measured run                   (default ${BENCH_DEFAULTS.durationSeconds})
  --warmup <s>           unmeasured warm-up per gateway, 0 to skip  (default ${BENCH_DEFAULTS.warmupSeconds})
  --rounds <n>           measured runs per gateway, alternating     (default ${BENCH_DEFAULTS.rounds})
  --connections <n>      concurrent connections                     (default ${BENCH_DEFAULTS.connections})
  --timeout <s>          per-request timeout                        (default ${BENCH_DEFAULTS.timeoutSeconds})
  --quiet-wait <s>       longest wait before a run for other processes to quieten (default ${BENCH_DEFAULTS.quietWaitSeconds})
  --repeats <n>          extra runs per scenario to repeat runs other processes disturbed (default ${BENCH_DEFAULTS.repeats})
  --gateway-env K=V      environment for the Simpul gateway (repeatable), e.g. SUBGRAPH_TIMEOUT_MS=2000
  --log-level <level>    log level of the stack's services          (default ${BENCH_DEFAULTS.logLevel})
  --output <file>        Markdown file to merge results into        (default docs/benchmarks.md)
  --help                 show this help

Scenario fan-out (starts its own stack per transport; --timeout applies to each submit):
  --fan-out-duration <s>     seconds of submitting applications per transport (default ${BENCH_DEFAULTS.fanOutDurationSeconds})
  --fan-out-connections <n>  submits in flight at once                      (default ${BENCH_DEFAULTS.fanOutConnections})
  --fan-out-applications <n> stop submitting after n applications           (default: only the duration limits)
  --fan-out-wait <s>         longest wait afterwards for them to complete   (default ${BENCH_DEFAULTS.fanOutWaitSeconds})
  --fan-out-transport <t>    ${FAN_OUT_TRANSPORTS.join(' or ')} (repeatable; default: both)
  --fan-out-rate <n>         applications/s of the open-loop run, 0 skips it  (default ${BENCH_DEFAULTS.fanOutRate})
  --fan-out-one-at-a-time <n> applications filed one at a time, 0 skips    (default ${BENCH_DEFAULTS.fanOutOneAtATime})

Scenario audit-append (its own secured stack, and a second audit service on the same database):
  --audit-connections <n>    appends in flight at once                      (default ${BENCH_DEFAULTS.auditConnections})
`;

function positiveInteger(name: string, raw: string | undefined, fallback: number, allowZero = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} whole number, got "${raw}"`);
  }
  return value;
}

function environmentAssignments(pairs: readonly string[]): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`--gateway-env expects NAME=value, got "${pair}"`);
    environment[match[1]!] = match[2]!;
  }
  return environment;
}

function fanOutTransports(entries: readonly string[]): FanOutTransport[] {
  const named = entries.flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter(Boolean);
  if (named.length === 0) return [...FAN_OUT_TRANSPORTS];
  const transports: FanOutTransport[] = [];
  for (const name of named) {
    const transport = FAN_OUT_TRANSPORTS.find((candidate) => candidate === name);
    if (!transport) throw new Error(`--fan-out-transport must be ${FAN_OUT_TRANSPORTS.join(' or ')}, got "${name}"`);
    if (!transports.includes(transport)) transports.push(transport);
  }
  return transports;
}

export function parseBenchOptions(argv: readonly string[], defaultOutput: string): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      scenario: { type: 'string', multiple: true },
      citizens: { type: 'string' },
      seed: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      timeout: { type: 'string' },
      'quiet-wait': { type: 'string' },
      repeats: { type: 'string' },
      'gateway-env': { type: 'string', multiple: true },
      'log-level': { type: 'string' },
      output: { type: 'string' },
      'fan-out-duration': { type: 'string' },
      'fan-out-connections': { type: 'string' },
      'fan-out-applications': { type: 'string' },
      'fan-out-wait': { type: 'string' },
      'fan-out-transport': { type: 'string', multiple: true },
      'fan-out-rate': { type: 'string' },
      'fan-out-one-at-a-time': { type: 'string' },
      'audit-connections': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  return {
    citizens: positiveInteger('citizens', values.citizens, BENCH_DEFAULTS.citizens),
    seed: values.seed === undefined ? undefined : positiveInteger('seed', values.seed, 0, true),
    durationSeconds: positiveInteger('duration', values.duration, BENCH_DEFAULTS.durationSeconds),
    warmupSeconds: positiveInteger('warmup', values.warmup, BENCH_DEFAULTS.warmupSeconds, true),
    rounds: positiveInteger('rounds', values.rounds, BENCH_DEFAULTS.rounds),
    connections: positiveInteger('connections', values.connections, BENCH_DEFAULTS.connections),
    timeoutSeconds: positiveInteger('timeout', values.timeout, BENCH_DEFAULTS.timeoutSeconds),
    quietWaitSeconds: positiveInteger('quiet-wait', values['quiet-wait'], BENCH_DEFAULTS.quietWaitSeconds, true),
    repeats: positiveInteger('repeats', values.repeats, BENCH_DEFAULTS.repeats, true),
    scenarios: (values.scenario ?? []).flatMap((entry) => entry.split(',')).map((id) => id.trim()).filter(Boolean),
    output: values.output ?? defaultOutput,
    gatewayEnv: environmentAssignments(values['gateway-env'] ?? []),
    logLevel: values['log-level'] ?? BENCH_DEFAULTS.logLevel,
    fanOutDurationSeconds: positiveInteger('fan-out-duration', values['fan-out-duration'], BENCH_DEFAULTS.fanOutDurationSeconds),
    fanOutConnections: positiveInteger('fan-out-connections', values['fan-out-connections'], BENCH_DEFAULTS.fanOutConnections),
    fanOutApplications:
      values['fan-out-applications'] === undefined ? undefined : positiveInteger('fan-out-applications', values['fan-out-applications'], 0),
    fanOutWaitSeconds: positiveInteger('fan-out-wait', values['fan-out-wait'], BENCH_DEFAULTS.fanOutWaitSeconds),
    fanOutTransports: fanOutTransports(values['fan-out-transport'] ?? []),
    fanOutRate: positiveInteger('fan-out-rate', values['fan-out-rate'], BENCH_DEFAULTS.fanOutRate, true),
    fanOutOneAtATime: positiveInteger('fan-out-one-at-a-time', values['fan-out-one-at-a-time'], BENCH_DEFAULTS.fanOutOneAtATime, true),
    auditConnections: positiveInteger('audit-connections', values['audit-connections'], BENCH_DEFAULTS.auditConnections),
    help: values.help ?? false,
  };
}

/** The command line that reproduces a run with these options (defaults left out). */
export function reproduceCommand(options: BenchOptions, defaultOutput: string): string {
  const args: string[] = [];
  for (const scenario of options.scenarios) args.push('--scenario', scenario);
  const numeric: [string, number, number][] = [
    ['citizens', options.citizens, BENCH_DEFAULTS.citizens],
    ['duration', options.durationSeconds, BENCH_DEFAULTS.durationSeconds],
    ['warmup', options.warmupSeconds, BENCH_DEFAULTS.warmupSeconds],
    ['rounds', options.rounds, BENCH_DEFAULTS.rounds],
    ['connections', options.connections, BENCH_DEFAULTS.connections],
    ['timeout', options.timeoutSeconds, BENCH_DEFAULTS.timeoutSeconds],
    ['quiet-wait', options.quietWaitSeconds, BENCH_DEFAULTS.quietWaitSeconds],
    ['repeats', options.repeats, BENCH_DEFAULTS.repeats],
    ['fan-out-duration', options.fanOutDurationSeconds, BENCH_DEFAULTS.fanOutDurationSeconds],
    ['fan-out-connections', options.fanOutConnections, BENCH_DEFAULTS.fanOutConnections],
    ['fan-out-wait', options.fanOutWaitSeconds, BENCH_DEFAULTS.fanOutWaitSeconds],
    ['fan-out-rate', options.fanOutRate, BENCH_DEFAULTS.fanOutRate],
    ['fan-out-one-at-a-time', options.fanOutOneAtATime, BENCH_DEFAULTS.fanOutOneAtATime],
    ['audit-connections', options.auditConnections, BENCH_DEFAULTS.auditConnections],
  ];
  for (const [name, value, fallback] of numeric) if (value !== fallback) args.push(`--${name}`, String(value));
  if (options.seed !== undefined) args.push('--seed', String(options.seed));
  if (options.fanOutApplications !== undefined) args.push('--fan-out-applications', String(options.fanOutApplications));
  for (const [name, value] of Object.entries(options.gatewayEnv)) args.push('--gateway-env', `${name}=${value}`);
  if (options.logLevel !== BENCH_DEFAULTS.logLevel) args.push('--log-level', options.logLevel);
  if (options.fanOutTransports.join(',') !== FAN_OUT_TRANSPORTS.join(',')) {
    for (const transport of options.fanOutTransports) args.push('--fan-out-transport', transport);
  }
  if (options.output !== defaultOutput) args.push('--output', options.output);
  return args.length ? `npm run bench -- ${args.join(' ')}` : 'npm run bench';
}
