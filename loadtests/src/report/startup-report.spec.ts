import { parseStartupOutput, renderStartupSection, renderStartupTable, slowestSeeding, type StartupRun } from './startup-report';

const FIRST = [
  'simpul: npm dependencies installed in 41.3 s',
  'simpul: built in 132.8 s',
  'identity      ready in 1.9 s',
  'events        ready in 0.8 s',
  '\u001b[32mdukcapil\u001b[0m      ready in 21.4 s (demo data seeded)',
  'tax           ready in 24.0 s (demo data seeded)',
  'gateway       ready in 2.2 s',
  '\u001b[32m\u001b[1mSimpul is ready\u001b[22m\u001b[39m in 31.6 s',
].join('\n');

const WARM = ['simpul: built in 3.1 s', 'dukcapil      ready in 4.2 s (existing data)', 'tax           ready in 4.4 s (existing data)', 'Simpul is ready in 8.9 s'].join('\n');

describe('parseStartupOutput', () => {
  it('reads each phase of a first start, colours or not', () => {
    const phases = parseStartupOutput(FIRST);
    expect(phases).toMatchObject({ installSeconds: 41.3, buildSeconds: 132.8, readySeconds: 31.6 });
    expect(phases.services).toEqual([
      { name: 'identity', seconds: 1.9, detail: undefined },
      { name: 'events', seconds: 0.8, detail: undefined },
      { name: 'dukcapil', seconds: 21.4, detail: 'demo data seeded' },
      { name: 'tax', seconds: 24, detail: 'demo data seeded' },
      { name: 'gateway', seconds: 2.2, detail: undefined },
    ]);
    expect(slowestSeeding(phases)).toEqual({ name: 'tax', seconds: 24, detail: 'demo data seeded' });
  });

  it('has no install and no seeding on a warm start', () => {
    const phases = parseStartupOutput(WARM);
    expect(phases.installSeconds).toBeUndefined();
    expect(phases.buildSeconds).toBe(3.1);
    expect(slowestSeeding(phases)).toBeUndefined();
  });
});

describe('renderStartupTable and renderStartupSection', () => {
  const runs: StartupRun[] = [
    { kind: 'first', wallSeconds: 212.4, phases: parseStartupOutput(FIRST) },
    { kind: 'warm', wallSeconds: 13.2, phases: parseStartupOutput(WARM) },
  ];

  it('gives each phase per run and the wall clock in bold', () => {
    const lines = renderStartupTable(runs).split('\n');
    expect(lines[0]).toBe('| phase, seconds | first start (fresh clone) | warm start (data and build kept) |');
    expect(lines[2]).toBe('| npm install | 41.3 | — (nothing to install) |');
    expect(lines[3]).toBe('| build (turbo) | 132.8 | 3.1 |');
    expect(lines[4]).toBe('| start → “Simpul is ready” (CLI) | 31.6 | 8.9 |');
    expect(lines[5]).toBe('| … of which the slowest seeding | 24.0 (tax) | — (existing data) |');
    expect(lines[6]).toBe('| **`npm start` → ready, wall clock** | **212.4** | **13.2** |');
  });

  it('calls out a start that never got ready, with what it printed', () => {
    const failed: StartupRun[] = [runs[0]!, { kind: 'warm', wallSeconds: undefined, phases: parseStartupOutput(''), error: 'tax exited with code 1' }];
    const markdown = renderStartupSection({
      runs: failed,
      machine: { cpuModel: 'Test CPU', cores: 2, memoryGiB: 8, nodeVersion: 'v24.0.0', os: 'Linux test x64' },
      startedAt: new Date('2026-12-07T10:00:00Z'),
      citizens: 2000,
      commit: '0123456789abcdef',
      otherCpu: 0.02,
      quietShare: 0.15,
      reproduce: 'npm run bench -- --scenario startup',
      scenarioId: 'startup',
    });
    expect(markdown).toContain('> **The warm start did not get ready.**');
    expect(markdown).toContain('| **`npm start` → ready, wall clock** | **212.4** | **did not get ready** |');
    expect(markdown).toContain('| tax | 24.0 (demo data seeded) | n/a |');
    expect(markdown).toContain('tax exited with code 1');
    expect(markdown).toContain('committed HEAD (0123456789ab)');
    expect(markdown).not.toContain('Other work shared the machine');
    expect(markdown.match(/npm run bench -- --scenario startup/g)).toHaveLength(1);
  });
});
