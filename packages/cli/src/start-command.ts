import type { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DEMO_CREDENTIALS, type DemoCredentials } from '@simpul/identity/demo';
import type { SampleCitizen } from '@simpul/synthetic-data';
import { DEFAULT_CITIZENS, DEFAULT_SEED, type StartOptions } from './cli-args';
import {
  chooseSeeding,
  DataDirError,
  generateNikHashPepper,
  lockDataDir,
  readSeedingRecord,
  storesToCreate,
  wipeDataDir,
  writeSeedingRecord,
  type SeedingChoice,
} from './data-dir';
import { clientCredentialsCurl, curlCommand, officerHeaders, tokenLifetimeSeconds, UNIFIED_PROFILE_QUERY } from './demo-query';
import { DEBUG, INFO, LEVEL_VALUES, LineFormatter, parseChildLine, WARN } from './log-lines';
import { describeExit, ManagedProcess, type ExitStatus } from './managed-process';
import { fetchBlockedPorts, formatFetchBlockedPorts } from './fetch-bad-ports';
import { findBusyPorts, formatBusyPorts } from './ports';
import { ProgressConsole, type OutputStream } from './progress-console';
import { waitUntilReady } from './readiness';
import { formatReadyBanner, TOKEN_PLACEHOLDER, type DemoTokenInfo } from './ready-banner';
import { childEnvironment, DEMO_OFFICER, entryScripts, planStack, STORE_NAMES, type ProcessPlan, type StackPlan } from './stack-plan';
import type { Style } from './style';
import { fetchDemoTokenWithin, tokenCommand } from './token-command';

export interface StartEnvironment {
  repoRoot: string;
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  style: Style;
  /** Milliseconds since this CLI process started, for the total startup time. */
  uptimeMs: () => number;
  /** Where stop signals arrive; the process itself outside tests. */
  signals: Pick<EventEmitter, 'on' | 'off'>;
  /** Gets a demo identity's access token from the identity provider (default: the real sign-in). */
  demoToken?: (issuer: string, who: string, signal: AbortSignal) => Promise<string>;
  /** How a crashed process is restarted (default: RESTART_POLICY). */
  restartPolicy?: RestartPolicy;
}

/**
 * A process that dies after it was ready is started again after `delaysMs[n]` (the n-th restart in
 * a row), while the others keep serving; once every delay is used, the stack stops. A process that
 * stayed up `stableMs` after a restart starts the count again.
 */
export interface RestartPolicy {
  delaysMs: readonly number[];
  stableMs: number;
}

export const RESTART_POLICY: RestartPolicy = { delaysMs: [1000, 2000, 4000, 8000, 16_000], stableMs: 60_000 };

/** Lines of a dead process shown after it dies. */
const POST_MORTEM_LINES = 20;
/** A second Ctrl-C this long after the first forces the stop (npm relays the terminal's own at once). */
const FORCE_STOP_AFTER_MS = 1000;
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long the banner waits for the officer's demo token before printing without it. */
const DEMO_TOKEN_TIMEOUT_MS = 15_000;
/** The client whose client credentials grant the banner shows as the way to get a client's token. */
const DEMO_INTEGRATOR_CLIENT = 'integrator-demo';
/** Stopped in this order, each group at once (the reverse of the start). */
const STOP_ORDER: readonly (readonly ProcessPlan['role'][])[] = [['participant', 'console'], ['gateway'], ['subgraph'], ['broker', 'identity']];

type Outcome =
  | { kind: 'stop-requested'; signal: string }
  /** Died before it was ever ready (`restarts` 0), or kept dying after every restart the policy allows. */
  | { kind: 'process-died'; process: ManagedProcess; status: ExitStatus; restarts: number }
  /** Running, but not ready and silent for READINESS_STALL_MS: `reason` is its last /readyz answer. */
  | { kind: 'not-ready'; process: ManagedProcess; reason: string };

/**
 * How long a starting process may stay not ready without writing anything (seeding a large world
 * takes minutes but logs its progress all along). SIMPUL_READY_TIMEOUT_MS overrides it.
 */
const READINESS_STALL_MS = 120_000;

