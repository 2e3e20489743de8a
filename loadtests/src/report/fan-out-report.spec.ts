import type { FanOutFigures } from './fan-out-timings';
import {
  notCompletedCell,
  renderFanOutDetails,
  renderFanOutSection,
  renderFanOutTable,
  renderFanOutUsage,
  renderOneAtATimeTable,
  renderOpenLoopTable,
  submitsPerSecond,
  type FanOutReportInput,
  type TransportMeasurement,
  type TransportResult,
} from './fan-out-report';

const clean: FanOutFigures = {
  applications: 120,
  allAssigned: { count: 120, p50: 210.4, p99: 1_480, max: 1_502 },
  releasedAssigned: { count: 120, p50: 20.2, p99: 48, max: 60 },
  completed: { count: 120, p50: 830, p99: 2_950.6, max: 3_100 },
  completedPerSecond: 5.7,
  notCompleted: 0,
  stillOpen: 0,
  endedOtherwise: {},
  assignmentsMissing: 0,
};

const embedded: TransportMeasurement = {
  transport: 'embedded',
  ok: true,
  submits: { responses: 120, failed: 0, failures: {}, failureSamples: [], elapsedMs: 20_000, responseMs: { count: 120, p50: 40, p99: 95, max: 120 } },
  figures: clean,
  drainMs: 4_200,
  otherCpu: 0.03,
  unreadableMessages: 0,
};

const kafka: TransportMeasurement = {
  transport: 'kafka',
  ok: true,
  submits: {
    responses: 100,
    failed: 2,
    failures: { timeout: 2 },
    failureSamples: ['no answer within 10000 ms'],
    elapsedMs: 20_500,
    responseMs: { count: 100, p50: 60, p99: 10_000, max: 10_001 },
  },
  figures: {
    ...clean,
    applications: 98,
    completed: { count: 95, p50: 1_900, p99: 6_000, max: 7_000 },
    completedPerSecond: 2.5,
    notCompleted: 3,
    stillOpen: 2,
    endedOtherwise: { REJECTED: 1 },
    assignmentsMissing: 2,
  },
  drainMs: 120_000,
  otherCpu: undefined,
  unreadableMessages: 1,
};

function input(results: TransportResult[]): FanOutReportInput {
  return {
    results,
    machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, nodeVersion: 'v24.0.0', os: 'Linux test x64' },
    startedAt: new Date('2026-12-01T08:30:00Z'),
    settings: {
      citizens: 500,
      seed: 20171006,
      logLevel: 'warn',
      durationSeconds: 20,
      connections: 4,
      maxApplications: undefined,
      waitSeconds: 120,
      timeoutSeconds: 10,
      checkApplications: 4,
      quietShare: 0.15,
      quietWaitSeconds: 10,
    },
    reproduce: 'npm run bench -- --scenario fan-out --citizens 500',
    scenarioId: 'fan-out',
  };
}

describe('renderFanOutTable', () => {
  it('shows each transport’s submit rate, both latencies and what did not complete', () => {
    const lines = renderFanOutTable([embedded, kafka]).split('\n');
    expect(lines[0]).toBe(
      '| transport | submits/s | completed/s | failed submits | all assigned p50 ms | all assigned p99 ms | completed p50 ms | completed p99 ms | CPU ms per completed application | applications | not completed |',
    );
    expect(lines[2]).toBe('| embedded broker | 6.0 | 5.7 | 0 of 120 | 210 | 1,480 | 830 | 2,951 | n/a | 120 | 0 |');
    expect(lines[3]).toBe(
      '| Kafka (librdkafka mock cluster) | 4.9 | 2.5 | **2 of 100** | 210 | 1,480 | 1,900 | 6,000 | n/a | 98 | **3** (2 still open, 1 REJECTED) |',
    );
  });

  it('marks a transport that could not be measured instead of leaving it out', () => {
    const lines = renderFanOutTable([embedded, { transport: 'kafka', ok: false, error: 'kcat is not installed' }]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^\| Kafka \(librdkafka mock cluster\) \| \*\*not measured\*\* \| n\/a/);
  });
});

