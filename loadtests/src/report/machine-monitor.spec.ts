import { attributeTicks, otherCpuShare, parseMachineStat, parseProcessStat, type ProcessTicks } from './machine-monitor';

describe('parseMachineStat', () => {
  it('counts steal as busy and idle/iowait as idle, ignoring guest time already in user', () => {
    const stat = 'cpu  1000 10 200 5000 40 5 15 30 77 0\ncpu0 500 5 100 2500 20 2 7 15 0 0\nintr 1 2 3\n';
    expect(parseMachineStat(stat)).toEqual({ busy: 1000 + 10 + 200 + 5 + 15 + 30, total: 6300 });
  });

  it('fails loudly without the aggregate line', () => {
    expect(() => parseMachineStat('cpu0 1 2 3 4\n')).toThrow('aggregate');
  });
});

describe('parseProcessStat', () => {
  it('reads ppid and the four CPU time fields', () => {
    const line = '2254 (cat) R 2251 2251 9284 0 -1 4194304 99 0 0 0 7 3 2 1 20 0 1 0 247395 3133440 380';
    expect(parseProcessStat(line)).toEqual({ pid: 2254, ppid: 2251, comm: 'cat', ticks: 13, ownTicks: 10 });
  });

  it('survives command names with spaces and parentheses', () => {
    const line = '77 (node (worker) x) S 1 77 77 0 -1 0 0 0 0 0 40 60 0 0 20 0 1 0 1 1 1';
    expect(parseProcessStat(line)).toMatchObject({ pid: 77, ppid: 1, comm: 'node (worker) x', ticks: 100 });
  });
});

describe('attributeTicks', () => {
  const processes: ProcessTicks[] = [
    { pid: 1, ppid: 0, comm: 'init', ticks: 5, ownTicks: 5 },
    { pid: 100, ppid: 1, comm: 'node', ticks: 10, ownTicks: 10 }, // the bench
    { pid: 101, ppid: 100, comm: 'node', ticks: 20, ownTicks: 20 }, // a subgraph it spawned
    { pid: 102, ppid: 101, comm: 'node', ticks: 3, ownTicks: 3 }, // a grandchild
    { pid: 200, ppid: 1, comm: 'node', ticks: 400, ownTicks: 400 }, // someone else's test
    { pid: 300, ppid: 1, comm: 'postgres', ticks: 50, ownTicks: 50 },
    { pid: 301, ppid: 300, comm: 'postgres', ticks: 7, ownTicks: 7 },
  ];

  it('sums the bench process tree and every postgres process, nothing else', () => {
    expect(attributeTicks(processes, 100)).toEqual({ bench: 33, postgres: 57 });
  });

  it('counts nothing for the bench when its pid is not listed', () => {
    expect(attributeTicks(processes, 999).bench).toBe(0);
  });
});

describe('otherCpuShare', () => {
  const snapshot = (busy: number, total: number, bench: number, postgres: number) => ({
    machine: { busy, total },
    bench,
    postgres,
  });

  it('is the busy time neither the bench nor postgres accounts for, as a share of all CPU time', () => {
    expect(otherCpuShare(snapshot(0, 0, 0, 0), snapshot(150, 200, 80, 20))).toBeCloseTo(0.25);
  });

  it('never goes below zero or above one, and is zero when no time passed', () => {
    expect(otherCpuShare(snapshot(0, 0, 0, 0), snapshot(100, 200, 90, 30))).toBe(0);
    expect(otherCpuShare(snapshot(5, 5, 0, 0), snapshot(5, 5, 0, 0))).toBe(0);
  });
});
