import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@simpul/testing';
import { EmbeddedTransport, startEmbeddedBroker, type EmbeddedTransportOptions, type RunningEmbeddedBroker } from '../../src';

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `simpul-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** An in-process embedded broker that can be stopped and started again on the same port and data. */
export async function startTestBroker(dataDir: string) {
  const port = await freePort();
  let running: RunningEmbeddedBroker | undefined = await startEmbeddedBroker({ dataDir, port, sync: false });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await running?.stop();
      running = undefined;
    },
    async start() {
      running = await startEmbeddedBroker({ dataDir, port, sync: false });
    },
  };
}

export function testEmbeddedTransport(url: string, overrides: Partial<EmbeddedTransportOptions> = {}): EmbeddedTransport {
  return new EmbeddedTransport({ url, pollWaitMs: 500, redeliveryDelayMs: 100, ...overrides });
}

const RUN_TS = join(__dirname, 'run-ts.js');

/** Runs a TypeScript entry point as a separate Node process (for SIGKILL tests). */
export function spawnTs(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [RUN_TS, entry], {
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** The embedded broker as its own process (src/embedded/main.ts), ready when /healthz answers. */
export async function spawnBrokerProcess(dataDir: string, port: number) {
  const processHandle = spawnTs(join(__dirname, '../../src/embedded/main.ts'), {
    EVENTS_PORT: String(port),
    EVENTS_DATA_DIR: dataDir,
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (processHandle.child.exitCode !== null || Date.now() > deadline) {
      processHandle.child.kill('SIGKILL');
      throw new Error(`embedded broker did not start:\n${processHandle.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return processHandle;
}
