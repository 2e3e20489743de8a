import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readProcesses, type ProcessTicks } from './machine-monitor';

// Where the CPU of a request goes: every process of the system under test is read from /proc before
// and after a run (utime + stime), PostgreSQL summed over all its processes (a backend that exited
// was reaped by the postmaster, whose cutime/cstime then hold it), and the resident memory of each
// process sampled during the run. The load generator is not counted: it is not the system.

/** A process whose CPU and memory a scenario reports, e.g. `gateway` or `dukcapil`. */
export interface MeteredProcess {
  name: string;
  pid: number;
}

export interface ProcessUsage {
  name: string;
  cpuMs: number;
  /** Highest resident set sampled during the measurement, MiB; undefined for PostgreSQL or when unreadable. */
  peakRssMiB: number | undefined;
}

export interface ResourceUsage {
  /** In the order metered, PostgreSQL last. */
  processes: ProcessUsage[];
  totalCpuMs: number;
}

/** How PostgreSQL is named in the split (every `postgres` process on the machine). */
export const POSTGRES_PROCESS = 'PostgreSQL';

/** `VmRSS` of /proc/<pid>/status, KiB; undefined when absent (a kernel thread, a zombie). */
export function parseRssKiB(status: string): number | undefined {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** CPU ticks per metered process (its own) and of PostgreSQL (every postgres process, reaped backends included). */
export function tickCounts(processes: readonly ProcessTicks[], metered: readonly MeteredProcess[]): Map<string, number> {
  const byPid = new Map(processes.map((process) => [process.pid, process]));
  const counts = new Map<string, number>();
  for (const { name, pid } of metered) {
    const found = byPid.get(pid);
    if (found) counts.set(name, found.ownTicks);
  }
  counts.set(
    POSTGRES_PROCESS,
    processes.filter((process) => process.comm === 'postgres').reduce((sum, process) => sum + process.ticks, 0),
  );
  return counts;
}

/**
 * What each process used between two tick counts; a process missing from either (it exited or had
 * not started) counts 0 CPU.
 */
export function usageBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  peakRssKiB: ReadonlyMap<string, number>,
  ticksPerSecond: number,
): ResourceUsage {
  const names = [...new Set([...before.keys(), ...after.keys()])].filter((name) => name !== POSTGRES_PROCESS);
  names.push(POSTGRES_PROCESS);
  const processes = names.map((name) => {
    const start = before.get(name);
    const end = after.get(name);
    const rss = peakRssKiB.get(name);
    return {
      name,
      cpuMs: start === undefined || end === undefined ? 0 : ((end - start) / ticksPerSecond) * 1000,
      peakRssMiB: rss === undefined ? undefined : rss / 1024,
    };
  });
  return { processes, totalCpuMs: processes.reduce((sum, process) => sum + process.cpuMs, 0) };
}

/** Two measurements together: CPU added, the higher peak of each process kept. */
export function addUsage(total: ResourceUsage | undefined, next: ResourceUsage): ResourceUsage {
  if (!total) return next;
  const merged = new Map(total.processes.map((process) => [process.name, { ...process }]));
  for (const process of next.processes) {
    const earlier = merged.get(process.name);
    if (!earlier) {
      merged.set(process.name, { ...process });
      continue;
    }
    earlier.cpuMs += process.cpuMs;
    const peaks = [earlier.peakRssMiB, process.peakRssMiB].filter((peak): peak is number => peak !== undefined);
    earlier.peakRssMiB = peaks.length ? Math.max(...peaks) : undefined;
  }
  const processes = [...merged.values()].sort(
    (a, b) => Number(a.name === POSTGRES_PROCESS) - Number(b.name === POSTGRES_PROCESS),
  );
  return { processes, totalCpuMs: total.totalCpuMs + next.totalCpuMs };
}

/** CPU ms per unit of work (a request, an application, a record); null for no units. */
export function cpuMsPer(usage: ResourceUsage, units: number): number | null {
  return units > 0 ? usage.totalCpuMs / units : null;
}

/** The peak RSS of a process by name, MiB (undefined when not metered). */
export function peakRssOf(usage: ResourceUsage | undefined, name: string): number | undefined {
  return usage?.processes.find((process) => process.name === name)?.peakRssMiB;
}

export interface UsageColumn {
  /** e.g. `Simpul, everything on`. */
  label: string;
  usage: ResourceUsage | undefined;
  /** Completed units the usage served (requests, applications, records). */
  units: number;
}

function formatMs(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: value < 10 ? 2 : 1, maximumFractionDigits: value < 10 ? 2 : 1 });
}

/**
 * One row per process, one column per measurement: CPU ms per unit, its share of the column's
 * total, and the peak resident memory; the total row first so the headline figure leads.
 */
export function renderUsageTable(columns: readonly UsageColumn[], unit: string): string {
  const names = [...new Set(columns.flatMap((column) => column.usage?.processes.map((process) => process.name) ?? []))];
  names.sort((a, b) => Number(a === POSTGRES_PROCESS) - Number(b === POSTGRES_PROCESS));
  const cell = (column: UsageColumn, name: string | undefined): string => {
    if (!column.usage || column.units === 0) return 'n/a';
    if (name === undefined) return `**${formatMs(column.usage.totalCpuMs / column.units)}**`;
    const process = column.usage.processes.find((candidate) => candidate.name === name);
    if (!process) return '—';
    const share = column.usage.totalCpuMs > 0 ? Math.round((process.cpuMs / column.usage.totalCpuMs) * 100) : 0;
    const rss = process.peakRssMiB === undefined ? '' : ` · ${Math.round(process.peakRssMiB)} MiB`;
    return `${formatMs(process.cpuMs / column.units)} (${share}%)${rss}`;
  };
  const header = [`process: CPU ms per ${unit} (share) · peak RSS`, ...columns.map((column) => column.label)];
  const rows = [
    [`all processes`, ...columns.map((column) => cell(column, undefined))],
    ...names.map((name) => [name, ...columns.map((column) => cell(column, name))]),
  ];
  const divider = [':---', ...columns.map(() => '---:')];
  return [header, divider, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

let clockTicks: number | undefined;

/** Kernel clock ticks per second (`getconf CLK_TCK`; 100 where it cannot be asked). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export interface UsageMeter {
  /** Ends the measurement: CPU since the meter started, peak RSS sampled meanwhile. */
  stop(): Promise<ResourceUsage>;
}

export type StartUsageMeter = (processes: readonly MeteredProcess[]) => Promise<UsageMeter>;

/** Starts metering `processes` (and PostgreSQL) from /proc, sampling RSS every `sampleMs`. */
export async function startUsageMeter(processes: readonly MeteredProcess[], sampleMs = 500): Promise<UsageMeter> {
  const peaks = new Map<string, number>();
  const sampleRss = async () => {
    await Promise.all(
      processes.map(async ({ name, pid }) => {
        const rss = parseRssKiB(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''));
        if (rss !== undefined) peaks.set(name, Math.max(peaks.get(name) ?? 0, rss));
      }),
    );
  };
  const before = tickCounts(await readProcesses(), processes);
  await sampleRss();
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sampleRss);
  }, sampleMs);
  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      await sampleRss();
      const after = tickCounts(await readProcesses(), processes);
      return usageBetween(before, after, peaks, ticksPerSecond());
    },
  };
}
