import { formatMachine, type MachineInfo } from './machine';

// `npm start` prints how long each phase took: scripts/node-env.sh the npm install (only when it
// installs), scripts/simpul.sh the build, the CLI each process's readiness and the whole stack's.
// The startup scenario reads them from its output.

export interface ServiceReadiness {
  name: string;
  seconds: number;
  /** e.g. `demo data seeded`, `existing data`; undefined when the CLI printed none. */
  detail: string | undefined;
}

export interface StartupPhases {
  /** `npm install` of the dependencies; undefined when nothing was installed. */
  installSeconds: number | undefined;
  buildSeconds: number | undefined;
  /** From the CLI's start to "Simpul is ready" (seeding included). */
  readySeconds: number | undefined;
  services: ServiceReadiness[];
}

/** SGR colour codes (ESC [ … m), should a terminal-minded process print them anyway. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The phase timings in the output of one `npm start`. */
export function parseStartupOutput(output: string): StartupPhases {
  const text = output.replace(ANSI, '');
  const seconds = (pattern: RegExp) => {
    const match = pattern.exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const services = [...text.matchAll(/^(\S+)\s+ready in (\d+(?:\.\d+)?) s(?: \(([^)]+)\))?$/gm)].map(([, name, value, detail]) => ({
    name: name!,
    seconds: Number(value),
    detail,
  }));
  return {
    installSeconds: seconds(/^simpul: npm dependencies installed in (\d+(?:\.\d+)?) s$/m),
    buildSeconds: seconds(/^simpul: built in (\d+(?:\.\d+)?) s$/m),
    readySeconds: seconds(/Simpul is ready in (\d+(?:\.\d+)?) s/),
    services,
  };
}

/** The slowest process that seeded its store (its ready time includes the seeding), if any did. */
export function slowestSeeding(phases: StartupPhases): ServiceReadiness | undefined {
  return phases.services
    .filter((service) => service.detail === 'demo data seeded')
    .reduce<ServiceReadiness | undefined>((slowest, service) => (!slowest || service.seconds > slowest.seconds ? service : slowest), undefined);
}

export interface StartupRun {
  /** `first` on a fresh clone, `warm` with the first run's data and build. */
  kind: 'first' | 'warm';
  /** From spawning `npm start` to its "Simpul is ready" line, as the bench saw it; undefined when it never got there. */
  wallSeconds: number | undefined;
  phases: StartupPhases;
  /** Why it did not get ready, with its last output lines. */
  error?: string;
}

const seconds = (value: number | undefined) => (value === undefined ? 'n/a' : value.toFixed(1));

/** One column per run: the phases, the slowest seeding and the wall clock to ready. */
export function renderStartupTable(runs: readonly StartupRun[]): string {
  const row = (label: string, cell: (run: StartupRun) => string) => `| ${label} | ${runs.map(cell).join(' | ')} |`;
  const labels = { first: 'first start (fresh clone)', warm: 'warm start (data and build kept)' };
  return [
    `| phase, seconds | ${runs.map((run) => labels[run.kind]).join(' | ')} |`,
    `| --- | ${runs.map(() => '---:').join(' | ')} |`,
    row('npm install', (run) => (run.phases.installSeconds === undefined ? '— (nothing to install)' : seconds(run.phases.installSeconds))),
    row('build (turbo)', (run) => seconds(run.phases.buildSeconds)),
    row('start → “Simpul is ready” (CLI)', (run) => seconds(run.phases.readySeconds)),
    row('… of which the slowest seeding', (run) => {
      const slowest = slowestSeeding(run.phases);
      return slowest ? `${seconds(slowest.seconds)} (${slowest.name})` : '— (existing data)';
    }),
    row('**`npm start` → ready, wall clock**', (run) => (run.wallSeconds === undefined ? '**did not get ready**' : `**${seconds(run.wallSeconds)}**`)),
  ].join('\n');
}

export interface StartupReportInput {
  runs: readonly StartupRun[];
  machine: MachineInfo;
  startedAt: Date;
  citizens: number;
  commit: string;
  otherCpu: number | undefined;
  quietShare: number;
  reproduce: string;
  scenarioId: string;
}

/** The startup scenario's block of docs/benchmarks.md. */
export function renderStartupSection(input: StartupReportInput): string {
  const failed = input.runs.filter((run) => run.error);
  const services = [...new Set(input.runs.flatMap((run) => run.phases.services.map((service) => service.name)))];
  const onlyThisScenario = `npm run bench -- --scenario ${input.scenarioId}`;
  return [
    '## Startup: first `npm start` on a fresh clone, and a warm start',
    '',
    `_Measured ${input.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC on ${formatMachine(input.machine)}._`,
    '',
    ...failed.map((run) => `> **The ${run.kind} start did not get ready.** See “Failures”.\n`),
    ...(input.otherCpu !== undefined && input.otherCpu > input.quietShare
      ? [`> **Other work shared the machine**: ${Math.round(input.otherCpu * 100)}% of its CPU went to processes outside the bench and PostgreSQL.\n`]
      : []),
    renderStartupTable(input.runs),
    '',
    '### Each process, seconds to ready',
    '',
    `| process | ${input.runs.map((run) => run.kind).join(' | ')} |`,
    `| --- | ${input.runs.map(() => '---:').join(' | ')} |`,
    ...services.map((name) => {
      const cells = input.runs.map((run) => {
        const service = run.phases.services.find((candidate) => candidate.name === name);
        return service ? `${seconds(service.seconds)}${service.detail ? ` (${service.detail})` : ''}` : 'n/a';
      });
      return `| ${name} | ${cells.join(' | ')} |`;
    }),
    '',
    '### Method',
    '',
    `- **Fresh clone**: \`git clone\` of the repository's committed HEAD (${input.commit.slice(0, 12)}) into a temporary ` +
      'directory: no node_modules, no build output, no data. Node is the one on the bench’s PATH (the pinned Node of ' +
      '`.nvmrc`), so no Node download is timed.',
    `- **First start**: \`npm start -- --citizens ${input.citizens} --base-port <a free block> --data-dir <temp>\` in the clone, ` +
      'which installs the npm dependencies (scripts/node-env.sh prints the time), builds every package with turbo ' +
      '(scripts/simpul.sh prints it), then the CLI starts the identity provider, broker, subgraphs (each seeding its ' +
      'embedded PGlite store), gateway and participants and prints “Simpul is ready in … s” and each process’s time.',
    '- **Warm start**: after a clean stop (SIGTERM to npm), the same command again: dependencies installed, build ' +
      'cached by turbo, data kept.',
    '- **Wall clock**: from spawning `npm start` to its “Simpul is ready” line, as the bench saw it.',
    '- **Caveat**: the install depends on the npm registry (or its cache on this machine) and the network; compare the ' +
      'warm start across machines, the first start across runs on one machine.',
    ...(failed.length
      ? ['', '### Failures', '', ...failed.flatMap((run) => [`**${run.kind} start**:`, '', '```', run.error!, '```', ''])]
      : []),
    '',
    '### Reproduce',
    '',
    '```sh',
    input.reproduce,
    ...(input.reproduce === onlyThisScenario ? [] : ['# only this scenario, keeping the other sections of the file:', onlyThisScenario]),
    '```',
  ].join('\n');
}
