import type { LoadRunResult, LoadSpec } from '../load/load-run';
import { emptyFailureCounts } from '../load/load-run';
import { renderRunsTable, renderSummaryTable } from './comparison-tables';
import { compareGateways, comparisonSchedule, type ComparisonSettings, type GatewayTarget } from './gateway-comparison';
import type { ResourceUsage } from './process-usage';

const simpul: GatewayTarget = { id: 'simpul', label: 'Simpul gateway', url: 'http://127.0.0.1:4000/graphql' };
const stock: GatewayTarget = { id: 'stock', label: 'stock Apollo gateway', url: 'http://127.0.0.1:4100/' };
const settings: ComparisonSettings = {
  rounds: 3,
  durationSeconds: 15,
  warmupSeconds: 5,
  connections: 20,
  timeoutSeconds: 10,
  repeatsForDisturbedRuns: 0,
};

function fakeRun(spec: LoadSpec, requestsPerSecond: number, p50: number, p99: number, failed = 0): LoadRunResult {
  const failures = { ...emptyFailureCounts(), graphqlErrors: failed };
  return {
    label: spec.label,
    url: spec.url,
    connections: spec.connections,
    elapsedSeconds: spec.durationSeconds,
    responses: Math.round(requestsPerSecond * spec.durationSeconds),
    requestsPerSecond,
    latencyMs: { p50, p99, mean: p50, max: p99 * 2 },
    failures,
    failedRequests: failed,
    failureSamples: failed ? ['200 {"errors":[…]}'] : [],
  };
}

describe('comparisonSchedule', () => {
  it('warms each target up once, then alternates targets every round', () => {
    const order = comparisonSchedule([simpul, stock], settings).map((run) => `${run.phase}:${run.target.id}:${run.round}`);
    expect(order).toEqual([
      'warm-up:simpul:1',
      'warm-up:stock:1',
      'measured:simpul:1',
      'measured:stock:1',
      'measured:simpul:2',
      'measured:stock:2',
      'measured:simpul:3',
      'measured:stock:3',
    ]);
  });

  it('skips warm-up when its duration is zero', () => {
    const phases = comparisonSchedule([simpul, stock], { ...settings, warmupSeconds: 0 }).map((run) => run.phase);
    expect(phases).not.toContain('warm-up');
    expect(phases).toHaveLength(6);
  });
});

describe('compareGateways', () => {
  // Per target: warm-up figures first (deliberately extreme), then three measured rounds.
  const figures: Record<string, [number, number, number, number?][]> = {
    simpul: [[10, 900, 2000], [200, 50, 120], [180, 60, 150, 4], [220, 40, 110]],
    stock: [[10, 900, 2000], [250, 40, 100], [240, 45, 90], [260, 35, 95]],
  };

  async function compare() {
    const specs: LoadSpec[] = [];
    const seen: Record<string, number> = { simpul: 0, stock: 0 };
    let watched = 0;
    const result = await compareGateways({
      targets: [simpul, stock],
      settings,
      monitor: {
        quietShare: 0.9,
        settle: async () => ({ waitedSeconds: 1, otherCpu: 0 }),
        watch: async () => {
          const run = watched++;
          return async () => (run === 4 ? 0.5 : 0.02);
        },
      },
      workload: { bodies: ['{"query":"{ a }"}'], requiredDataFields: ['citizen'] },
      runLoad: async (spec) => {
        specs.push(spec);
        const id = spec.url === simpul.url ? 'simpul' : 'stock';
        const [rps, p50, p99, failed] = figures[id]![seen[id]!++]!;
        return fakeRun(spec, rps, p50, p99, failed);
      },
    });
    return { result, specs };
  }

  it('sends the workload with warm-up and measured durations', async () => {
    const { specs } = await compare();
    expect(specs.map((spec) => spec.durationSeconds)).toEqual([5, 5, 15, 15, 15, 15, 15, 15]);
    expect(specs.every((spec) => spec.requiredDataFields[0] === 'citizen' && spec.connections === 20)).toBe(true);
  });

  it('takes medians over measured runs only and counts failures with their rounds', async () => {
    const { result } = await compare();
    const [simpulSummary, stockSummary] = result.summaries;

    expect(simpulSummary).toMatchObject({
      medianRequestsPerSecond: 200,
      medianP50Ms: 50,
      medianP99Ms: 120,
      failedRequests: 4,
      roundsWithFailures: [2],
    });
    expect(stockSummary).toMatchObject({ medianRequestsPerSecond: 250, medianP50Ms: 40, medianP99Ms: 95, failedRequests: 0 });
    expect(result.runs.map((run) => run.target.id)).toEqual(['simpul', 'stock', 'simpul', 'stock', 'simpul', 'stock']);
  });

  it('renders the ratio row and flags failed requests', async () => {
    const { result } = await compare();
    const summary = renderSummaryTable(result, [{ subject: 'simpul', baseline: 'stock' }]);

    expect(summary).toContain('| Simpul gateway | 200.0 | 50.0 | 120.0 | n/a | **4 of 9,000 (round 2)** |');
    expect(summary).toContain('| stock Apollo gateway | 250.0 | 40.0 | 95.0 | n/a | 0 of 11,250 |');
    expect(summary).toContain('| Simpul gateway / stock Apollo gateway | 0.80× | 1.25× | 1.26× | n/a |  |');

    const runs = renderRunsTable(result).split('\n');
    expect(runs).toHaveLength(2 + 6);
    expect(runs[2]).toBe('| 1 | Simpul gateway | 200.0 | 50.0 | 120.0 | 240.0 | 3,000 | 0 | 2% |');
    // The fifth run watched (after two warm-ups and two measured runs) is Simpul's round 2.
    expect(runs[4]).toBe('| 2 | Simpul gateway | 180.0 | 60.0 | 150.0 | 300.0 | 2,700 | **4** | 50% |');
  });
});