/** One process of the stack across its restarts: the current child, and facts for the "ready" line. */
interface Launch {
  plan: ProcessPlan;
  process: ManagedProcess;
  spawnedAt: number;
  /** Whether it logged seeding progress (its store was empty), and when it last wrote a line. */
  progress: { seeded: boolean; lastOutputAt: number };
  /** When the current child became ready; undefined before (then a death before the first is a startup failure). */
  readyAt?: number;
  everReady: boolean;
  /** Restarts in a row (reset once a child stays up RestartPolicy.stableMs). */
  restarts: number;
  /** A pending restart, cancelled by the shutdown. */
  restartTimer?: NodeJS.Timeout;
}

/**
 * `simpul start`: the embedded default (ARCHITECTURE.md §8). The identity provider and the embedded
 * event broker, then nine subgraph processes on PGlite, then the gateway (which requires the
 * identity provider's bearer tokens), then the example participants (PLN on events, Bank BPD on
 * webhooks); a banner with URLs, the demo credentials, sample NIKs and a query to paste with the
 * counter officer's token; a process that crashes once ready is restarted with backoff while the
 * rest keep serving (RestartPolicy); a clean stop on Ctrl-C, SIGTERM or SIGHUP. Resolves to the
 * process exit code.
 */
export async function runStart(options: StartOptions, environment: StartEnvironment): Promise<number> {
  const { stdout, stderr } = environment;
  const fail = (message: string) => {
    stderr.write(`simpul: ${message}\n`);
    return 1;
  };

  const missing = entryScripts(environment.repoRoot)
    .filter(({ script }) => !existsSync(script))
    .map(({ script }) => relative(environment.repoRoot, script));
  if (missing.length > 0) {
    return fail(`not built yet: ${missing.join(', ')}\nRun \`npm run build\` first (\`npm start\` builds everything before starting).`);
  }

  let lock: { release(): void };
  try {
    lock = lockDataDir(options.dataDir);
  } catch (error) {
    if (error instanceof DataDirError) return fail(error.message);
    throw error;
  }
  try {
    let seeding: SeedingChoice;
    try {
      if (options.fresh) {
        wipeDataDir(options.dataDir, STORE_NAMES);
        stdout.write(`Fresh start: emptied ${options.dataDir}\n`);
      }
      seeding = chooseSeeding(readSeedingRecord(options.dataDir), options, { citizens: DEFAULT_CITIZENS, seed: DEFAULT_SEED }, options.dataDir);
    } catch (error) {
      if (error instanceof DataDirError) return fail(error.message);
      throw error;
    }
    if (seeding.notice) stdout.write(`${environment.style.yellow('note')} ${seeding.notice}\n`);
    // Data directories from before the event broker have no pepper yet: they get one now, kept from then on.
    const recordComplete = seeding.fromRecord && seeding.nikHashPepper !== undefined;
    const nikHashPepper = seeding.nikHashPepper ?? generateNikHashPepper();
    seeding = { ...seeding, nikHashPepper };

    // Before the plan: the citizen demo user of the identity provider is the first sample citizen.
    const samples = await sampleCitizens(seeding);
    const plan = planStack({
      ...options,
      repoRoot: environment.repoRoot,
      seeding,
      nikHashPepper,
      compileCacheDir: environment.env.NODE_COMPILE_CACHE || join(environment.repoRoot, '.simpul', 'compile-cache'),
      demoCitizenNik: samples.citizens[0]?.nik,
    });
    const claims = [
      { port: plan.identity.port, owner: 'identity provider' },
      { port: plan.broker.port, owner: 'event broker', host: plan.broker.env.EVENTS_HOST },
      ...plan.subgraphs.map((s) => ({ port: s.port, owner: `${s.name} subgraph` })),
      { port: plan.gateway.port, owner: 'gateway' },
      ...plan.participants.map((p) => ({ port: p.port, owner: `${p.name} participant` })),
      { port: plan.console.port, owner: 'Simpul Console' },
    ];
    // Before anything starts: readiness is polled with fetch, which would wait forever on such a port.
    const blocked = fetchBlockedPorts(claims);
    if (blocked.length > 0) return fail(formatFetchBlockedPorts(blocked));
    const busy = await findBusyPorts(options.host, claims);
    if (busy.length > 0) return fail(formatBusyPorts(options.host, busy));
    if (!recordComplete || samples.generated) {
      // Later starts show the same samples whatever their options, without generating the world again.
      writeSeedingRecord(options.dataDir, { ...seeding, ...(samples.generated ? { samples: samples.citizens } : {}) });
    }
    if (samples.problem) stdout.write(`${environment.style.yellow('note')} could not prepare the sample citizens: ${samples.problem}\n`);
    return await new StartSession(options, environment, plan, seeding, samples.citizens).run();
  } finally {
    lock.release();
  }
}

