import type { World } from '@simpul/synthetic-data';
import { parseBenchOptions } from '../bench-options';
import { emptyFailureCounts, type LoadRunResult, type LoadSpec } from '../load/load-run';
import { findSections, mergeSections } from '../report/benchmark-document';
import type { GatewayTarget } from '../report/gateway-comparison';
import type { MachineMonitor } from '../report/machine-monitor';
import { runGatewayComparison, type GatewayComparisonSpec } from './gateway-comparison-scenario';
import type { SharedStackContext } from './scenario';

const simpul: GatewayTarget = { id: 'simpul', label: 'Simpul gateway', url: 'http://127.0.0.1:1/graphql' };
const stock: GatewayTarget = { id: 'stock', label: 'stock Apollo gateway', url: 'http://127.0.0.1:2/' };

const spec: GatewayComparisonSpec = {
  id: 'unified-citizen',
  title: 'Unified citizen profile',
  targets: [simpul, stock],
  ratios: [{ subject: 'simpul', baseline: 'stock' }],
  workloadMethod: ['**Operation**: a test operation.'],
  successCondition: 'a non-null `data.citizen`',
  appendix: '<details>query</details>',
};

function result(spec: LoadSpec, requestsPerSecond: number, graphqlErrors = 0): LoadRunResult {
  return {
    label: spec.label,
    url: spec.url,
    connections: spec.connections,
    elapsedSeconds: spec.durationSeconds,
    responses: requestsPerSecond * spec.durationSeconds,
    requestsPerSecond,
    latencyMs: { p50: 1000 / requestsPerSecond, p99: 3000 / requestsPerSecond, mean: 1000 / requestsPerSecond, max: 100 },
    failures: { ...emptyFailureCounts(), graphqlErrors },
    failedRequests: graphqlErrors,
    failureSamples: graphqlErrors ? ['200 {"errors":[{"message":"The tax service did not answer within 5000 ms"}]}'] : [],
  };
}

/**
 * Runs, in order: 2 warm-ups, then simpul/stock × 3 rounds. `otherCpu[i]` is the other processes'
 * CPU share during run i; `answer` decides each run's figures.
 */
function fakeContext(
  otherCpu: number[],
  answer: (spec: LoadSpec, run: number) => LoadRunResult,
  repeats = 0,
): SharedStackContext {
  let started = 0;
  let watched = 0;
  const monitor: MachineMonitor = {
    quietShare: 0.15,
    settle: async () => ({ waitedSeconds: 1, otherCpu: 0 }),
    watch: async () => {
      const share = otherCpu[watched++] ?? 0;
      return async () => share;
    },
  };
  return {
    options: parseBenchOptions(['--repeats', String(repeats)], '/repo/docs/benchmarks.md'),
    world: { seed: 1, citizens: [], samples: [] } as unknown as World,
    stock,
    simpulOff: simpul,
    simpulOn: simpul,
    securedHeaders: async () => ({}),
    machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, nodeVersion: 'v24.0.0', os: 'Linux test x64' },
    stackDescription: '- the test stack',
    reproduce: 'npm run bench -- --repeats 0',
    runLoad: async (loadSpec) => answer(loadSpec, started++),
    monitor,
    log: () => undefined,
    stopOnInterrupt: () => () => undefined,
  };
}