describe('fan-out figures in cells', () => {
  it('divides answers by the submit window', () => {
    expect(submitsPerSecond(embedded.submits)).toBe(6);
    expect(submitsPerSecond({ ...embedded.submits, elapsedMs: 0 })).toBe(0);
  });

  it('writes 0 when everything completed', () => {
    expect(notCompletedCell(clean)).toBe('0');
  });
});

describe('renderFanOutDetails', () => {
  it('lists the submit round trips, maxima, the wait and other CPU of measured transports', () => {
    const lines = renderFanOutDetails([embedded, kafka, { transport: 'kafka', ok: false, error: 'x' }]).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('| embedded broker | 20.0 | 40 | 95 | 1,502 | 3,100 | 0 | 4.2 | 3% |');
    expect(lines[3]).toBe('| Kafka (librdkafka mock cluster) | 20.5 | 60 | 10,000 | 1,502 | 7,000 | 2 | 120.0 | n/a |');
  });
});

describe('renderFanOutSection', () => {
  it('writes a clean section: heading, machine, table, stack, method, details and how to reproduce, no warnings', () => {
    const markdown = renderFanOutSection(input([embedded]));
    expect(markdown.startsWith('## Application fan-out')).toBe(true);
    expect(markdown).toContain('_Measured 2026-12-01 08:30 UTC on 2 cores (Test CPU)');
    expect(markdown).toContain('for 20 s at 4 submits in flight, on the embedded broker;');
    expect(markdown).toContain('| embedded broker | 6.0 |');
    expect(markdown).toContain('synthetic world of 500 citizens, seed 20171006');
    expect(markdown).toContain('### Method');
    expect(markdown).toContain('### Details');
    expect(markdown).not.toContain('### Failures');
    expect(markdown).not.toContain('> **');
    expect(markdown.trimEnd().endsWith('npm run bench -- --scenario fan-out\n```')).toBe(true);
    expect(markdown).toContain('npm run bench -- --scenario fan-out --citizens 500');
  });

  it('says up front what did not complete, what failed and what could not be measured, with the details below', () => {
    const markdown = renderFanOutSection(
      input([kafka, { transport: 'embedded', ok: false, error: 'the stack did not start:\npln exited with code 1 before it was ready' }]),
    );
    expect(markdown).toContain(
      '> **Kafka (librdkafka mock cluster): 3 of 98 applications did not complete** (2 still open, 1 REJECTED); their times are not in the percentiles.',
    );
    expect(markdown).toContain('> **Kafka (librdkafka mock cluster): 2 submits failed**');
    expect(markdown).toContain('> Kafka (librdkafka mock cluster): submits (4.9/s) outpaced the fan-out (2.5 applications/s completed)');
    expect(markdown).toContain('1 messages on the read topics were not valid events');
    expect(markdown).toContain('> **embedded broker: not measured.** the stack did not start: (details under “Failures”).');
    expect(markdown).toContain('### Failures');
    expect(markdown).toContain('failed submits: timeout 2. First failing answers:');
    expect(markdown).toContain('pln exited with code 1 before it was ready');
    expect(markdown.indexOf('### Failures')).toBeLessThan(markdown.indexOf('### Reproduce'));
  });

  it('warns when other processes took more than the quiet share of the CPU during a run', () => {
    const markdown = renderFanOutSection(input([{ ...embedded, otherCpu: 0.21 }, { ...kafka, otherCpu: 0.15 }]));
    expect(markdown).toContain('> **embedded broker: other work shared the machine**: processes outside the bench and PostgreSQL used 21% of its CPU');
    expect(markdown).not.toContain('Kafka (librdkafka mock cluster): other work');
  });

  it('gives the command once when the run was already this scenario alone', () => {
    const alone = { ...input([embedded]), reproduce: 'npm run bench -- --scenario fan-out' };
    const markdown = renderFanOutSection(alone);
    expect(markdown.match(/npm run bench -- --scenario fan-out/g)).toHaveLength(1);
    expect(markdown).not.toContain('# only this scenario');
  });

  it('states a cap on the applications when there was one', () => {
    const capped = input([embedded]);
    capped.settings.maxApplications = 200;
    expect(renderFanOutSection(capped)).toContain('for 20 s or 200 applications, whichever came first, at 4 submits in flight');
  });
});