/**
 * The samples of the world the stores hold: from the seeding record, or generated with the options
 * the stores are seeded with (a fraction of a second for the default world).
 */
async function sampleCitizens(seeding: SeedingChoice): Promise<{ citizens: SampleCitizen[]; generated: boolean; problem?: string }> {
  if (seeding.samples) return { citizens: seeding.samples, generated: false };
  try {
    const { generateWorld } = await import('@simpul/synthetic-data');
    return { citizens: generateWorld({ citizens: seeding.citizens, seed: seeding.seed }).samples, generated: true };
  } catch (error) {
    return { citizens: [], generated: false, problem: (error as Error).message };
  }
}

/** The realm's demo credentials as this stack's identity provider has them: `warga` is the first sample citizen. */
function stackCredentials(credentials: DemoCredentials, demoCitizenNik: string | undefined): DemoCredentials {
  if (!demoCitizenNik) return credentials;
  return {
    ...credentials,
    users: credentials.users.map((user) => (user.roles.includes('citizen') ? { ...user, nik: demoCitizenNik } : user)),
  };
}

class StartSession {
  private readonly formatter: LineFormatter;
  private readonly console: ProgressConsole;
  /** The children's log level as a pino number. */
  private readonly logThreshold: number;
  private readonly launches: Launch[] = [];
  /** Aborted on a stop signal or a dead process: ends the startup waits. */
  private readonly interrupt = new AbortController();
  private outcome: Outcome | undefined;
  private resolveOutcome!: (outcome: Outcome) => void;
  private readonly outcomeReached = new Promise<Outcome>((resolve) => (this.resolveOutcome = resolve));
  private stopping = false;
  /** Stores this start creates (no PG_VERSION yet): their service starts on new data, seeded or not. */
  private newStores = new Set<string>();
  private firstSignalAt = 0;
  private readonly restartPolicy: RestartPolicy;

  constructor(
    private readonly options: StartOptions,
    private readonly environment: StartEnvironment,
    private readonly plan: StackPlan,
    private readonly seeding: SeedingChoice,
    private readonly samples: readonly SampleCitizen[],
  ) {
    const nameWidth = Math.max(...[plan.identity, plan.broker, ...plan.subgraphs, plan.gateway, ...plan.participants, plan.console].map((p) => p.name.length));
    this.formatter = new LineFormatter(nameWidth, environment.style);
    this.console = new ProgressConsole(environment.stdout, this.formatter, { style: environment.style });
    this.logThreshold = LEVEL_VALUES[options.logLevel] ?? INFO;
    this.restartPolicy = environment.restartPolicy ?? RESTART_POLICY;
  }

  async run(): Promise<number> {
    const { signals } = this.environment;
    const onSignal = (signal: string) => this.onSignal(signal);
    const killAll = () => this.launches.forEach((l) => l.process.kill());
    for (const signal of STOP_SIGNALS) signals.on(signal, onSignal);
    // Last resort if the CLI itself crashes: no child outlives it.
    signals.on('exit', killAll);
    try {
      const ready = await this.startAll();
      const demoToken = ready ? await this.demoToken() : undefined;
      // Unless a stop or a death came while the token was fetched: then the shutdown speaks.
      if (demoToken && !this.outcome) {
        this.console.end();
        this.environment.stdout.write(`${this.banner(demoToken).join('\n')}\n`);
      }
      const outcome = await this.outcomeReached;
      return await this.shutdown(outcome);
    } finally {
      for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
      signals.off('exit', killAll);
    }
  }

