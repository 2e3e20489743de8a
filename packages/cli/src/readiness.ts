import { setTimeout as sleep } from 'node:timers/promises';
import type { ExitStatus } from './managed-process';

export type Readiness = { outcome: 'ready' } | { outcome: 'exited'; status: ExitStatus } | { outcome: 'aborted' };

/**
 * Polls a `/readyz` URL until it answers 200, the process behind it exits, or `signal` aborts.
 * There is no deadline: seeding a large world legitimately takes minutes, and its progress is on screen.
 */
export async function waitUntilReady(
  url: string,
  options: { exited: Promise<ExitStatus>; signal?: AbortSignal; intervalMs?: number },
): Promise<Readiness> {
  let exitStatus: ExitStatus | undefined;
  void options.exited.then((status) => (exitStatus = status));
  const interval = options.intervalMs ?? 100;
  while (true) {
    if (options.signal?.aborted) return { outcome: 'aborted' };
    if (exitStatus) return { outcome: 'exited', status: exitStatus };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return { outcome: 'ready' };
    } catch {
      // Not listening yet (ECONNREFUSED) or slow; try again.
    }
    if (exitStatus) return { outcome: 'exited', status: exitStatus };
    try {
      await sleep(interval, undefined, { signal: options.signal });
    } catch {
      return { outcome: 'aborted' };
    }
  }
}
