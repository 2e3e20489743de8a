import { createHmac } from 'node:crypto';
import { close, closeSync, createReadStream, existsSync, fdatasync, fstatSync, ftruncateSync, mkdirSync, open as openFile, openSync, readdirSync, readSync, write } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { canonicalJson, sameHash, type Checkpoint, type LogCheckpoints } from './audit-chain';

export const ANCHOR_FILE = 'audit-anchors.log';
const ANCHOR_FILE_PATTERN = /^audit-anchors(\.[A-Za-z0-9_-]{1,64})?\.log$/;

/** The file a writer appends to: one per writer, so replicas sharing the directory never interleave or cut each other's lines. */
export function anchorFileOf(writerId: string | undefined): string {
  return writerId ? `audit-anchors.${writerId}.log` : ANCHOR_FILE;
}

const openAsync = promisify(openFile);
const writeAsync = promisify(write) as (fd: number, text: string) => Promise<unknown>;
const fdatasyncAsync = promisify(fdatasync);
const closeAsync = promisify(close);

export type ChainHead = { sequence: number; hash: string };

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A write nobody waits for any more must not become an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * The signed checkpoints of the chains' heads, one JSON line per write in
 * `<AUDIT_ANCHOR_DIR>/audit-anchors[.<writer>].log`, outside the database. Deleting the newest records
 * of a chain leaves a consistent chain behind; the checkpoint still names its last record and hash,
 * and a database administrator can neither edit it nor forge another (each line is signed with a key
 * derived from AUDIT_CHAIN_KEY). Put the directory where the database's administrators cannot write
 * (another volume, ideally write-once).
 *
 * Writes are grouped: while one line is being written and synced, every head that commits meanwhile
 * waits for the next line, which carries them all. So a checkpoint still precedes every answer (the
 * truncated-tail guarantee), but costs one fdatasync per group instead of one per append. The file
 * stays open between writes. A torn last line (a crash mid-write) is ignored, and cut off at start.
 */
export class AnchorLog {
  readonly dir: string;
  readonly path: string;
  private readonly key: Buffer;
  private readonly legacyKey: Buffer;
  /** The newest head of each chain this writer has committed, and the chains not yet written since. */
  private readonly heads = new Map<number, ChainHead>();
  private readonly dirty = new Set<number>();
  private waiting: Deferred | undefined;
  private writing = false;
  /**
   * The open checkpoint file, kept between writes. A plain descriptor rather than a FileHandle: the
   * log lives as long as its process, and a FileHandle left to garbage collection warns (DEP0137).
   */
  private fd: number | undefined;

  constructor(dir: string, chainKey: string, writerId?: string) {
    mkdirSync(dir, { recursive: true });
    this.dir = dir;
    this.path = join(dir, anchorFileOf(writerId));
    // Domain-separated from the record hashes: a checkpoint line can never pass for a record.
    this.legacyKey = createHmac('sha256', chainKey).update('simpul-audit-checkpoint-v1').digest();
    this.key = createHmac('sha256', chainKey).update('simpul-audit-checkpoint-v2').digest();
    this.dropTornTail();
  }

  /**
   * A crash mid-write leaves a partial last line; the next checkpoint would be glued onto it. It
   * never was a checkpoint, so it is cut off when the service starts.
   */
  private dropTornTail(): void {
    if (!existsSync(this.path)) return;
    const fd = openSync(this.path, 'r+');
    try {
      const { size } = fstatSync(fd);
      const tail = Buffer.alloc(Math.min(size, 64 * 1024));
      readSync(fd, tail, 0, tail.length, size - tail.length);
      if (tail.length === 0 || tail[tail.length - 1] === 0x0a) return;
      const lastNewline = tail.lastIndexOf(0x0a);
      // A partial line longer than the tail read is no torn checkpoint: leave it for verification to report.
      if (lastNewline < 0 && size > tail.length) return;
      ftruncateSync(fd, size - tail.length + lastNewline + 1);
    } finally {
      closeSync(fd);
    }
  }

  private legacyMac(sequence: number, hash: string, at: string): string {
    return createHmac('sha256', this.legacyKey).update(`${sequence}:${hash}:${at}`).digest('hex');
  }

  private mac(heads: Record<string, ChainHead>, at: string): string {
    return createHmac('sha256', this.key).update(canonicalJson({ v: 2, heads, at })).digest('hex');
  }

  /**
   * Checkpoints `head` of `chain` (after its records committed); resolves once a synced line covers
   * it. Heads older than one already known are covered by that one.
   */
  checkpoint(chain: number, head: ChainHead): Promise<void> {
    const known = this.heads.get(chain);
    if (!known || head.sequence > known.sequence) {
      this.heads.set(chain, head);
      this.dirty.add(chain);
    }
    this.waiting ??= deferred();
    const { promise } = this.waiting;
    this.writeNext();
    return promise;
  }

  private writeNext(): void {
    if (this.writing || !this.waiting) return;
    const group = this.waiting;
    this.waiting = undefined;
    const chains = [...this.dirty];
    this.dirty.clear();
    if (chains.length === 0) {
      group.resolve();
      return;
    }
    this.writing = true;
    const heads = Object.fromEntries(chains.sort((a, b) => a - b).map((chain) => [String(chain), this.heads.get(chain)!]));
    this.writeLine(heads)
      .then(group.resolve, (error: unknown) => {
        // Not on disk: the next line must carry these heads again.
        for (const chain of chains) this.dirty.add(chain);
        group.reject(error);
      })
      .finally(() => {
        this.writing = false;
        this.writeNext();
      });
  }

