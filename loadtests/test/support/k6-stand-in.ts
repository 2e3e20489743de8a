import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';

/**
 * A Node stand-in for the k6 modules the scripts in loadtests/k6 use (k6, k6/http, k6/data,
 * k6/metrics), since the k6 binary is not installable here: it runs a script's init code, its
 * setup() once and its default function for each VU and iteration, and evaluates the thresholds on
 * checks and counters (not the latency ones: no wall-clock assertion in a test). k6's http calls
 * are synchronous; here each request runs in a child Node process (execFileSync), so a run is slow
 * and meant for a handful of iterations.
 */
export interface StandInRun {
  checks: Record<string, { passes: number; fails: number }>;
  counters: Record<string, number>;
  requests: number;
  /** Thresholds on `checks` and counters that failed, e.g. `graphql_failures: count==0`. */
  failedThresholds: string[];
  /** The first bodies of responses that failed a check (for the failure message). */
  failedBodies: string[];
}

const REQUEST = `
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const r = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  try {
    const res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body });
    process.stdout.write(JSON.stringify({ status: res.status, body: await res.text() }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ status: 0, body: null, error: String(error) }));
  }
});`;

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
}

function request(method: string, url: string, body: unknown, params: Params = {}) {
  const headers = { ...params.headers };
  let payload: string | undefined;
  if (typeof body === 'string') payload = body;
  else if (body && typeof body === 'object') {
    // k6 sends an object body form-encoded.
    payload = new URLSearchParams(body as Record<string, string>).toString();
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  const output = execFileSync(process.execPath, ['-e', REQUEST], { input: JSON.stringify({ method, url, headers, body: payload }) });
  const { status, body: text } = JSON.parse(output.toString('utf8')) as { status: number; body: string | null };
  return { status, body: text, url, request: { method, url } };
}

export async function runK6Script(scriptPath: string, options: { env: Record<string, string>; vus: number; iterations: number }): Promise<StandInRun> {
  const run: StandInRun = { checks: {}, counters: {}, requests: 0, failedThresholds: [], failedBodies: [] };
  const k6 = {
    check(value: unknown, sets: Record<string, (value: unknown) => boolean>) {
      let all = true;
      for (const [name, test] of Object.entries(sets)) {
        const entry = (run.checks[name] ??= { passes: 0, fails: 0 });
        let passed = false;
        try {
          passed = Boolean(test(value));
        } catch {
          passed = false;
        }
        if (passed) entry.passes += 1;
        else entry.fails += 1;
        all &&= passed;
      }
      const body = (value as { body?: unknown } | undefined)?.body;
      if (!all && typeof body === 'string' && run.failedBodies.length < 3) run.failedBodies.push(body.slice(0, 500));
      return all;
    },
    sleep() {},
  };
  const http = {
    post: (url: string, body?: unknown, params?: Params) => {
      run.requests += 1;
      return request('POST', url, body, params);
    },
    get: (url: string, params?: Params) => {
      run.requests += 1;
      return request('GET', url, undefined, params);
    },
  };
  // `new SharedArray(name, factory)`: a function that returns an object gives that object to `new`.
  function SharedArray(_name: string, factory: () => unknown[]): unknown[] {
    return factory();
  }
  class Counter {
    constructor(private readonly name: string) {
      run.counters[name] ??= 0;
    }
    add(value: number) {
      run.counters[this.name] = (run.counters[this.name] ?? 0) + value;
    }
  }
  const globals = globalThis as unknown as Record<string, unknown>;
  globals.__ENV = options.env;
  globals.__VU = 0;
  globals.__ITER = 0;
  globals.open = (path: string) => readFileSync(isAbsolute(path) ? path : join(dirname(scriptPath), path), 'utf8');

  let script: { options?: { thresholds?: Record<string, string[]> }; setup?: () => unknown; default: (data: unknown) => void } | undefined;
  jest.isolateModules(() => {
    jest.doMock('k6', () => k6, { virtual: true });
    jest.doMock('k6/http', () => ({ __esModule: true, default: http, ...http }), { virtual: true });
    jest.doMock('k6/data', () => ({ SharedArray }), { virtual: true });
    jest.doMock('k6/metrics', () => ({ Counter, Trend: Counter, Rate: Counter, Gauge: Counter }), { virtual: true });
    // jest's module registry (with the k6 stand-ins) loads the script: a require inside isolateModules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    script = require(scriptPath);
  });
  const data = script!.setup?.();
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    for (let vu = 1; vu <= options.vus; vu++) {
      globals.__VU = vu;
      globals.__ITER = iteration;
      script!.default(data);
    }
  }
  for (const [metric, rules] of Object.entries(script!.options?.thresholds ?? {})) {
    for (const rule of rules) {
      if (metric === 'checks' && rule === 'rate==1') {
        if (Object.values(run.checks).some((c) => c.fails > 0) || Object.keys(run.checks).length === 0) run.failedThresholds.push(`${metric}: ${rule}`);
      } else if (rule === 'count==0' && metric in run.counters) {
        if (run.counters[metric] !== 0) run.failedThresholds.push(`${metric}: ${rule}`);
      }
    }
  }
  return run;
}
