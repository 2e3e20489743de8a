/**
 * Readiness with reasons: `/readyz` runs the process's named checks (its database, the broker, the
 * identity provider's keys, the audit log) and says which one fails and why, so an operator (or a
 * Kubernetes probe's event) reads "broker: connect ECONNREFUSED" instead of a bare 503.
 */
export type ReadinessCheck = () => Promise<void>;

export interface NamedReadinessCheck {
  check: ReadinessCheck;
  /**
   * false: reported, but the process stays ready while it fails. For dependencies whose failure the
   * process already handles on each request (a subgraph's reads fail closed while the audit log is
   * unreachable), and which start beside it (taking every subgraph out of rotation would gain nothing).
   */
  required?: boolean;
}

export type ReadinessChecks = Record<string, ReadinessCheck | NamedReadinessCheck>;

export interface CheckResult {
  status: 'ok' | 'failing';
  reason?: string;
  required: boolean;
}

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  /** The first failing required check and why, e.g. `database: connection refused`. */
  reason?: string;
  checks: Record<string, CheckResult>;
}

/** A check that takes longer than this is failing (a probe must not hang on a black-holed dependency). */
export const READINESS_CHECK_TIMEOUT_MS = 2000;
const MAX_REASON_LENGTH = 200;

const processChecks = new Map<string, NamedReadinessCheck>();

/**
 * Adds a check to every `/readyz` this process serves (a transport adds `broker`, an audit client
 * `audit-log`); returns its removal, for when the dependency is closed.
 */
export function registerReadinessCheck(name: string, check: ReadinessCheck | NamedReadinessCheck): () => void {
  const entry = typeof check === 'function' ? { check } : check;
  processChecks.set(name, entry);
  return () => {
    if (processChecks.get(name) === entry) processChecks.delete(name);
  };
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message || error.name : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${message}${cause}`.slice(0, MAX_REASON_LENGTH);
}

async function run(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult & { required: false }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', required: false };
  } catch (error) {
    return { status: 'failing', reason: reasonOf(error), required: false };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `checks` and the process-wide ones concurrently; ready when every required check passes. */
export async function checkReadiness(checks: ReadinessChecks = {}, timeoutMs = READINESS_CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
  const all = new Map<string, NamedReadinessCheck>(processChecks);
  for (const [name, check] of Object.entries(checks)) all.set(name, typeof check === 'function' ? { check } : check);
  const results = await Promise.all(
    [...all].map(async ([name, { check, required = true }]) => [name, { ...(await run(check, timeoutMs)), required }] as const),
  );
  const failing = results.find(([, result]) => result.required && result.status === 'failing');
  return {
    status: failing ? 'not ready' : 'ready',
    ...(failing ? { reason: `${failing[0]}: ${failing[1].reason}` } : {}),
    checks: Object.fromEntries(results),
  };
}

/** GET `url` must answer 2xx (another process's /healthz or /readyz). */
export function httpCheck(url: string, timeoutMs = READINESS_CHECK_TIMEOUT_MS): ReadinessCheck {
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${new URL(url).pathname} answered ${response.status}`);
  };
}