  /**
   * The identity provider and the event broker, then the subgraphs in parallel, then the gateway,
   * then the participants in parallel (Bank BPD reports task status through the gateway); false
   * when interrupted on the way.
   */
  private async startAll(): Promise<boolean> {
    const { stdout, style } = this.environment;
    stdout.write(
      `${style.bold('Starting Simpul')} ${style.dim(
        `(the identity provider, the event broker, ${this.plan.subgraphs.length} subgraphs, the gateway, ${this.plan.participants.length} example participants and Simpul Console; data in ${this.options.dataDir})`,
      )}\n`,
    );
    const creating = storesToCreate(this.options.dataDir, this.plan.subgraphs.map((s) => s.name));
    this.newStores = new Set(creating);
    if (creating.length > 0) {
      const who = creating.length === this.plan.subgraphs.length ? 'each service' : creating.join(', ');
      stdout.write(
        style.dim(
          `First start of ${who}: creating the embedded database and seeding its part of ${this.seeding.citizens} synthetic citizens. ` +
            'This takes a while once; later starts reuse the data.',
        ) + '\n',
      );
    }
    // Services connect to the broker as they start (applications subscribes before it is ready),
    // and agencies may ask the identity provider for their tokens as soon as they are up.
    this.console.begin([this.plan.identity.name, this.plan.broker.name]);
    const foundations = [this.launch(this.plan.identity), this.launch(this.plan.broker)];
    if (!(await Promise.all(foundations.map((launch) => this.waitForReady(launch)))).every(Boolean)) return false;

    this.console.begin(this.plan.subgraphs.map((s) => s.name));
    const subgraphs = this.plan.subgraphs.map((p) => this.launch(p));
    const results = await Promise.all(subgraphs.map((launch) => this.waitForReady(launch)));
    if (!results.every(Boolean)) return false;

    this.console.begin([this.plan.gateway.name]);
    const gateway = this.launch(this.plan.gateway);
    if (!(await this.waitForReady(gateway))) return false;

    this.console.begin([...this.plan.participants.map((p) => p.name), this.plan.console.name]);
    const participants = [...this.plan.participants, this.plan.console].map((p) => this.launch(p));
    return (await Promise.all(participants.map((launch) => this.waitForReady(launch)))).every(Boolean);
  }

  private launch(plan: ProcessPlan): Launch {
    const launch: Launch = { plan, progress: { seeded: false, lastOutputAt: Date.now() }, everReady: false, restarts: 0, ...this.spawn(plan, () => launch) };
    this.launches.push(launch);
    return launch;
  }

  /** Starts the plan's process (again); its death goes to onExit with the launch it then belongs to. */
  private spawn(plan: ProcessPlan, launchOf: () => Launch): Pick<Launch, 'process' | 'spawnedAt'> {
    const child = new ManagedProcess(
      {
        name: plan.name,
        script: plan.script,
        cwd: this.environment.repoRoot,
        env: childEnvironment(this.environment.env, plan.env),
      },
      (raw) => this.onChildLine(plan.name, launchOf().progress, raw),
    );
    void child.exited.then((status) => this.onExit(launchOf(), child, status));
    return { process: child, spawnedAt: Date.now() };
  }

  /**
   * A death while the stack runs: a process that never got ready fails the start; one that was
   * ready is started again after a delay (said on screen) while the others keep serving, until
   * it has used up the restart policy.
   */
  private onExit(launch: Launch, child: ManagedProcess, status: ExitStatus): void {
    if (this.stopping || this.outcome) return;
    if (!launch.everReady) {
      this.settle({ kind: 'process-died', process: child, status, restarts: 0 });
      return;
    }
    const policy = this.restartPolicy;
    if (launch.readyAt !== undefined && Date.now() - launch.readyAt >= policy.stableMs) launch.restarts = 0;
    const delayMs = policy.delaysMs[launch.restarts];
    if (delayMs === undefined) {
      this.settle({ kind: 'process-died', process: child, status, restarts: launch.restarts });
      return;
    }
    launch.restarts += 1;
    const { style } = this.environment;
    this.console.print(
      `${this.formatter.prefix(launch.plan.name)} ${style.yellow(
        `${describeExit(status)}; restarting it in ${(delayMs / 1000).toFixed(1)} s (restart ${launch.restarts} of ${policy.delaysMs.length})`,
      )}`,
    );
    launch.restartTimer = setTimeout(() => {
      launch.restartTimer = undefined;
      if (this.stopping || this.outcome) return;
      Object.assign(launch, this.spawn(launch.plan, () => launch), { readyAt: undefined });
      void this.waitForReady(launch);
    }, delayMs);
  }

