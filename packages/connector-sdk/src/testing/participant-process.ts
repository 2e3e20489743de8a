import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// A participant's built connector run as its own process (`node dist/index.js`, as `npm start` and
// a supervisor run it), so its tests cover the entry point, the environment and SIGTERM too.

/** `<packageRoot>/dist/index.js`: what the process tests run (the build, not the sources). */
export function participantEntry(packageRoot: string): string {
  return join(packageRoot, 'dist', 'index.js');
}

/** The newest modification time of the files under `dir` that `keep` selects. */
function newest(dir: string, keep: (name: string) => boolean = () => true): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return newest(path, keep);
      return keep(entry.name) ? statSync(path).mtimeMs : 0;
    }),
  );
}

/** Fails with what to do when `<packageRoot>/dist` is missing or older than its src/. */
export function assertBuilt(packageRoot: string): void {
  const entry = participantEntry(packageRoot);
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\` in ${packageRoot} first`);
  const sources = newest(join(packageRoot, 'src'), (name) => !name.endsWith('.spec.ts'));
  if (sources > newest(join(packageRoot, 'dist'))) throw new Error(`dist/ is older than src/: run \`npm run build\` in ${packageRoot} first`);
}

export interface ParticipantProcess {
  output(): string;
  /** The exit code once it exited (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `node <packageRoot>/dist/index.js` with exactly `env` (plus PATH), as a supervisor would. */
export function spawnParticipant(packageRoot: string, env: Record<string, string>): ParticipantProcess {
  const child = spawn(process.execPath, [participantEntry(packageRoot)], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  return {
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until `url` answers 200 (or the process exits, or the time runs out). */
export async function waitUntilReady(processHandle: ParticipantProcess, url: string, timeoutMs = 20_000): Promise<void> {
  let exitCode: number | null | undefined;
  void processHandle.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the process exited (${exitCode}) before it was ready:\n${processHandle.output()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await processHandle.stop();
      throw new Error(`not ready within ${timeoutMs} ms:\n${processHandle.output()}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
