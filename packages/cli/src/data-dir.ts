import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleCitizen } from '@simpul/synthetic-data';

/**
 * Records how the stores under a data directory were seeded, and the sample citizens of that world,
 * so later starts show samples that exist whatever their own options (and need not regenerate them);
 * and the directory's NIK hash pepper.
 */
export const SEEDING_RECORD_FILE = 'simpul.json';
/** Holds the pid of the `simpul start` using the directory: two PGlite owners would corrupt it. */
export const LOCK_FILE = 'simpul.pid';

export interface SeedingRecord {
  citizens: number;
  seed: number;
  /** ISO timestamp of the start that first seeded this directory. */
  seededAt: string;
  samples?: SampleCitizen[];
  /**
   * NIK_HASH_PEPPER of the services: generated once per data directory, so the NIK hashes stored in
   * tasks and events stay the same across restarts (and differ between installations).
   */
  nikHashPepper?: string;
}

/** The services' lower bound for NIK_HASH_PEPPER. */
export const MIN_NIK_HASH_PEPPER_LENGTH = 16;

/** A new random pepper: 32 bytes, base64url (43 characters). */
export function generateNikHashPepper(): string {
  return randomBytes(32).toString('base64url');
}

function isSample(value: unknown): value is SampleCitizen {
  const sample = value as Partial<SampleCitizen> | null;
  return (
    typeof sample?.nik === 'string' &&
    typeof sample.fullName === 'string' &&
    Array.isArray(sample.highlights) &&
    sample.highlights.every((h) => typeof h === 'string')
  );
}

export class DataDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataDirError';
  }
}

export function readSeedingRecord(dataDir: string): SeedingRecord | undefined {
  const file = join(dataDir, SEEDING_RECORD_FILE);
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataDirError(`${file} is not valid JSON (${(error as Error).message}); start with --fresh to reseed`);
  }
  const record = parsed as Partial<SeedingRecord>;
  if (!Number.isInteger(record.citizens) || !Number.isInteger(record.seed)) {
    throw new DataDirError(`${file} does not say how the data was seeded (citizens, seed); start with --fresh to reseed`);
  }
  const { nikHashPepper } = record;
  // A new pepper would silently change every hash already handed out: refuse instead of replacing it.
  if (nikHashPepper !== undefined && (typeof nikHashPepper !== 'string' || nikHashPepper.length < MIN_NIK_HASH_PEPPER_LENGTH)) {
    throw new DataDirError(
      `${file}: nikHashPepper must be a string of at least ${MIN_NIK_HASH_PEPPER_LENGTH} characters; restore it, or start with --fresh to reseed with a new one`,
    );
  }
  const samples = Array.isArray(record.samples) && record.samples.every(isSample) ? record.samples : undefined;
  return {
    citizens: record.citizens!,
    seed: record.seed!,
    seededAt: String(record.seededAt ?? ''),
    ...(samples ? { samples } : {}),
    ...(nikHashPepper ? { nikHashPepper } : {}),
  };
}

export function writeSeedingRecord(dataDir: string, record: SeedingRecord): void {
  const { citizens, seed, seededAt, nikHashPepper, samples } = record;
  const file = join(dataDir, SEEDING_RECORD_FILE);
  // It holds the pepper: readable by its owner only.
  writeFileSync(file, `${JSON.stringify({ citizens, seed, seededAt, nikHashPepper, samples }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export interface SeedingChoice extends SeedingRecord {
  /** The data directory already says how it was seeded; the command line cannot change that. */
  fromRecord: boolean;
  /** Human notice when the command line asked for something the existing data does not have. */
  notice?: string;
}

/**
 * What the services seed with (only an empty store is seeded) and the samples are generated from:
 * the record of the first start when there is one, otherwise the command line or the defaults.
 */
export function chooseSeeding(
  record: SeedingRecord | undefined,
  requested: { citizens?: number; seed?: number },
  defaults: { citizens: number; seed: number },
  dataDir: string,
  now = new Date(),
): SeedingChoice {
  if (!record) {
    return {
      citizens: requested.citizens ?? defaults.citizens,
      seed: requested.seed ?? defaults.seed,
      seededAt: now.toISOString(),
      fromRecord: false,
    };
  }
  const ignored: string[] = [];
  if (requested.citizens !== undefined && requested.citizens !== record.citizens) ignored.push(`--citizens ${requested.citizens}`);
  if (requested.seed !== undefined && requested.seed !== record.seed) ignored.push(`--seed ${requested.seed}`);
  const notice =
    ignored.length > 0
      ? `${dataDir} was seeded with ${record.citizens} citizens (seed ${record.seed}); ignoring ${ignored.join(' and ')}. Add --fresh to reseed.`
      : undefined;
  return { ...record, fromRecord: true, ...(notice ? { notice } : {}) };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claims the data directory for this process (creating it); throws if a live `simpul start` holds it. */
export function lockDataDir(dataDir: string, pid = process.pid): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  if (existsSync(file)) {
    const holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    if (Number.isInteger(holder) && holder !== pid && processIsAlive(holder)) {
      throw new DataDirError(
        `${dataDir} is in use by another simpul start (pid ${holder}). Stop it first, or delete ${file} if that process is not Simpul.`,
      );
    }
  }
  writeFileSync(file, `${pid}\n`);
  return {
    release() {
      try {
        if (readFileSync(file, 'utf8').trim() === String(pid)) unlinkSync(file);
      } catch {
        // Already gone.
      }
    },
  };
}

/** Services whose store does not exist yet (no Postgres data directory): they create and seed one. */
export function storesToCreate(dataDir: string, serviceNames: readonly string[]): string[] {
  return serviceNames.filter((name) => !existsSync(join(dataDir, name, 'PG_VERSION')));
}

/**
 * Empties a data directory for `--fresh`, keeping the lock. Refuses a directory that holds anything
 * but Simpul's own files, so a mistyped --data-dir cannot wipe someone's home.
 */
export function wipeDataDir(dataDir: string, serviceNames: readonly string[]): void {
  if (!existsSync(dataDir)) return;
  const known = new Set([SEEDING_RECORD_FILE, LOCK_FILE, ...serviceNames]);
  const entries = readdirSync(dataDir);
  const foreign = entries.filter((entry) => !known.has(entry));
  if (foreign.length > 0) {
    throw new DataDirError(
      `refusing to wipe ${dataDir}: it holds files Simpul did not create (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''})`,
    );
  }
  for (const entry of entries) {
    if (entry !== LOCK_FILE) rmSync(join(dataDir, entry), { recursive: true, force: true });
  }
}
