/** Exponential backoff: `initialMs × factor^(attempt-1)`, capped at `maxMs`. */
export interface Backoff {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
}

export function backoffDelay(attempt: number, backoff: Backoff = {}): number {
  const initialMs = backoff.initialMs ?? 500;
  const maxMs = backoff.maxMs ?? 30_000;
  const factor = backoff.factor ?? 2;
  return Math.min(initialMs * factor ** Math.max(0, attempt - 1), maxMs);
}

export class StoppingError extends Error {
  constructor() {
    super('the connector is stopping');
    this.name = 'StoppingError';
  }
}

/** Waits `ms`, or rejects with StoppingError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new StoppingError());
    const abort = () => {
      clearTimeout(timer);
      reject(new StoppingError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