describe('compareGateways with a busy machine', () => {
  // Other processes' CPU share during each successive run (warm-ups first).
  function monitorReporting(otherCpuPerRun: number[]) {
    let run = 0;
    return {
      quietShare: 0.15,
      settle: async () => ({ waitedSeconds: 1, otherCpu: 0 }),
      watch: async () => {
        const share = otherCpuPerRun[run++] ?? 0;
        return async () => share;
      },
    };
  }

  async function compareWith(otherCpuPerRun: number[], repeats: number) {
    const rps: Record<string, number[]> = { simpul: [], stock: [] };
    const result = await compareGateways({
      targets: [simpul, stock],
      settings: { ...settings, rounds: 2, repeatsForDisturbedRuns: repeats },
      workload: { bodies: ['{}'], requiredDataFields: [] },
      monitor: monitorReporting(otherCpuPerRun),
      runLoad: async (spec) => {
        const id = spec.url === simpul.url ? 'simpul' : 'stock';
        // A disturbed run is slow: 10 req/s instead of 100 + run number.
        const share = otherCpuPerRun[rps.simpul!.length + rps.stock!.length] ?? 0;
        const value = share > 0.15 ? 10 : 100 + rps[id]!.length;
        rps[id]!.push(value);
        return fakeRun(spec, value, 10, 20);
      },
    });
    return result;
  }

  it('repeats a disturbed measured run and leaves it out of the medians, but not warm-ups', async () => {
    // warm-up simpul (disturbed: not repeated), warm-up stock, simpul 1 (disturbed), simpul 1 again, stock 1, simpul 2, stock 2
    const result = await compareWith([0.8, 0, 0.6, 0, 0, 0, 0], 2);

    expect(result.runs.map((run) => `${run.target.id}:${run.round}${run.repeated ? ':repeated' : ''}`)).toEqual([
      'simpul:1:repeated',
      'simpul:1',
      'stock:1',
      'simpul:2',
      'stock:2',
    ]);
    const [simpulSummary] = result.summaries;
    expect(simpulSummary!.runs.map((run) => run.requestsPerSecond)).toEqual([102, 103]);
    expect(renderRunsTable(result)).toContain('| 1 (disturbed, repeated) | Simpul gateway | 10.0 |');
  });

  it('keeps disturbed runs once the repeats are used up', async () => {
    const result = await compareWith([0, 0, 0.6, 0.7, 0.5, 0, 0, 0], 1);

    expect(result.runs.filter((run) => run.repeated)).toHaveLength(1);
    const [simpulSummary] = result.summaries;
    expect(simpulSummary!.runs.map((run) => run.requestsPerSecond)).toEqual([10, 103]);
  });
});

