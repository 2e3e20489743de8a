import { setTimeout as sleep } from 'node:timers/promises';
import type { ExitStatus } from './managed-process';

export type Readiness =
  | { outcome: 'ready' }
  | { outcome: 'exited'; status: ExitStatus }
  | { outcome: 'aborted' }
  /** Not ready, and nothing from the process for `stall.ms`: `reason` is what its /readyz said last. */
  | { outcome: 'stalled'; reason: string };

/**
 * Polls a `/readyz` URL until it answers 200, the process behind it exits, or `signal` aborts; with
 * `stall`, also until the process has been silent (`lastActivity`, e.g. its last log line) for
 * `stall.ms` while not ready. The deadline counts from its last activity, not from its start:
 * seeding a large world legitimately takes minutes, with progress all along.
 */
export async function waitUntilReady(
  url: string,
  options: { exited: Promise<ExitStatus>; signal?: AbortSignal; intervalMs?: number; stall?: { ms: number; lastActivity: () => number } },
): Promise<Readiness> {
  let exitStatus: ExitStatus | undefined;
  void options.exited.then((status) => (exitStatus = status));
  const interval = options.intervalMs ?? 100;
  let lastReason = 'not ready';
  while (true) {
    if (options.signal?.aborted) return { outcome: 'aborted' };
    if (exitStatus) return { outcome: 'exited', status: exitStatus };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.ok) return { outcome: 'ready' };
      lastReason = readinessReason(response.status, body);
    } catch (error) {
      // Not listening yet (ECONNREFUSED) or slow; try again.
      lastReason = `${new URL(url).pathname} did not answer (${describeFetchError(error)})`;
    }
    if (options.stall && Date.now() - options.stall.lastActivity() >= options.stall.ms) {
      return { outcome: 'stalled', reason: `${lastReason}; nothing logged for ${Math.round(options.stall.ms / 1000)} s` };
    }
    if (exitStatus) return { outcome: 'exited', status: exitStatus };
    try {
      await sleep(interval, undefined, { signal: options.signal });
    } catch {
      return { outcome: 'aborted' };
    }
  }
}

/** `503: broker: connect ECONNREFUSED …` from a /readyz answer (service-kit's report names the failing check). */
function readinessReason(status: number, body: string): string {
  try {
    const report = JSON.parse(body) as { reason?: unknown; status?: unknown };
    if (typeof report.reason === 'string') return `/readyz answered ${status}: ${report.reason}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return `/readyz answered ${status}`;
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
