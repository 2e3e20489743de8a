import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `simpul-connector-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Polls `probe` until it returns something other than undefined (or the time runs out). */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs cleanups in reverse order after each test, even when it failed half-way. */
export function cleanups() {
  let pending: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of pending.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    pending = [];
  });
  return (cleanup: () => unknown) => void pending.push(cleanup);
}
