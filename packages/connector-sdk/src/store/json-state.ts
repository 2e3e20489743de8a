import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';

export interface JsonStateOptions<T> {
  /** The JSON file holding the state; omitted, the state lives in memory only (lost on restart). */
  file?: string;
  schema: z.ZodType<T>;
  /** The state of a new (or in-memory) store. */
  initial: () => T;
}

export class JsonStateError extends Error {
  constructor(
    readonly code: 'STATE_LOCKED' | 'STATE_INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'JsonStateError';
  }
}

/** Files held open by this process: a second JsonState on one of them would overwrite the first. */
const openFiles = new Set<string>();

/**
 * A participant's small state as one JSON document, in memory or in a file (`DATA_DIR`). Every
 * `update` is applied to a copy, written atomically (temporary file, fsync, rename, fsync of the
 * directory) and only then becomes the current state: a crash leaves the old or the new document,
 * never half of one. Updates run one at a time, so a read-check-write inside `change` is atomic.
 * One process owns the file (a `<file>.lock` with its pid); the whole document is rewritten on each
 * change, which suits the thousands of records of a connector, not millions.
 */
export class JsonState<T> {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private current: T,
    private written: string,
    private readonly file: string | undefined,
  ) {}

  static async open<T>(options: JsonStateOptions<T>): Promise<JsonState<T>> {
    if (options.file === undefined) {
      const initial = options.schema.parse(options.initial());
      return new JsonState(initial, JSON.stringify(initial), undefined);
    }
    const file = resolve(options.file);
    await mkdir(dirname(file), { recursive: true });
    await acquireLock(file);
    try {
      const state = await load(file, options);
      return new JsonState(state, JSON.stringify(state), file);
    } catch (error) {
      await releaseLock(file);
      throw error;
    }
  }

  /** Where the state is kept (undefined: in memory). */
  get path(): string | undefined {
    return this.file;
  }

  /** The current state. Treat it as read-only: change it through `update`. */
  get value(): T {
    return this.current;
  }

  /**
   * Applies `change` to a copy of the state, persists the copy (when it differs) and returns what
   * `change` returned. If `change` throws or the write fails, the state stays as it was.
   */
  update<R>(change: (draft: T) => R): Promise<R> {
    const run = async (): Promise<R> => {
      if (this.closed) throw new Error('the state is closed');
      const draft = structuredClone(this.current);
      const result = change(draft);
      const serialized = JSON.stringify(draft);
      if (serialized !== this.written) {
        if (this.file) await writeAtomically(this.file, serialized);
        this.written = serialized;
        this.current = draft;
      }
      return result;
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Waits for pending updates and releases the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.tail;
    this.closed = true;
    if (this.file) await releaseLock(this.file);
  }
}

async function load<T>(file: string, options: JsonStateOptions<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return options.schema.parse(options.initial());
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new JsonStateError('STATE_INVALID', `${file} is not JSON (${(error as Error).message}); fix or move it, it is not overwritten`);
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new JsonStateError('STATE_INVALID', `${file} does not hold the expected state (${issues.join('; ')}); fix or move it, it is not overwritten`);
  }
  return parsed.data;
}

async function writeAtomically(file: string, content: string): Promise<void> {
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const directory = await open(dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function acquireLock(file: string): Promise<void> {
  if (openFiles.has(file)) throw new JsonStateError('STATE_LOCKED', `${file} is already open in this process`);
  const lock = `${file}.lock`;
  try {
    await writeFile(lock, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
    // Our own pid in a lock we do not hold was left by an earlier run (a container restarts as pid 1).
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new JsonStateError('STATE_LOCKED', `${file} is in use by another process (pid ${owner}); one connector per data directory`);
    }
    await writeFile(lock, String(process.pid));
  }
  openFiles.add(file);
}

async function releaseLock(file: string): Promise<void> {
  openFiles.delete(file);
  await rm(`${file}.lock`, { force: true });
}
