import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { JsonState, JsonStateError } from './json-state';

const schema = z.strictObject({ counter: z.number().int(), names: z.array(z.string()) });
const initial = () => ({ counter: 0, names: [] as string[] });

describe('JsonState', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simpul-json-state-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps the state in memory when it has no file', async () => {
    const state = await JsonState.open({ schema, initial });
    expect(state.path).toBeUndefined();
    await expect(state.update((draft) => ++draft.counter)).resolves.toBe(1);
    expect(state.value.counter).toBe(1);
    await state.close();
  });

  it('persists each update and finds it again after a reopen', async () => {
    const file = join(dir, 'nested', 'state.json');
    const state = await JsonState.open({ file, schema, initial });
    await state.update((draft) => {
      draft.counter = 7;
      draft.names.push('PLN');
    });
    await state.close();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ counter: 7, names: ['PLN'] });
    const reopened = await JsonState.open({ file, schema, initial });
    expect(reopened.value).toEqual({ counter: 7, names: ['PLN'] });
    await reopened.close();
  });

  it('leaves the state unchanged when a change throws', async () => {
    const file = join(dir, 'state.json');
    const state = await JsonState.open({ file, schema, initial });
    await state.update((draft) => void (draft.counter = 1));
    await expect(
      state.update((draft) => {
        draft.counter = 99;
        throw new Error('rule broken');
      }),
    ).rejects.toThrow('rule broken');
    expect(state.value.counter).toBe(1);
    await state.close();
    expect(JSON.parse(await readFile(file, 'utf8')).counter).toBe(1);
  });

  it('runs updates one at a time, so read-check-write inside a change is atomic', async () => {
    const state = await JsonState.open({ file: join(dir, 'state.json'), schema, initial });
    const claims = await Promise.all(
      Array.from({ length: 20 }, () =>
        state.update((draft) => {
          if (draft.names.includes('only-once')) return false;
          draft.names.push('only-once');
          return true;
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    await state.close();
  });

  it('refuses a file that is not the expected state, without overwriting it', async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, '{"counter":"seven"}');
    await expect(JsonState.open({ file, schema, initial })).rejects.toMatchObject({ code: 'STATE_INVALID' });
    await writeFile(file, '{not json');
    await expect(JsonState.open({ file, schema, initial })).rejects.toBeInstanceOf(JsonStateError);
    expect(await readFile(file, 'utf8')).toBe('{not json');
  });

  it('lets one owner at a time use a file, and takes over the lock of a process that died', async () => {
    const file = join(dir, 'state.json');
    const state = await JsonState.open({ file, schema, initial });
    await expect(JsonState.open({ file, schema, initial })).rejects.toMatchObject({ code: 'STATE_LOCKED' });
    await state.close();

    // A live process other than this one holds the lock.
    await writeFile(`${file}.lock`, String(process.ppid));
    await expect(JsonState.open({ file, schema, initial })).rejects.toThrow(`pid ${process.ppid}`);

    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await writeFile(`${file}.lock`, dead);
    const taken = await JsonState.open({ file, schema, initial });
    expect(await readFile(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    await taken.close();
  });
});