describe('runGatewayComparison', () => {
  it('writes a clean comparison without warnings, with the ratio, the runs and how to reproduce', async () => {
    const context = fakeContext([], (loadSpec) => result(loadSpec, loadSpec.url.endsWith('/graphql') ? 90 : 100));

    const outcome = await runGatewayComparison(context, spec, { bodies: ['{}'], requiredDataFields: ['citizen'] });

    expect(outcome.failedRequests).toBe(0);
    const markdown = outcome.section.markdown;
    expect(markdown.startsWith('## Unified citizen profile')).toBe(true);
    expect(markdown).toContain('2 cores (Test CPU)');
    expect(markdown).toContain('- Simpul gateway: **0.90×** the throughput of the stock Apollo gateway');
    expect(markdown).toContain('- **Operation**: a test operation.');
    expect(markdown).toContain('or lacks a non-null `data.citizen`');
    expect(markdown).toContain('- the test stack');
    expect(markdown).toContain('npm run bench -- --scenario unified-citizen');
    expect(markdown.endsWith('<details>query</details>')).toBe(true);
    expect(markdown).not.toContain('Runs with failed requests');
    expect(markdown).not.toContain('Other work shared the machine');
    expect(markdown).not.toContain('### Failures');
    expect(outcome.consoleReport).toContain('| Simpul gateway / stock Apollo gateway | 0.90× |');
    expect(findSections(mergeSections(undefined, [outcome.section])).map((section) => section.id)).toEqual([
      'unified-citizen',
    ]);
  });

  it('calls out failed requests and runs other processes disturbed, and shows what failed', async () => {
    // Runs 0–1 warm-up; run 4 is Simpul round 2 (disturbed); run 7 is stock round 3 (3 failures).
    const context = fakeContext([0, 0, 0, 0, 0.4, 0, 0, 0], (loadSpec, run) =>
      result(loadSpec, run === 4 ? 20 : 80, run === 7 ? 3 : 0),
    );

    const outcome = await runGatewayComparison(context, spec, { bodies: ['{}'], requiredDataFields: ['citizen'] });

    expect(outcome.failedRequests).toBe(3);
    const markdown = outcome.section.markdown;
    expect(markdown).toContain('> **Runs with failed requests:** stock Apollo gateway round 3: 3.');
    expect(markdown).toContain('> **Other work shared the machine** during 1 of the 6 runs in the medians (up to 40%');
    expect(markdown).toContain('### Failures');
    expect(markdown).toContain('**stock Apollo gateway** — graphqlErrors 3.');
    expect(markdown).toContain('The tax service did not answer within 5000 ms');
    expect(outcome.consoleReport).toContain('The tax service did not answer');
  });

  it('still reports failures of a disturbed run it repeated', async () => {
    // Run 2 (Simpul round 1) is disturbed and fails; its repeat (run 3) is clean.
    const context = fakeContext([0, 0, 0.5], (loadSpec, run) => result(loadSpec, 80, run === 2 ? 2 : 0), 1);

    const outcome = await runGatewayComparison(context, spec, { bodies: ['{}'], requiredDataFields: ['citizen'] });

    expect(outcome.failedRequests).toBe(2);
    expect(outcome.section.markdown).toContain('Simpul gateway round 1 (repeated): 2');
    expect(outcome.section.markdown).toContain('| Simpul gateway | 80.0 | 12.5 | 37.5 | n/a | 0 of 3,600 |');
  });

  it('reports one target alone, with the CPU split of its processes', async () => {
    const context = {
      ...fakeContext([], (loadSpec) => result(loadSpec, 100)),
      meter: async () => ({
        stop: async () => ({
          processes: [
            { name: 'gateway', cpuMs: 3000, peakRssMiB: 210 },
            { name: 'PostgreSQL', cpuMs: 1500, peakRssMiB: undefined },
          ],
          totalCpuMs: 4500,
        }),
      }),
    };
    const bank: GatewayTarget = { ...simpul, label: 'Simpul, everything on', processes: () => [{ name: 'gateway', pid: 1 }] };

    const outcome = await runGatewayComparison(context, { ...spec, targets: [bank], ratios: [] }, { bodies: ['{}'], requiredDataFields: [] });

    // 1,500 responses and 4,500 ms of CPU per run.
    const markdown = outcome.section.markdown;
    expect(markdown).toContain('Simpul, everything on: **100.0 requests/s**, p50 10.0 ms, p99 30.0 ms, 3.00 ms CPU per request');
    expect(markdown).toContain('| all processes | **3.00** |');
    expect(markdown).toContain('| gateway | 2.00 (67%) · 210 MiB |');
    expect(markdown).toContain('| PostgreSQL | 1.00 (33%) |');
    expect(outcome.consoleReport).toContain('| gateway | 2.00 (67%) · 210 MiB |');
  });
});