describe('the open-loop and one-at-a-time runs and the CPU split', () => {
  const usage = (applications: number, ms: number) => ({
    processes: [
      { name: 'applications', cpuMs: (ms * applications) / 2, peakRssMiB: 180 },
      { name: 'PostgreSQL', cpuMs: (ms * applications) / 2, peakRssMiB: undefined },
    ],
    totalCpuMs: ms * applications,
  });
  const openLoopFigures = { ...clean, applications: 200, completed: { count: 200, p50: 300, p99: 700, max: 800 }, completedPerSecond: 9.9 };
  const measured: TransportMeasurement = {
    ...embedded,
    usage: usage(120, 210),
    openLoop: {
      ratePerSecond: 10,
      submits: { ...embedded.submits, responses: 200, elapsedMs: 20_050 },
      figures: openLoopFigures,
      drainMs: 900,
      otherCpu: 0.02,
      usage: usage(200, 150),
    },
    oneAtATime: {
      submits: { ...embedded.submits, responses: 20, failed: 1, failures: { 'graphql-errors': 1 }, failureSamples: ['200 {"errors":[…]}'] },
      figures: { ...clean, applications: 19, notCompleted: 1, stillOpen: 1, completed: { count: 18, p50: 250, p99: 290, max: 290 } },
    },
  };

  it('puts CPU per completed application beside the saturated figures', () => {
    expect(renderFanOutTable([measured]).split('\n')[2]).toBe('| embedded broker | 6.0 | 5.7 | 0 of 120 | 210 | 1,480 | 830 | 2,951 | 210.0 | 120 | 0 |');
  });

  it('shows the open loop’s scheduled and achieved rates, its latencies under load and its CPU', () => {
    const lines = renderOpenLoopTable([measured, kafka])!.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('| embedded broker | 10.0 | 10.0 | 9.9 | 0 of 200 | 95 | 20 | 48 | 300 | 700 | 150.0 | 0 |');
    expect(renderOpenLoopTable([kafka])).toBeUndefined();
  });

  it('shows one at a time: released tasks assigned and COMPLETED percentiles, and what failed', () => {
    const lines = renderOneAtATimeTable([measured])!.split('\n');
    expect(lines[2]).toBe('| embedded broker | 19 | **1 of 20** | 40 | 95 | 20 | 48 | 250 | 290 | **1** (1 still open) |');
  });

  it('splits CPU per completed application by process for both runs', () => {
    const lines = renderFanOutUsage([measured, { transport: 'kafka', ok: false, error: 'x' }])!.split('\n');
    expect(lines[0]).toBe('| process: CPU ms per completed application (share) · peak RSS | embedded broker, saturated | embedded broker, open loop |');
    expect(lines[2]).toBe('| all processes | **210.0** | **150.0** |');
    expect(lines[3]).toBe('| applications | 105.0 (50%) · 180 MiB | 75.0 (50%) · 180 MiB |');
    expect(renderFanOutUsage([kafka])).toBeUndefined();
  });

  it('puts the runs in the section, and what did not complete or failed in them up front', () => {
    const settings = { ...input([measured]).settings, openLoopRate: 10, oneAtATime: 20 };
    const markdown = renderFanOutSection({ ...input([measured]), settings });
    expect(markdown).toContain('### Open loop at 10.0 applications/s (below saturation)');
    expect(markdown).toContain('### One application at a time');
    expect(markdown).toContain('### CPU and memory per process');
    expect(markdown).toContain('> **embedded broker, one at a time: 1 of 19 applications did not complete** (1 still open).');
    expect(markdown).toContain('> **embedded broker, one at a time: 1 submits failed**');
    expect(markdown).toContain('**embedded broker, one at a time** — failed submits: graphql-errors 1.');
    expect(markdown).toContain('- **Open loop**: after the saturated run');
    expect(markdown).toContain('- **One at a time**: first, on the quiet stack, 20 applications');
  });
});