  private onChildLine(name: string, progress: { seeded: boolean; lastOutputAt: number }, raw: string): void {
    progress.lastOutputAt = Date.now();
    const line = parseChildLine(raw);
    if (line.kind === 'seed') {
      progress.seeded = true;
      this.console.seeding(name, line.table, line.done, line.total);
      return;
    }
    // Debug and trace mean "show me everything"; otherwise only what needs attention.
    const shown = line.kind === 'text' || line.record.level >= WARN || this.logThreshold <= DEBUG;
    if (shown) this.console.print(...this.formatter.any(name, line));
  }

  private async waitForReady(launch: Launch): Promise<boolean> {
    const stallMs = Number(this.environment.env.SIMPUL_READY_TIMEOUT_MS) || READINESS_STALL_MS;
    const readiness = await waitUntilReady(launch.plan.readyUrl, {
      exited: launch.process.exited,
      signal: this.interrupt.signal,
      stall: { ms: stallMs, lastActivity: () => Math.max(launch.progress.lastOutputAt, launch.spawnedAt) },
    });
    if (readiness.outcome === 'stalled') this.settle({ kind: 'not-ready', process: launch.process, reason: readiness.reason });
    if (readiness.outcome !== 'ready') return false;
    let detail: string | undefined;
    if (launch.everReady) {
      detail = 'restarted';
    } else if (launch.plan.role === 'subgraph' && this.logThreshold <= INFO) {
      // Seeding progress is logged at info; above that we cannot tell kept data from seeded. A store
      // created by this start that seeds nothing (the audit log) starts empty, not with existing data.
      if (launch.progress.seeded) detail = 'demo data seeded';
      else detail = this.newStores.has(launch.plan.name) ? 'new, empty store' : 'existing data';
    }
    launch.everReady = true;
    launch.readyAt = Date.now();
    this.console.ready(launch.plan.name, Date.now() - launch.spawnedAt, detail);
    return true;
  }

  /**
   * The counter officer's access token for the banner's query, signed in the way the console does;
   * on failure the banner says why and how to get one. Bounded in time, and ended by a stop.
   */
  private async demoToken(): Promise<{ token?: string; info: DemoTokenInfo }> {
    const issuer = this.plan.identity.url;
    const client = DEMO_CREDENTIALS.clients.find((candidate) => candidate.clientId === DEMO_INTEGRATOR_CLIENT);
    const renew = { user: tokenCommand(DEMO_OFFICER, issuer), ...(client ? { client: clientCredentialsCurl(issuer, client) } : {}) };
    const fetchToken = this.environment.demoToken ?? fetchDemoTokenWithin;
    try {
      const token = await fetchToken(issuer, DEMO_OFFICER, AbortSignal.any([this.interrupt.signal, AbortSignal.timeout(DEMO_TOKEN_TIMEOUT_MS)]));
      const lifetimeSeconds = tokenLifetimeSeconds(token);
      return { token, info: { who: DEMO_OFFICER, renew, ...(lifetimeSeconds === undefined ? {} : { lifetimeSeconds }) } };
    } catch (error) {
      return { info: { who: DEMO_OFFICER, renew, error: (error as Error).message } };
    }
  }

