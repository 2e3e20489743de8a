import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PACKAGE_ROOT = resolve(__dirname, '../..');
export const ENTRY = join(PACKAGE_ROOT, 'dist', 'index.js');

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

/** Fails with what to do when dist/ is missing or older than src/ (tests run the build, not the sources). */
export function assertBuilt(): void {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist: run \`npm run build\` in ${PACKAGE_ROOT} first`);
  const sources = newest(join(PACKAGE_ROOT, 'src'), (name) => !name.endsWith('.spec.ts'));
  if (sources > newest(join(PACKAGE_ROOT, 'dist'))) throw new Error(`dist/ is older than src/: run \`npm run build\` in ${PACKAGE_ROOT} first`);
}

export interface ParticipantProcess {
  output(): string;
  /** The exit code once it exited (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `node dist/index.js` with exactly `env` (plus PATH), as a supervisor would. */
export function spawnParticipant(env: Record<string, string>): ParticipantProcess {
  const child = spawn(process.execPath, [ENTRY], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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

export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
