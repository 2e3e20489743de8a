import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';

export type PortState = 'free' | 'in-use' | 'not-permitted';

/** Whether a server could listen on host:port right now (by briefly listening on it). */
export function probePort(host: string, port: number): Promise<PortState> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve('in-use');
      else if (error.code === 'EACCES') resolve('not-permitted');
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve('free')));
  });
}

/**
 * The ports `simpul start --base-port <base>` takes: the gateway (base), nine subgraphs (base + 1–9),
 * the identity provider (base + 10), the event broker (base + 11), the example participants
 * (base + 21, + 22); the gaps are probed too.
 */
export const STACK_PORTS = 23;

export function portStates(base: number, host = '127.0.0.1'): Promise<PortState[]> {
  return Promise.all(Array.from({ length: STACK_PORTS }, (_, i) => probePort(host, base + i)));
}

/**
 * A base port with the next STACK_PORTS - 1 free too, below Linux's ephemeral range (32768+) so that no
 * outgoing connection or port-0 listener elsewhere on the machine takes one while a stack starts
 * (tests and the bench run `simpul start` beside other stacks).
 */
export async function freePortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const states = await portStates(base);
    if (states.every((state) => state === 'free')) return base;
  }
  throw new Error(`no block of ${STACK_PORTS} free ports found`);
}

export interface PortClaim {
  port: number;
  /** The Simpul process that should own the port, e.g. "tax subgraph". */
  owner: string;
  /** Where that process listens when not on the stack's host (the event broker stays on loopback). */
  host?: string;
}

export interface BusyPort extends PortClaim {
  state: Exclude<PortState, 'free'>;
  /** Who holds it, when the system tells us (Linux /proc), e.g. "pid 4242: node services/tax/dist/index.js". */
  holder?: string;
}

export async function findBusyPorts(host: string, claims: readonly PortClaim[]): Promise<BusyPort[]> {
  const states = await Promise.all(claims.map((claim) => probePort(claim.host ?? host, claim.port)));
  const busy: BusyPort[] = [];
  claims.forEach((claim, index) => {
    const state = states[index];
    if (state === undefined || state === 'free') return;
    const holder = state === 'in-use' ? describePortHolder(claim.port) : undefined;
    busy.push({ ...claim, state, ...(holder ? { holder } : {}) });
  });
  return busy;
}

export function formatBusyPorts(host: string, busy: readonly BusyPort[]): string {
  const lines = busy.map((entry) => {
    const problem = entry.state === 'in-use' ? 'is already in use' : 'may not be used by this user';
    const holder = entry.holder ? ` (held by ${entry.holder})` : '';
    return `  port ${entry.port} on ${entry.host ?? host} ${problem}${holder}; the ${entry.owner} needs it`;
  });
  const hint =
    busy.some((entry) => entry.state === 'in-use')
      ? 'Another `simpul start` (or a service started by hand) is probably still running; stop it and try again.'
      : 'Use ports above 1023.';
  return [`Cannot start: ${busy.length === 1 ? 'a port is' : 'ports are'} not available.`, ...lines, hint].join('\n');
}

/**
 * Best effort, Linux only: finds the process listening on a TCP port through /proc (the socket's
 * inode in /proc/net/tcp{,6}, then which process has that inode open). Undefined when unknown.
 */
export function describePortHolder(port: number, procRoot = '/proc'): string | undefined {
  try {
    const inodes = new Set<string>();
    for (const table of ['net/tcp', 'net/tcp6']) {
      let text: string;
      try {
        text = readFileSync(`${procRoot}/${table}`, 'utf8');
      } catch {
        continue;
      }
      for (const inode of listeningSocketInodes(text, port)) inodes.add(inode);
    }
    if (inodes.size === 0) return undefined;
    for (const pid of readdirSync(procRoot)) {
      if (!/^\d+$/.test(pid)) continue;
      let fds: string[];
      try {
        fds = readdirSync(`${procRoot}/${pid}/fd`);
      } catch {
        continue; // another user's process, or it just exited
      }
      for (const fd of fds) {
        let target: string;
        try {
          target = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const match = /^socket:\[(\d+)\]$/.exec(target);
        if (match?.[1] && inodes.has(match[1])) return `pid ${pid}: ${commandLine(procRoot, pid)}`;
      }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const TCP_LISTEN = '0A';

/** Inodes of sockets listening on `port` in a /proc/net/tcp-format table. */
export function listeningSocketInodes(table: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, localAddress, , state] = fields;
    const inode = fields[9];
    if (!localAddress || state !== TCP_LISTEN || !inode) continue;
    const hexPort = localAddress.split(':').pop();
    if (hexPort && Number.parseInt(hexPort, 16) === port) inodes.push(inode);
  }
  return inodes;
}

function commandLine(procRoot: string, pid: string): string {
  try {
    const text = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return text.length > 120 ? `${text.slice(0, 117)}...` : text || 'unknown command';
  } catch {
    return 'unknown command';
  }
}
