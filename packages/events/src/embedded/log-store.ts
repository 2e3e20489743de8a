import { EventEmitter } from 'node:events';
import { mkdir, open, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ReplayPosition } from '../transport';
import { PartitionLog, type NewRecord, type StoredRecord } from './partition-log';

export const DEFAULT_PARTITIONS = 4;

/** Kafka's legal topic (and, here, group) names; also safe as file names. */
const NAME_PATTERN = /^(?!\.{1,2}$)[a-zA-Z0-9._-]{1,249}$/;

export class StoreError extends Error {
  constructor(
    readonly code: 'INVALID_NAME' | 'FENCED' | 'INVALID_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

export interface FetchPosition {
  topic: string;
  partition: number;
  offset: number;
}

export interface FetchedRecord extends StoredRecord {
  topic: string;
  partition: number;
}

interface Topic {
  name: string;
  partitions: PartitionLog[];
}

interface GroupState {
  generation: number;
  offsets: Map<string, Map<number, number>>;
  changes: number;
  persisted: number;
  writing?: Promise<void>;
}

interface GroupFile {
  generation: number;
  offsets: Record<string, Record<string, number>>;
}

export interface LogStoreOptions {
  dataDir: string;
  /** Partitions of an auto-created topic (default 4). */
  partitions?: number;
  /** fdatasync every append and commit before acknowledging it (default true). */
  sync?: boolean;
}

/** FNV-1a (32-bit) of the key: a stable key → partition mapping across restarts. */
export function partitionForKey(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/**
 * The embedded broker's storage: per topic-partition append-only logs and per consumer group the
 * committed offsets, all under one data directory:
 *   topics/<topic>/meta.json, topics/<topic>/<partition>.log
 *   groups/<group>.json   { generation, offsets: { topic: { partition: offset } } }
 * A group file is replaced atomically (write, fsync, rename). Each consumer group has a generation;
 * a consumer joining, or a replay, starts a new one, and commits from an older generation are
 * refused (FENCED): one active consumer per group.
 */
export class EmbeddedLogStore {
  private readonly topics = new Map<string, Promise<Topic>>();
  private readonly groups = new Map<string, Promise<GroupState>>();
  private readonly appended = new EventEmitter();
  private roundRobin = 0;

  private constructor(private readonly options: Required<LogStoreOptions>) {
    this.appended.setMaxListeners(0);
  }

  static async open(options: LogStoreOptions): Promise<EmbeddedLogStore> {
    const resolved = { partitions: DEFAULT_PARTITIONS, sync: true, ...options };
    await mkdir(join(resolved.dataDir, 'topics'), { recursive: true });
    await mkdir(join(resolved.dataDir, 'groups'), { recursive: true });
    return new EmbeddedLogStore(resolved);
  }

  /** A topic, created with the default partition count on first use (like Kafka's auto-create). */
  topic(name: string): Promise<Topic> {
    checkName('topic', name);
    let topic = this.topics.get(name);
    if (!topic) {
      topic = this.loadTopic(name);
      this.topics.set(name, topic);
      topic.catch(() => this.topics.delete(name));
    }
    return topic;
  }

  private async loadTopic(name: string): Promise<Topic> {
    const dir = join(this.options.dataDir, 'topics', name);
    const metaPath = join(dir, 'meta.json');
    let partitionCount: number;
    try {
      partitionCount = (JSON.parse(await readFile(metaPath, 'utf8')) as { partitions: number }).partitions;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      partitionCount = this.options.partitions;
      await mkdir(dir, { recursive: true });
      await writeFileDurably(metaPath, JSON.stringify({ partitions: partitionCount }), this.options.sync);
    }
    const opened = await Promise.allSettled(
      Array.from({ length: partitionCount }, (_, partition) =>
        PartitionLog.open(join(dir, `${partition}.log`), {
          sync: this.options.sync,
          onAppend: () => this.appended.emit(`${name}/${partition}`),
        }),
      ),
    );
    const failed = opened.find((result) => result.status === 'rejected');
    const partitions = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    if (failed) {
      // One partition unreadable (a corrupt record): the topic is not served, and the partitions that
      // did open are closed now rather than left to the garbage collector (DEP0137).
      await Promise.all(partitions.map((log) => log.close()));
      throw failed.reason;
    }
    return { name, partitions };
  }

  /** Every topic that has been published to (or described), by name. */
  async listTopics(): Promise<string[]> {
    const onDisk = await readdir(join(this.options.dataDir, 'topics'), { withFileTypes: true });
    return [...new Set([...onDisk.filter((entry) => entry.isDirectory()).map((entry) => entry.name), ...this.topics.keys()])].sort();
  }

  async describe(name: string): Promise<Array<{ partition: number; endOffset: number }>> {
    const topic = await this.topic(name);
    return topic.partitions.map((log, partition) => ({ partition, endOffset: log.endOffset }));
  }

  /** Appends messages (partition = hash(key) % partitions), durably; returns where each landed. */
  async publish(name: string, messages: NewRecord[]): Promise<Array<{ partition: number; offset: number }>> {
    const topic = await this.topic(name);
    const count = topic.partitions.length;
    const byPartition = new Map<number, number[]>();
    messages.forEach((message, index) => {
      const partition = message.key === null ? this.roundRobin++ % count : partitionForKey(message.key, count);
      byPartition.set(partition, [...(byPartition.get(partition) ?? []), index]);
    });
    const placed: Array<{ partition: number; offset: number }> = new Array(messages.length);
    await Promise.all(
      [...byPartition].map(async ([partition, indexes]) => {
        const stored = await topic.partitions[partition]!.append(indexes.map((i) => messages[i]!));
        stored.forEach((record, i) => (placed[indexes[i]!] = { partition, offset: record.offset }));
      }),
    );
    return placed;
  }

  /**
   * Records at or after each position; waits up to `maxWaitMs` for the first one when there are none
   * yet (long poll). Every position gets a fair share of `maxRecords`.
   */
  async fetch(positions: FetchPosition[], options: { maxWaitMs: number; maxRecords: number; signal?: AbortSignal }): Promise<FetchedRecord[]> {
    const logs = await Promise.all(
      positions.map(async (position) => {
        const topic = await this.topic(position.topic);
        const log = topic.partitions[position.partition];
        if (!log) throw new StoreError('INVALID_REQUEST', `${position.topic} has no partition ${position.partition}`);
        return { position, log };
      }),
    );
    const share = Math.max(1, Math.ceil(options.maxRecords / Math.max(positions.length, 1)));
    const collect = () =>
      logs.flatMap(({ position, log }) => log.read(position.offset, share).map((record) => ({ topic: position.topic, partition: position.partition, ...record })));
    const records = collect();
    if (records.length > 0 || options.maxWaitMs <= 0 || options.signal?.aborted) return records;

    await new Promise<void>((resolve) => {
      const events = positions.map((p) => `${p.topic}/${p.partition}`);
      const done = () => {
        clearTimeout(timer);
        for (const event of events) this.appended.off(event, done);
        options.signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, options.maxWaitMs);
      for (const event of events) this.appended.on(event, done);
      options.signal?.addEventListener('abort', done);
    });
    return collect();
  }

  private group(name: string): Promise<GroupState> {
    checkName('consumer group', name);
    let group = this.groups.get(name);
    if (!group) {
      group = this.loadGroup(name);
      this.groups.set(name, group);
      group.catch(() => this.groups.delete(name));
    }
    return group;
  }

  private async loadGroup(name: string): Promise<GroupState> {
    try {
      const file = JSON.parse(await readFile(this.groupPath(name), 'utf8')) as GroupFile;
      const offsets = new Map(
        Object.entries(file.offsets).map(([topic, partitions]) => [topic, new Map(Object.entries(partitions).map(([p, o]) => [Number(p), o]))]),
      );
      return { generation: file.generation, offsets, changes: 0, persisted: 0 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return { generation: 0, offsets: new Map(), changes: 0, persisted: 0 };
    }
  }

  private groupPath(name: string): string {
    return join(this.options.dataDir, 'groups', `${name}.json`);
  }

  /** Starts a new generation of the group: the previous consumer (if any) can no longer commit. */
  async join(groupName: string): Promise<number> {
    const group = await this.group(groupName);
    group.generation += 1;
    await this.persistGroup(groupName, group);
    return group.generation;
  }

  async committed(groupName: string, topics: string[]): Promise<{ generation: number; offsets: FetchPosition[] }> {
    const group = await this.group(groupName);
    const offsets = topics.flatMap((topic) => [...(group.offsets.get(topic) ?? [])].map(([partition, offset]) => ({ topic, partition, offset })));
    return { generation: group.generation, offsets };
  }

  async commit(groupName: string, generation: number, offsets: FetchPosition[]): Promise<void> {
    const group = await this.group(groupName);
    if (generation !== group.generation) {
      throw new StoreError('FENCED', `consumer group ${groupName} has a newer consumer (generation ${group.generation}); this one (generation ${generation}) was fenced`);
    }
    for (const { topic, partition, offset } of offsets) {
      if (!Number.isSafeInteger(offset) || offset < 0) throw new StoreError('INVALID_REQUEST', `invalid offset ${offset}`);
      let partitions = group.offsets.get(topic);
      if (!partitions) group.offsets.set(topic, (partitions = new Map()));
      partitions.set(partition, offset);
    }
    await this.persistGroup(groupName, group);
  }

  /** Moves the group's committed position on `topic` (every partition) and fences its consumer. */
  async seek(groupName: string, topicName: string, from: ReplayPosition): Promise<FetchPosition[]> {
    const [group, topic] = await Promise.all([this.group(groupName), this.topic(topicName)]);
    const offsets = topic.partitions.map((log, partition) => {
      let offset: number;
      if (from === 'earliest') offset = 0;
      else if (from === 'latest') offset = log.endOffset;
      else if ('offset' in from) offset = Math.min(Math.max(Number(from.offset), 0), log.endOffset);
      else offset = log.offsetForTimestamp(from.timestamp);
      if (!Number.isSafeInteger(offset)) throw new StoreError('INVALID_REQUEST', `invalid replay position ${JSON.stringify(from)}`);
      return { topic: topicName, partition, offset };
    });
    group.generation += 1;
    group.offsets.set(topicName, new Map(offsets.map((o) => [o.partition, o.offset])));
    await this.persistGroup(groupName, group);
    return offsets;
  }

  // Commits arriving while the group file is being written are coalesced into the next write; each
  // caller returns once a write containing its change is on disk.
  private async persistGroup(name: string, group: GroupState): Promise<void> {
    const change = ++group.changes;
    while (group.persisted < change) {
      if (!group.writing) {
        const snapshot = group.changes;
        const file: GroupFile = {
          generation: group.generation,
          offsets: Object.fromEntries([...group.offsets].map(([topic, partitions]) => [topic, Object.fromEntries(partitions)])),
        };
        group.writing = writeFileDurably(this.groupPath(name), JSON.stringify(file), this.options.sync)
          .then(() => {
            group.persisted = Math.max(group.persisted, snapshot);
          })
          .finally(() => {
            group.writing = undefined;
          });
      }
      await group.writing;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.groups.values()].map(async (group) => (await group.catch(() => undefined))?.writing?.catch(() => undefined)));
    const topics = await Promise.all([...this.topics.values()].map((topic) => topic.catch(() => undefined)));
    await Promise.all(topics.flatMap((topic) => topic?.partitions.map((log) => log.close()) ?? []));
    this.topics.clear();
    this.groups.clear();
  }
}

function checkName(kind: string, name: string): void {
  if (!NAME_PATTERN.test(name)) throw new StoreError('INVALID_NAME', `invalid ${kind} name ${JSON.stringify(name)}: use 1-249 of [a-zA-Z0-9._-]`);
}

/** Replaces a file atomically: write a temporary file, fsync it, rename it over the old one, fsync the directory. */
async function writeFileDurably(path: string, content: string, sync: boolean): Promise<void> {
  const temporary = `${path}.tmp`;
  if (!sync) {
    await writeFile(temporary, content);
  } else {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await rename(temporary, path);
  if (sync) {
    // Make the rename itself durable.
    const directory = await open(dirname(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
  }
}
