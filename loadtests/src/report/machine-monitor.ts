import { readdir, readFile } from 'node:fs/promises';

// On a shared machine another process's work lands in the figures. Linux's /proc lets the bench
// tell its own CPU use (this process, every process it started, PostgreSQL) from everybody else's,
// so it can wait for a quiet machine before a run and report how much other work ran during it.

export interface MachineTicks {
  /** CPU ticks spent on anything but idle/iowait, VM steal included (time the hypervisor gave elsewhere). */
  busy: number;
  total: number;
}

export interface ProcessTicks {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime + cutime + cstime: its own CPU and that of children it has reaped. */
  ticks: number;
  /** utime + stime: its own CPU only. */
  ownTicks: number;
}

export interface CpuSnapshot {
  machine: MachineTicks;
  /** This process and its descendants. */
  bench: number;
  /** Every `postgres` process: the bench's queries run there, and other users' cannot be told apart. */
  postgres: number;
}

/** The aggregate `cpu` line of /proc/stat. */
export function parseMachineStat(procStat: string): MachineTicks {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  // user nice system idle iowait irq softirq steal [guest guest_nice — already counted in user/nice]
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

/** One /proc/<pid>/stat line; the command name may contain spaces and parentheses. */
export function parseProcessStat(line: string): ProcessTicks {
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`unreadable process stat: ${line.slice(0, 80)}`);
  // Fields after the name, numbered from 3 (state) as in proc(5): ppid is 4, utime..cstime are 14..17.
  const fields = line.slice(close + 2).split(' ');
  const field = (number: number) => Number(fields[number - 3]);
  return {
    pid: Number(line.slice(0, open).trim()),
    ppid: field(4),
    comm: line.slice(open + 1, close),
    ticks: field(14) + field(15) + field(16) + field(17),
    ownTicks: field(14) + field(15),
  };
}

/** CPU ticks of `rootPid` and all its descendants, and of every `postgres` process. */
export function attributeTicks(processes: readonly ProcessTicks[], rootPid: number): { bench: number; postgres: number } {
  const children = new Map<number, ProcessTicks[]>();
  for (const process of processes) {
    const siblings = children.get(process.ppid) ?? [];
    siblings.push(process);
    children.set(process.ppid, siblings);
  }
  let bench = 0;
  const pending = processes.filter((process) => process.pid === rootPid);
  for (let next = pending.pop(); next; next = pending.pop()) {
    bench += next.ticks;
    pending.push(...(children.get(next.pid) ?? []));
  }
  const postgres = processes.filter((process) => process.comm === 'postgres').reduce((sum, process) => sum + process.ticks, 0);
  return { bench, postgres };
}

/** Share of the machine's CPU used by neither the bench nor PostgreSQL between two snapshots (0–1). */
export function otherCpuShare(before: CpuSnapshot, after: CpuSnapshot): number {
  const total = after.machine.total - before.machine.total;
  if (total <= 0) return 0;
  const other =
    after.machine.busy - before.machine.busy - (after.bench - before.bench) - (after.postgres - before.postgres);
  return Math.min(1, Math.max(0, other / total));
}

export async function readProcesses(): Promise<ProcessTicks[]> {
  const entries = await readdir('/proc');
  const processes = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (pid) => {
        try {
          return parseProcessStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
        } catch {
          return undefined; // exited while we were reading
        }
      }),
  );
  return processes.filter((process): process is ProcessTicks => process !== undefined);
}

/** A snapshot of machine and per-owner CPU ticks, or undefined where /proc is not available. */
export async function takeCpuSnapshot(rootPid = process.pid): Promise<CpuSnapshot | undefined> {
  try {
    const [procStat, processes] = await Promise.all([readFile('/proc/stat', 'utf8'), readProcesses()]);
    return { machine: parseMachineStat(procStat), ...attributeTicks(processes, rootPid) };
  } catch {
    return undefined;
  }
}

export interface MachineMonitor {
  /** Other processes' CPU share up to which the machine counts as quiet. */
  readonly quietShare: number;
  /**
   * Sends nothing for at least `sampleMs` (sockets of the previous run close), then keeps waiting,
   * up to `maxWaitMs`, while other processes use more than `quietShare` of the CPU. Resolves to the
   * time waited in seconds and the other processes' share in the last sample (undefined without /proc).
   */
  settle(): Promise<{ waitedSeconds: number; otherCpu: number | undefined }>;
  /** Starts watching; calling the result gives the other processes' share of CPU since then. */
  watch(): Promise<() => Promise<number | undefined>>;
}

export function createMachineMonitor(options: { sampleMs: number; maxWaitMs: number; quietShare: number }): MachineMonitor {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    quietShare: options.quietShare,
    async settle() {
      const started = Date.now();
      for (;;) {
        const before = await takeCpuSnapshot();
        await sleep(options.sampleMs);
        const after = await takeCpuSnapshot();
        const otherCpu = before && after ? otherCpuShare(before, after) : undefined;
        const waited = Date.now() - started;
        if (otherCpu === undefined || otherCpu <= options.quietShare || waited >= options.maxWaitMs) {
          return { waitedSeconds: waited / 1000, otherCpu };
        }
      }
    },
    async watch() {
      const before = await takeCpuSnapshot();
      return async () => {
        const after = await takeCpuSnapshot();
        return before && after ? otherCpuShare(before, after) : undefined;
      };
    },
  };
}