  private banner(demoToken: { token?: string; info: DemoTokenInfo }): string[] {
    const sample = this.samples[0];
    const demoHeaders = officerHeaders(demoToken.token ?? TOKEN_PLACEHOLDER);
    return formatReadyBanner(
      {
        startupMs: this.environment.uptimeMs(),
        gatewayUrl: this.plan.gateway.url,
        consoleUrl: this.plan.console.url,
        eventsUrl: this.plan.broker.url,
        subgraphs: this.plan.subgraphs,
        participants: this.plan.participants,
        samples: this.samples,
        curl: sample
          ? curlCommand({ url: this.plan.gateway.url, query: UNIFIED_PROFILE_QUERY, variables: { nik: sample.nik }, headers: demoHeaders })
          : undefined,
        identity: { issuer: this.plan.identity.url, credentials: stackCredentials(DEMO_CREDENTIALS, this.plan.identity.env.DEMO_CITIZEN_NIK) },
        demoToken: demoToken.info,
        dataDir: this.options.dataDir,
        seeding: this.seeding,
      },
      this.environment.style,
    );
  }

  private settle(outcome: Outcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.interrupt.abort();
    this.resolveOutcome(outcome);
  }

  private onSignal(signal: string): void {
    if (!this.outcome) {
      this.firstSignalAt = Date.now();
      this.settle({ kind: 'stop-requested', signal });
      return;
    }
    if (Date.now() - this.firstSignalAt < FORCE_STOP_AFTER_MS) return;
    this.console.print(this.environment.style.yellow('Forcing the stop: killing every process now.'));
    for (const launch of this.launches) launch.process.kill();
  }

  /**
   * Participants first (Bank BPD reports its last decisions through the gateway), then the gateway
   * (so nothing reaches a half-stopped subgraph), then every subgraph at once, then the broker (the
   * subgraphs and PLN commit their last events and offsets on the way out) and the identity provider.
   */
  private async shutdown(outcome: Outcome): Promise<number> {
    this.stopping = true;
    this.console.end();
    const { stdout, style } = this.environment;
    for (const launch of this.launches) clearTimeout(launch.restartTimer);
    if (outcome.kind === 'process-died') {
      const { process: dead, status, restarts } = outcome;
      const lines = dead.recentLines(POST_MORTEM_LINES).flatMap((raw) => this.formatter.any(dead.name, parseChildLine(raw)));
      const gaveUp = restarts > 0 ? ` again: giving up after ${restarts} restart${restarts === 1 ? '' : 's'}` : '';
      stdout.write(
        [
          '',
          style.red(style.bold(`${dead.name} ${describeExit(status)}${gaveUp}.`)) + (lines.length > 0 ? ' Its last log lines:' : ' It wrote nothing.'),
          ...lines,
          '',
          'Stopping the other processes…',
        ].join('\n') + '\n',
      );
    } else if (outcome.kind === 'not-ready') {
      const { process: stuck, reason } = outcome;
      const lines = stuck.recentLines(POST_MORTEM_LINES).flatMap((raw) => this.formatter.any(stuck.name, parseChildLine(raw)));
      stdout.write(
        [
          '',
          style.red(style.bold(`${stuck.name} did not become ready: ${reason}.`)) + (lines.length > 0 ? ' Its last log lines:' : ' It wrote nothing.'),
          ...lines,
          '',
          'Stopping the other processes…',
        ].join('\n') + '\n',
      );
    } else {
      stdout.write(`\nStopping Simpul (${outcome.signal})…\n`);
    }

    const stopOne = async (launch: Launch) => {
      const result = await launch.process.stop();
      if (result === 'killed') stdout.write(`${this.formatter.prefix(launch.plan.name)} ${style.yellow('did not stop in time; killed')}\n`);
    };
    for (const roles of STOP_ORDER) {
      await Promise.all(this.launches.filter((l) => roles.includes(l.plan.role)).map(stopOne));
    }

    if (outcome.kind === 'process-died' || outcome.kind === 'not-ready') {
      stdout.write(`Stopped. Data is kept in ${this.options.dataDir}.\n`);
      return 1;
    }
    stdout.write(`Stopped all ${this.launches.length} processes; data is kept in ${this.options.dataDir} for the next start. Sampai jumpa!\n`);
    return 0;
  }
}
