import type { SubmitAnswer } from '../workload/business-start';
import { readSubmitAnswer } from '../workload/business-start';

/** One submit as the client saw it. */
export interface SubmitRecord {
  /** Application number n (0, 1, 2… in the order they were started). */
  n: number;
  /** Client wall clock (ms since epoch) just before the request was sent: comparable with broker timestamps on this machine. */
  startedAtMs: number;
  /** Until the answer (or the failure) came back. */
  responseMs: number;
  answer: SubmitAnswer;
}

export interface SubmitLoopResult {
  records: SubmitRecord[];
  /** From the first submit's start until the last answer. */
  elapsedMs: number;
}

export interface SubmitLoopOptions {
  /** Submits in flight at once: each "connection" sends the next as soon as its previous one is answered. */
  connections: number;
  /** No submit starts after this long; those in flight are awaited. */
  durationMs: number;
  /** No more than this many submits in all (default: as many as the duration allows). */
  maxSubmits?: number;
  /** Files application n and reads the answer; must not throw (a failure is an answer). */
  submit(n: number): Promise<SubmitAnswer>;
  /** Wall clock, ms since epoch (default Date.now). */
  now?: () => number;
}

/** A closed loop of `connections` submitters for `durationMs` or `maxSubmits` submits, whichever ends first. */
export async function runSubmitLoop(options: SubmitLoopOptions): Promise<SubmitLoopResult> {
  if (options.connections < 1) throw new Error('the submit loop needs at least one connection');
  const now = options.now ?? Date.now;
  const records: SubmitRecord[] = [];
  const startedAt = now();
  const deadline = startedAt + options.durationMs;
  const maxSubmits = options.maxSubmits ?? Number.POSITIVE_INFINITY;
  let next = 0;
  let lastAnswerAt = startedAt;
  const connection = async () => {
    while (now() < deadline && next < maxSubmits) {
      const n = next++;
      const startedAtMs = now();
      const answer = await options.submit(n);
      const answeredAt = now();
      lastAnswerAt = Math.max(lastAnswerAt, answeredAt);
      records.push({ n, startedAtMs, responseMs: answeredAt - startedAtMs, answer });
    }
  };
  await Promise.all(Array.from({ length: options.connections }, connection));
  records.sort((a, b) => a.n - b.n);
  return { records, elapsedMs: lastAnswerAt - startedAt };
}

export interface OpenLoopOptions {
  /** Submits started per second, whatever the answers. */
  ratePerSecond: number;
  /** Submits are scheduled within this window: submit n at n ÷ rate seconds, while that is before its end. */
  durationMs: number;
  /** No more than this many submits in all. */
  maxSubmits?: number;
  /** Files application n and reads the answer; must not throw (a failure is an answer). */
  submit(n: number): Promise<SubmitAnswer>;
  /** Wall clock, ms since epoch (default Date.now). */
  now?: () => number;
  /** Waits until `at` (ms since epoch of `now`); default a timer. */
  sleepUntil?: (at: number) => Promise<void>;
}

/** How many submits an open loop schedules: one every 1000 ÷ rate ms within the window, at most `maxSubmits`. */
export function openLoopCount(ratePerSecond: number, durationMs: number, maxSubmits = Number.POSITIVE_INFINITY): number {
  if (!(ratePerSecond > 0)) throw new Error('the open loop needs a positive rate');
  return Math.min(Math.ceil((durationMs * ratePerSecond) / 1000), maxSubmits);
}

/**
 * An open loop: submit n starts at n ÷ rate seconds after the first, whether or not earlier ones
 * were answered (arrivals do not wait for the system, as citizens at many counters would not), so
 * its latencies are those of the load, not of a queue the client built itself. Resolves once every
 * submit is answered.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<SubmitLoopResult> {
  const now = options.now ?? Date.now;
  const sleepUntil = options.sleepUntil ?? ((at: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - now()))));
  const count = openLoopCount(options.ratePerSecond, options.durationMs, options.maxSubmits);
  const intervalMs = 1000 / options.ratePerSecond;
  const startedAt = now();
  let lastAnswerAt = startedAt;
  const inFlight: Promise<SubmitRecord>[] = [];
  for (let n = 0; n < count; n += 1) {
    await sleepUntil(startedAt + n * intervalMs);
    const startedAtMs = now();
    inFlight.push(
      options.submit(n).then((answer) => {
        const answeredAt = now();
        lastAnswerAt = Math.max(lastAnswerAt, answeredAt);
        return { n, startedAtMs, responseMs: answeredAt - startedAtMs, answer };
      }),
    );
  }
  const records = await Promise.all(inFlight);
  return { records, elapsedMs: lastAnswerAt - startedAt };
}

/**
 * POSTs a GraphQL submit to `url` and reads the answer with readSubmitAnswer; a timeout or a
 * connection error is a failed submit, not an exception.
 */
export async function postSubmit(url: string, body: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<SubmitAnswer> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return readSubmitAnswer(response.status, await response.text());
  } catch (error) {
    // Duck-typed: fetch's errors may come from another realm (DOMException), where instanceof fails.
    const { name, message, cause } = (error ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, kind: 'timeout', sample: `no answer within ${timeoutMs} ms` };
    }
    const detail = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
    return { ok: false, kind: 'connection', sample: `${typeof message === 'string' ? message : String(error)}${detail}` };
  }
}
