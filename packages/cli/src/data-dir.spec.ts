import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chooseSeeding,
  DataDirError,
  generateNikHashPepper,
  LOCK_FILE,
  lockDataDir,
  readSeedingRecord,
  SEEDING_RECORD_FILE,
  storesToCreate,
  wipeDataDir,
  writeSeedingRecord,
} from './data-dir';

const defaults = { citizens: 2000, seed: 20171006 };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'simpul-data-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('seeding record', () => {
  it('round-trips through simpul.json, samples included', () => {
    expect(readSeedingRecord(dir)).toBeUndefined();
    writeSeedingRecord(dir, { citizens: 40, seed: 7, seededAt: '2026-01-01T00:00:00.000Z' });
    expect(readSeedingRecord(dir)).toEqual({ citizens: 40, seed: 7, seededAt: '2026-01-01T00:00:00.000Z' });
    const samples = [{ nik: '1408030507760001', fullName: 'Muhammad Yusuf', highlights: ['Passport C6804811 (VALID)'] }];
    writeSeedingRecord(dir, { citizens: 40, seed: 7, seededAt: '2026-01-01T00:00:00.000Z', samples });
    expect(readSeedingRecord(dir)?.samples).toEqual(samples);
  });

  it('keeps the NIK hash pepper, readable by the owner only', () => {
    const nikHashPepper = generateNikHashPepper();
    writeSeedingRecord(dir, { citizens: 40, seed: 7, seededAt: '', nikHashPepper });
    expect(readSeedingRecord(dir)).toEqual({ citizens: 40, seed: 7, seededAt: '', nikHashPepper });
    expect(statSync(join(dir, SEEDING_RECORD_FILE)).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged pepper rather than hashing with another one', () => {
    for (const nikHashPepper of ['short', 42]) {
      writeFileSync(join(dir, SEEDING_RECORD_FILE), JSON.stringify({ citizens: 40, seed: 7, seededAt: '', nikHashPepper }));
      expect(() => readSeedingRecord(dir)).toThrow(/nikHashPepper must be a string of at least 16 characters.*--fresh/);
    }
  });

  it('generates a different random pepper each time, long enough for the services', () => {
    const peppers = new Set(Array.from({ length: 20 }, generateNikHashPepper));
    expect(peppers.size).toBe(20);
    for (const pepper of peppers) expect(pepper).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('forgets samples it cannot read, so they are generated again', () => {
    writeFileSync(join(dir, SEEDING_RECORD_FILE), JSON.stringify({ citizens: 40, seed: 7, seededAt: '', samples: [{ nik: 1408 }] }));
    expect(readSeedingRecord(dir)).toEqual({ citizens: 40, seed: 7, seededAt: '' });
  });

  it('explains a damaged record instead of guessing', () => {
    writeFileSync(join(dir, SEEDING_RECORD_FILE), '{"citizens":"lots"}');
    expect(() => readSeedingRecord(dir)).toThrow(/does not say how the data was seeded.*--fresh/);
    writeFileSync(join(dir, SEEDING_RECORD_FILE), 'not json');
    expect(() => readSeedingRecord(dir)).toThrow(DataDirError);
  });
});

describe('chooseSeeding', () => {
  it('uses the command line, then the defaults, for a new data directory', () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    expect(chooseSeeding(undefined, {}, defaults, dir, now)).toEqual({ citizens: 2000, seed: 20171006, seededAt: '2026-03-01T08:00:00.000Z', fromRecord: false });
    expect(chooseSeeding(undefined, { citizens: 40 }, defaults, dir, now)).toMatchObject({ citizens: 40, seed: 20171006, fromRecord: false });
  });

  it('keeps what the data was seeded with and says which options it ignores', () => {
    const record = { citizens: 2000, seed: 20171006, seededAt: '2026-01-01T00:00:00.000Z', samples: [] };
    const choice = chooseSeeding(record, { citizens: 40, seed: 20171006 }, defaults, '/data');
    expect(choice).toEqual({
      ...record,
      fromRecord: true,
      notice: '/data was seeded with 2000 citizens (seed 20171006); ignoring --citizens 40. Add --fresh to reseed.',
    });
    expect(chooseSeeding(record, { citizens: 2000 }, defaults, '/data').notice).toBeUndefined();
  });
});

describe('lockDataDir', () => {
  it('lets one process hold a data directory and frees it on release', () => {
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a directory held by another live process', () => {
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    expect(() => lockDataDir(dir, process.pid + 1)).toThrow(`in use by another simpul start (pid ${process.pid})`);
  });

  it('takes over a lock left by a process that is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, LOCK_FILE), `${gone}\n`);
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });
});

describe('storesToCreate', () => {
  it('names the services without a database yet', () => {
    mkdirSync(join(dir, 'dukcapil'));
    writeFileSync(join(dir, 'dukcapil', 'PG_VERSION'), '17');
    mkdirSync(join(dir, 'tax'));
    expect(storesToCreate(dir, ['dukcapil', 'tax', 'police'])).toEqual(['tax', 'police']);
  });
});

describe('wipeDataDir', () => {
  it('removes the stores and the record but keeps the lock', () => {
    mkdirSync(join(dir, 'dukcapil'));
    writeFileSync(join(dir, 'dukcapil', 'PG_VERSION'), '17');
    mkdirSync(join(dir, 'events'));
    writeFileSync(join(dir, 'events', 'mpp.task.status.v1-0.log'), '');
    writeSeedingRecord(dir, { citizens: 40, seed: 1, seededAt: '' });
    writeFileSync(join(dir, LOCK_FILE), '1\n');
    wipeDataDir(dir, ['events', 'dukcapil', 'tax']);
    expect(existsSync(join(dir, 'dukcapil'))).toBe(false);
    expect(existsSync(join(dir, 'events'))).toBe(false);
    expect(existsSync(join(dir, SEEDING_RECORD_FILE))).toBe(false);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('refuses a directory with files Simpul did not create', () => {
    writeFileSync(join(dir, 'thesis.docx'), 'years of work');
    expect(() => wipeDataDir(dir, ['dukcapil'])).toThrow('refusing to wipe');
    expect(existsSync(join(dir, 'thesis.docx'))).toBe(true);
  });
});
