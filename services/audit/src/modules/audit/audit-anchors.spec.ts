import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnchorLog } from './audit-anchors';

const KEY = 'a-chain-key-of-at-least-32-characters!';
const hash = (n: number) => n.toString(16).padStart(64, '0');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-anchors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AnchorLog', () => {
  it('keeps the newest checkpoint, skipping heads older than one already written', async () => {
    const log = new AnchorLog(dir, KEY);
    expect(await log.read()).toEqual({ latest: null });
    await Promise.all([log.append({ sequence: 3, hash: hash(3) }), log.append({ sequence: 9, hash: hash(9) }), log.append({ sequence: 5, hash: hash(5) })]);
    expect(readFileSync(log.path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(await log.read()).toEqual({ latest: { sequence: 9, hash: hash(9), at: expect.any(String) } });
    // Another process (a restart) reads the same checkpoints.
    expect((await new AnchorLog(dir, KEY).read()).latest?.sequence).toBe(9);
  });

  it('refuses a checkpoint that is edited, forged or signed with another key', async () => {
    const log = new AnchorLog(dir, KEY);
    await log.append({ sequence: 4, hash: hash(4) });
    await log.append({ sequence: 8, hash: hash(8) });
    const lines = readFileSync(log.path, 'utf8').split('\n');
    writeFileSync(log.path, lines.join('\n').replace(`"sequence":8`, `"sequence":6`));
    expect(await log.read()).toMatchObject({ invalid: { sequence: 6, reason: 'line 2: checkpoint 6 has a wrong signature' } });

    const foreign = new AnchorLog(mkdtempSync(join(tmpdir(), 'audit-anchors-foreign-')), 'the-key-of-another-deployment-entirely');
    await foreign.append({ sequence: 12, hash: hash(12) });
    writeFileSync(log.path, `${lines[0]}\n${readFileSync(foreign.path, 'utf8')}`);
    expect((await log.read()).invalid).toMatchObject({ sequence: 12 });
    rmSync(join(foreign.path, '..'), { recursive: true, force: true });
  });

  it('ignores a torn last line (a crash mid-write), but not garbage followed by more checkpoints', async () => {
    const log = new AnchorLog(dir, KEY);
    await log.append({ sequence: 2, hash: hash(2) });
    appendFileSync(log.path, '{"sequence":3,"ha');
    expect(await log.read()).toEqual({ latest: { sequence: 2, hash: hash(2), at: expect.any(String) } });
    // The service starting again cuts the partial line off before appending after it.
    const restarted = new AnchorLog(dir, KEY);
    await restarted.append({ sequence: 3, hash: hash(3) });
    expect(await restarted.read()).toEqual({ latest: { sequence: 3, hash: hash(3), at: expect.any(String) } });
    appendFileSync(log.path, '{"sequence":4,"ha\n');
    await restarted.append({ sequence: 5, hash: hash(5) });
    expect((await log.read()).invalid).toMatchObject({ reason: 'line 3: not JSON' });
  });
});