  private async writeLine(heads: Record<string, ChainHead>): Promise<void> {
    const at = new Date().toISOString();
    const line = `${JSON.stringify({ v: 2, heads, at, mac: this.mac(heads, at) })}\n`;
    try {
      this.fd ??= await openAsync(this.path, 'a', 0o600);
      await writeAsync(this.fd, line);
      await fdatasyncAsync(this.fd);
    } catch (error) {
      // Reopen next time: the descriptor may be what failed (volume remounted, file replaced).
      await this.close().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) await closeAsync(fd);
  }

  /** Every writer's checkpoint file in the directory (replicas sharing it each have one). */
  private files(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => ANCHOR_FILE_PATTERN.test(name))
      .sort()
      .map((name) => join(this.dir, name));
  }

  /** The newest valid checkpoint of every chain over all writers' files, or the first line that does not verify. */
  async read(): Promise<LogCheckpoints> {
    const latest = new Map<number, Checkpoint>();
    for (const path of this.files()) {
      const invalid = await this.readFile(path, latest);
      if (invalid) return { latest, invalid };
    }
    return { latest };
  }

  private async readFile(path: string, latest: Map<number, Checkpoint>): Promise<LogCheckpoints['invalid']> {
    let pendingTorn: { chain: number; sequence: number; reason: string } | undefined;
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    let lineNumber = 0;
    const where = (line: number) => (path === this.path ? `line ${line}` : `${path.slice(this.dir.length + 1)} line ${line}`);
    for await (const line of lines) {
      lineNumber += 1;
      if (pendingTorn !== undefined) {
        // A bad line followed by more lines is not a torn final write.
        lines.close();
        return { ...pendingTorn, reason: `${where(lineNumber - 1)}: ${pendingTorn.reason}` };
      }
      if (line.trim() === '') continue;
      const checked = this.check(line);
      if ('reason' in checked) {
        pendingTorn = checked;
        continue;
      }
      for (const checkpoint of checked) {
        const known = latest.get(checkpoint.chain);
        if (!known || checkpoint.sequence > known.sequence) latest.set(checkpoint.chain, { sequence: checkpoint.sequence, hash: checkpoint.hash, at: checkpoint.at });
      }
    }
    if (pendingTorn !== undefined && (await endsWithNewline(path))) return { ...pendingTorn, reason: `${where(lineNumber)}: ${pendingTorn.reason}` };
    return undefined;
  }

  /** The checkpoints of a line, or why it is not one (with the chain and sequence it claims, 0 when it names none). */
  private check(line: string): (Checkpoint & { chain: number })[] | { chain: number; sequence: number; reason: string } {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { chain: 0, sequence: 0, reason: 'not JSON' };
    }
    const fields = (value ?? {}) as Record<string, unknown>;
    return fields.v === 2 ? this.checkLine(fields) : this.checkLegacyLine(fields);
  }

  private checkLine(fields: Record<string, unknown>): (Checkpoint & { chain: number })[] | { chain: number; sequence: number; reason: string } {
    const { heads, at, mac } = fields;
    if (typeof heads !== 'object' || heads === null || Array.isArray(heads) || typeof at !== 'string' || typeof mac !== 'string') {
      return { chain: 0, sequence: 0, reason: 'not a checkpoint' };
    }
    const checkpoints: (Checkpoint & { chain: number })[] = [];
    for (const [chainText, head] of Object.entries(heads as Record<string, unknown>)) {
      const chain = Number(chainText);
      const { sequence, hash } = (head ?? {}) as Record<string, unknown>;
      if (!/^\d{1,5}$/.test(chainText) || !Number.isSafeInteger(sequence) || (sequence as number) < 1 || typeof hash !== 'string') {
        return { chain: 0, sequence: 0, reason: 'not a checkpoint' };
      }
      checkpoints.push({ chain, sequence: sequence as number, hash, at });
    }
    const first = checkpoints[0];
    if (!first) return { chain: 0, sequence: 0, reason: 'not a checkpoint' };
    if (!sameHash(mac, this.mac(heads as Record<string, ChainHead>, at))) {
      return { chain: first.chain, sequence: first.sequence, reason: `the checkpoint of chain ${first.chain} at ${first.sequence} has a wrong signature` };
    }
    return checkpoints;
  }

  /** A line written before the log had chains: chain 0 only. */
  private checkLegacyLine(fields: Record<string, unknown>): (Checkpoint & { chain: number })[] | { chain: number; sequence: number; reason: string } {
    const { sequence, hash, at, mac } = fields;
    if (!Number.isSafeInteger(sequence) || (sequence as number) < 1) return { chain: 0, sequence: 0, reason: 'not a checkpoint' };
    if (typeof hash !== 'string' || typeof at !== 'string' || typeof mac !== 'string') return { chain: 0, sequence: sequence as number, reason: 'not a checkpoint' };
    if (!sameHash(mac, this.legacyMac(sequence as number, hash, at))) {
      return { chain: 0, sequence: sequence as number, reason: `checkpoint ${String(sequence)} has a wrong signature` };
    }
    return [{ chain: 0, sequence: sequence as number, hash, at }];
  }
}

async function endsWithNewline(path: string): Promise<boolean> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await file.close();
  }
}
