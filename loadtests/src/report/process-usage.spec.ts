import type { ProcessTicks } from './machine-monitor';
import {
  addUsage,
  cpuMsPer,
  parseRssKiB,
  peakRssOf,
  POSTGRES_PROCESS,
  renderUsageTable,
  tickCounts,
  usageBetween,
  type ResourceUsage,
} from './process-usage';

const tick = (pid: number, comm: string, ownTicks: number, ticks = ownTicks): ProcessTicks => ({ pid, ppid: 1, comm, ticks, ownTicks });

describe('parseRssKiB', () => {
  it('reads VmRSS', () => {
    expect(parseRssKiB('Name:\tnode\nVmHWM:\t  512000 kB\nVmRSS:\t  204800 kB\nThreads:\t11\n')).toBe(204800);
  });

  it('is undefined without it (a zombie)', () => {
    expect(parseRssKiB('Name:\tnode\nState:\tZ (zombie)\n')).toBeUndefined();
  });
});

describe('tickCounts', () => {
  it('counts the metered processes’ own CPU and every postgres process with the backends it reaped', () => {
    const processes = [tick(10, 'node', 30, 500), tick(11, 'node', 7), tick(99, 'node', 1000), tick(300, 'postgres', 5, 80), tick(301, 'postgres', 12)];
    const counts = tickCounts(processes, [
      { name: 'gateway', pid: 10 },
      { name: 'dukcapil', pid: 11 },
      { name: 'gone', pid: 12 },
    ]);
    expect(Object.fromEntries(counts)).toEqual({ gateway: 30, dukcapil: 7, [POSTGRES_PROCESS]: 92 });
  });
});

describe('usageBetween', () => {
  it('turns tick differences into milliseconds, PostgreSQL last, a process missing on either side at 0', () => {
    const before = new Map([[POSTGRES_PROCESS, 100], ['gateway', 10], ['audit', 50]]);
    const after = new Map([[POSTGRES_PROCESS, 130], ['gateway', 60], ['late', 5]]);
    const usage = usageBetween(before, after, new Map([['gateway', 300 * 1024]]), 100);
    expect(usage.processes).toEqual([
      { name: 'gateway', cpuMs: 500, peakRssMiB: 300 },
      { name: 'audit', cpuMs: 0, peakRssMiB: undefined },
      { name: 'late', cpuMs: 0, peakRssMiB: undefined },
      { name: POSTGRES_PROCESS, cpuMs: 300, peakRssMiB: undefined },
    ]);
    expect(usage.totalCpuMs).toBe(800);
  });
});

const usage = (entries: [string, number, number?][]): ResourceUsage => ({
  processes: entries.map(([name, cpuMs, peakRssMiB]) => ({ name, cpuMs, peakRssMiB })),
  totalCpuMs: entries.reduce((sum, [, cpuMs]) => sum + cpuMs, 0),
});

describe('addUsage', () => {
  it('adds CPU, keeps the higher peak, and keeps PostgreSQL last when a process appears later', () => {
    const first = usage([['gateway', 100, 200], [POSTGRES_PROCESS, 50]]);
    const second = usage([['gateway', 40, 250], ['audit', 10, 90], [POSTGRES_PROCESS, 5]]);
    const total = addUsage(addUsage(undefined, first), second);
    expect(total.processes.map((process) => [process.name, process.cpuMs, process.peakRssMiB])).toEqual([
      ['gateway', 140, 250],
      ['audit', 10, 90],
      [POSTGRES_PROCESS, 55, undefined],
    ]);
    expect(total.totalCpuMs).toBe(205);
    expect(peakRssOf(total, 'gateway')).toBe(250);
    expect(peakRssOf(total, 'nobody')).toBeUndefined();
  });
});

describe('cpuMsPer', () => {
  it('divides the total by the units, null for none', () => {
    expect(cpuMsPer(usage([['gateway', 300]]), 100)).toBe(3);
    expect(cpuMsPer(usage([['gateway', 300]]), 0)).toBeNull();
  });
});

describe('renderUsageTable', () => {
  it('gives the total per unit first, then each process with its share and peak memory, n/a without units', () => {
    const table = renderUsageTable(
      [
        { label: 'stock', usage: usage([['stock gateway', 900, 180], [POSTGRES_PROCESS, 100]]), units: 100 },
        { label: 'Simpul', usage: usage([['gateway', 300, 120], ['audit', 200, 400], [POSTGRES_PROCESS, 500]]), units: 200 },
        { label: 'broken', usage: undefined, units: 0 },
      ],
      'request',
    ).split('\n');
    expect(table[0]).toBe('| process: CPU ms per request (share) · peak RSS | stock | Simpul | broken |');
    expect(table[2]).toBe('| all processes | **10.0** | **5.00** | n/a |');
    expect(table[3]).toBe('| stock gateway | 9.00 (90%) · 180 MiB | — | n/a |');
    expect(table[4]).toBe('| gateway | — | 1.50 (30%) · 120 MiB | n/a |');
    expect(table[5]).toBe('| audit | — | 1.00 (20%) · 400 MiB | n/a |');
    expect(table[6]).toBe(`| ${POSTGRES_PROCESS} | 1.00 (10%) | 2.50 (50%) | n/a |`);
  });
});
