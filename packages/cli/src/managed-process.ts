import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be spawned at all. */
  error?: Error;
}

export interface ManagedProcessSpec {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const STOP_GRACE_MS = 10_000;
const RECENT_LINES = 40;

export function describeExit(status: ExitStatus): string {
  if (status.error) return `could not be started: ${status.error.message}`;
  if (status.signal) return `was killed by ${status.signal}`;
  return `exited with code ${status.code}`;
}

/**
 * One Node child process of the stack: its output split into lines (the last few kept for a
 * post-mortem), and a stop that asks with SIGTERM and insists with SIGKILL after a grace period.
 */
export class ManagedProcess {
  readonly name: string;
  /** Resolves once the process has exited and its output has been read to the end. */
  readonly exited: Promise<ExitStatus>;
  private readonly child: ChildProcess;
  private readonly recent: string[] = [];
  private status: ExitStatus | undefined;

  constructor(spec: ManagedProcessSpec, onLine: (line: string) => void) {
    this.name = spec.name;
    this.child = spawn(process.execPath, [spec.script], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C in the terminal reaches only the CLI, which then stops
      // the gateway before the services instead of everything at once.
      detached: true,
    });
    const handle = (line: string) => {
      this.recent.push(line);
      if (this.recent.length > RECENT_LINES) this.recent.shift();
      onLine(line);
    };
    // Both streams are read to their end before `exited` settles, so last words are never lost.
    const streamsDone = [this.child.stdout, this.child.stderr].map((stream) => {
      if (!stream) return Promise.resolve();
      const lines = createInterface({ input: stream, crlfDelay: Infinity });
      lines.on('line', handle);
      return new Promise<void>((resolve) => lines.once('close', () => resolve()));
    });
    const processDone = new Promise<ExitStatus>((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal }));
      this.child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    this.exited = Promise.all([processDone, ...streamsDone]).then(([status]) => {
      this.status = status;
      return status;
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.status === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines it wrote (stdout and stderr interleaved), oldest first. */
  recentLines(count = RECENT_LINES): string[] {
    return this.recent.slice(-count);
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs`. Resolves when it has exited. */
  async stop(graceMs = STOP_GRACE_MS): Promise<'stopped' | 'killed' | 'already-exited'> {
    if (!this.running) {
      await this.exited;
      return 'already-exited';
    }
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const forced = new Promise<'killed'>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve('killed');
      }, graceMs);
    });
    const outcome = await Promise.race([this.exited.then(() => 'stopped' as const), forced]);
    clearTimeout(timer);
    await this.exited;
    return outcome;
  }

  /** Immediate SIGKILL; for the CLI's own exit path, where nothing can be awaited. */
  kill(): void {
    if (this.running) this.child.kill('SIGKILL');
  }
}