describe('compareGateways with targets of their own', () => {
  const usageOf = (gatewayMs: number, postgresMs: number, rss: number): ResourceUsage => ({
    processes: [
      { name: 'gateway', cpuMs: gatewayMs, peakRssMiB: rss },
      { name: 'PostgreSQL', cpuMs: postgresMs, peakRssMiB: undefined },
    ],
    totalCpuMs: gatewayMs + postgresMs,
  });

  it('asks each target for fresh headers before every run and meters its processes during measured runs only', async () => {
    let tokens = 0;
    const secured: GatewayTarget = {
      ...simpul,
      headers: async () => ({ authorization: `Bearer token-${++tokens}` }),
      processes: () => [{ name: 'gateway', pid: 42 }],
    };
    const metered: number[][] = [];
    // Per measured run: CPU ms of the gateway and of PostgreSQL, and the gateway's peak RSS.
    const usages = [usageOf(3000, 1000, 200), usageOf(2000, 1000, 260), usageOf(9000, 0, 100)];
    const sent: (string | undefined)[] = [];
    const result = await compareGateways({
      targets: [secured, stock],
      settings: { ...settings, rounds: 3 },
      workload: { bodies: ['{}'], requiredDataFields: [], headers: { 'x-simpul-purpose': 'legal-basis:PUBLIC_SERVICE_DELIVERY' } },
      meter: async (processes) => {
        metered.push(processes.map((process) => process.pid));
        const usage = usages[metered.length - 1]!;
        return { stop: async () => usage };
      },
      runLoad: async (spec) => {
        if (spec.url === secured.url) sent.push(spec.headers?.authorization);
        expect(spec.headers?.['x-simpul-purpose']).toBe('legal-basis:PUBLIC_SERVICE_DELIVERY');
        return fakeRun(spec, 100, 10, 20);
      },
    });
    // One token per run, warm-up included; the stock gateway has no processes to meter.
    expect(sent).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-3', 'Bearer token-4']);
    expect(metered).toEqual([[42], [42], [42]]);
    const [summary, stockSummary] = result.summaries;
    // 1,500 responses per run: 4000/1500, 3000/1500, 9000/1500 ms per request; the median is the middle one.
    expect(summary!.medianCpuMsPerRequest).toBeCloseTo(4000 / 1500);
    expect(summary!.usage).toEqual({
      processes: [
        { name: 'gateway', cpuMs: 14000, peakRssMiB: 260 },
        { name: 'PostgreSQL', cpuMs: 2000, peakRssMiB: undefined },
      ],
      totalCpuMs: 16000,
    });
    expect(stockSummary).toMatchObject({ usage: undefined, medianCpuMsPerRequest: null });
    const table = renderSummaryTable(result, [{ subject: 'stock', baseline: 'simpul' }]);
    expect(table).toContain('| Simpul gateway | 100.0 | 10.0 | 20.0 | 2.7 | 0 of 4,500 |');
    expect(table).toContain('| stock Apollo gateway / Simpul gateway | 1.00× | 1.00× | 1.00× | n/a |  |');
  });

  it('makes the bodies again for every run when the workload asks for it', async () => {
    let made = 0;
    const sent: string[][] = [];
    await compareGateways({
      targets: [simpul],
      settings: { ...settings, rounds: 2 },
      workload: { bodies: ['unused'], bodiesForRun: () => [`run ${(made += 1)}`], requiredDataFields: [] },
      runLoad: async (spec) => {
        sent.push(spec.bodies);
        return fakeRun(spec, 100, 10, 20);
      },
    });
    expect(sent).toEqual([['run 1'], ['run 2'], ['run 3']]);
  });

  it('pauses before every run on another target than the previous one, never before a run on the same', async () => {
    const events: string[] = [];
    const run = (targets: GatewayTarget[]) =>
      compareGateways({
        targets,
        settings: { ...settings, rounds: 2 },
        workload: { bodies: ['{}'], requiredDataFields: [] },
        pauseBetweenTargets: async () => {
          events.push('pause');
        },
        runLoad: async (spec) => {
          events.push(spec.url === simpul.url ? 'simpul' : 'stock');
          return fakeRun(spec, 100, 10, 20);
        },
      });
    await run([simpul, stock]);
    expect(events).toEqual(['simpul', 'pause', 'stock', 'pause', 'simpul', 'pause', 'stock', 'pause', 'simpul', 'pause', 'stock']);
    events.length = 0;
    await run([simpul]);
    expect(events).toEqual(['simpul', 'simpul', 'simpul']);
  });
});
