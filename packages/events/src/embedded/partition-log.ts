import { open, readFile, type FileHandle } from 'node:fs/promises';

export interface StoredRecord {
  offset: number;
  /** Broker append time (ms), never decreasing within a partition. */
  timestamp: number;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

export type NewRecord = Pick<StoredRecord, 'key' | 'value' | 'headers'>;

interface PendingAppend {
  records: NewRecord[];
  resolve(stored: StoredRecord[]): void;
  reject(error: unknown): void;
}

/**
 * One partition of a topic: an append-only file of JSON lines, fully indexed in memory. A record is
 * visible to readers only once it is on disk (written and fdatasync'ed). Concurrent appends are
 * group-committed: one write and one sync for everything queued meanwhile, in arrival order.
 */
export class PartitionLog {
  private readonly records: StoredRecord[];
  private queue: PendingAppend[] = [];
  private flushing = false;
  private size: number;

  private constructor(
    private readonly handle: FileHandle,
    records: StoredRecord[],
    size: number,
    private readonly sync: boolean,
    private readonly onAppend: () => void,
  ) {
    this.records = records;
    this.size = size;
  }

  static async open(path: string, options: { sync: boolean; onAppend: () => void }): Promise<PartitionLog> {
    let content = '';
    try {
      content = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const records: StoredRecord[] = [];
    let validBytes = 0;
    let start = 0;
    // Only complete (newline-terminated) lines are records; a complete line that does not parse is
    // corruption, not a torn write, and must not be silently cut away with everything after it.
    for (let end = content.indexOf('\n'); end !== -1; end = content.indexOf('\n', start)) {
      const line = content.slice(start, end);
      let record: StoredRecord;
      try {
        record = JSON.parse(line) as StoredRecord;
      } catch {
        throw new Error(`${path}: record ${records.length} is corrupt; restore the file or remove the broken record by hand`);
      }
      if (record.offset !== records.length) throw new Error(`${path}: expected offset ${records.length}, found ${record.offset}`);
      records.push(record);
      start = end + 1;
      validBytes += Buffer.byteLength(line, 'utf8') + 1;
    }
    const handle = await open(path, 'a+');
    try {
      // A crash mid-write can leave a torn last line (no newline yet); it was never acknowledged: drop it.
      const { size } = await handle.stat();
      if (size !== validBytes) await handle.truncate(validBytes);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new PartitionLog(handle, records, validBytes, options.sync, options.onAppend);
  }

  get endOffset(): number {
    return this.records.length;
  }

  read(fromOffset: number, max: number): StoredRecord[] {
    return this.records.slice(Math.max(fromOffset, 0), Math.max(fromOffset, 0) + max);
  }

  /** The first offset whose timestamp is at or after `timestamp`, or the end offset. */
  offsetForTimestamp(timestamp: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.records[mid]!.timestamp < timestamp) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  append(records: NewRecord[]): Promise<StoredRecord[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        let offset = this.records.length;
        const timestamp = Math.max(Date.now(), this.records.at(-1)?.timestamp ?? 0);
        const stored = batch.map((pending) =>
          pending.records.map((record) => ({ offset: offset++, timestamp, key: record.key, value: record.value, headers: record.headers })),
        );
        const text = stored
          .flat()
          .map((record) => `${JSON.stringify(record)}\n`)
          .join('');
        try {
          await this.handle.write(text);
          if (this.sync) await this.handle.datasync();
        } catch (error) {
          // Nothing of this batch was acknowledged: cut the file back so offsets stay dense.
          await this.handle.truncate(this.size).catch(() => undefined);
          for (const pending of batch) pending.reject(error);
          continue;
        }
        this.size += Buffer.byteLength(text, 'utf8');
        for (const [index, pending] of batch.entries()) {
          this.records.push(...stored[index]!);
          pending.resolve(stored[index]!);
        }
        this.onAppend();
      }
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.handle.close();
  }
}
