import { createHmac } from 'node:crypto';
import { closeSync, createReadStream, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sameHash, type Checkpoint, type CheckpointReading } from './audit-chain';

export const ANCHOR_FILE = 'audit-anchors.log';

/**
 * The signed checkpoints of the chain's head, one JSON line per appended batch in
 * `<AUDIT_ANCHOR_DIR>/audit-anchors.log`, outside the database. Deleting the newest records leaves a
 * consistent chain behind; the checkpoint still names the last record and its hash, and a database
 * administrator can neither edit it nor forge another (each line is signed with a key derived from
 * AUDIT_CHAIN_KEY). Put the directory where the database's administrators cannot write (another
 * volume, ideally write-once). Lines are appended with O_APPEND and synced; a torn last line (a crash
 * mid-write) is ignored, and cut off at the next start.
 */
export class AnchorLog {
  readonly path: string;
  private readonly key: Buffer;
  private lastWritten = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(dir: string, chainKey: string) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, ANCHOR_FILE);
    // Domain-separated from the record hashes: a checkpoint line can never pass for a record.
    this.key = createHmac('sha256', chainKey).update('simpul-audit-checkpoint-v1').digest();
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

  private mac(sequence: number, hash: string, at: string): string {
    return createHmac('sha256', this.key).update(`${sequence}:${hash}:${at}`).digest('hex');
  }

  /** Appends a checkpoint after a batch commits; concurrent batches may finish out of order, so older heads are skipped. */
  append(head: { sequence: number; hash: string }): Promise<void> {
    const write = this.queue.then(async () => {
      if (head.sequence <= this.lastWritten) return;
      const at = new Date().toISOString();
      const line = `${JSON.stringify({ sequence: head.sequence, hash: head.hash, at, mac: this.mac(head.sequence, head.hash, at) })}\n`;
      const file = await open(this.path, 'a', 0o600);
      try {
        await file.write(line);
        await file.datasync();
      } finally {
        await file.close();
      }
      this.lastWritten = head.sequence;
    });
    // One failed write must not block the next ones; the caller still sees its own failure.
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** The newest valid checkpoint, or the first line that does not verify. */
  async read(): Promise<CheckpointReading> {
    if (!existsSync(this.path)) return { latest: null };
    let latest: Checkpoint | null = null;
    let invalid: CheckpointReading['invalid'];
    let pendingTorn: { sequence: number; reason: string } | undefined;
    const lines = createInterface({ input: createReadStream(this.path, 'utf8'), crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber += 1;
      if (pendingTorn !== undefined) {
        // A bad line followed by more lines is not a torn final write.
        invalid ??= { sequence: pendingTorn.sequence, reason: `line ${lineNumber - 1}: ${pendingTorn.reason}` };
        pendingTorn = undefined;
      }
      if (line.trim() === '') continue;
      const checked = this.check(line);
      if ('reason' in checked) {
        pendingTorn = checked;
        continue;
      }
      if (!latest || checked.sequence > latest.sequence) latest = checked;
    }
    if (invalid) return { latest, invalid };
    if (pendingTorn !== undefined && (await this.endsWithNewline())) {
      return { latest, invalid: { sequence: pendingTorn.sequence, reason: `line ${lineNumber}: ${pendingTorn.reason}` } };
    }
    return { latest };
  }

  /** The checkpoint of a line, or why it is not one (with the sequence it claims, 0 when it names none). */
  private check(line: string): Checkpoint | { sequence: number; reason: string } {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { sequence: 0, reason: 'not JSON' };
    }
    const { sequence, hash, at, mac } = (value ?? {}) as Record<string, unknown>;
    if (!Number.isSafeInteger(sequence) || (sequence as number) < 1) return { sequence: 0, reason: 'not a checkpoint' };
    if (typeof hash !== 'string' || typeof at !== 'string' || typeof mac !== 'string') return { sequence: sequence as number, reason: 'not a checkpoint' };
    if (!sameHash(mac, this.mac(sequence as number, hash, at))) return { sequence: sequence as number, reason: `checkpoint ${String(sequence)} has a wrong signature` };
    return { sequence: sequence as number, hash, at };
  }

  private async endsWithNewline(): Promise<boolean> {
    const file = await open(this.path, 'r');
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
}
