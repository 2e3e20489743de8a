import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { AnchorLog } from './audit-anchors';

const KEY = 'a-chain-key-of-at-least-32-characters!';
const hash = (n: number) => n.toString(16).padStart(64, '0');
const head = (n: number) => ({ sequence: n, hash: hash(n) });
const at = expect.any(String) as unknown as string;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-anchors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AnchorLog', () => {
  it('keeps the newest checkpoint of each chain, skipping heads older than one already written', async () => {
    const log = new AnchorLog(dir, KEY);
    expect(await log.read()).toEqual({ latest: new Map() });
    await Promise.all([log.checkpoint(0, head(3)), log.checkpoint(0, head(9)), log.checkpoint(0, head(5)), log.checkpoint(2, head(4))]);
    expect(await log.read()).toEqual({
      latest: new Map([
        [0, { sequence: 9, hash: hash(9), at }],
        [2, { sequence: 4, hash: hash(4), at }],
      ]),
    });
    // Another process (a restart) reads the same checkpoints.
    expect((await new AnchorLog(dir, KEY).read()).latest.get(0)?.sequence).toBe(9);
    await log.close();
  });

  it('groups the heads that commit while a line is being written into the next line', async () => {
    const log = new AnchorLog(dir, KEY);
    // The first starts a write at once; the next 49 arrive while it is in flight and share one line.
    await Promise.all(Array.from({ length: 50 }, (_, i) => log.checkpoint(i % 5, head(i + 1))));
    const lines = readFileSync(log.path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(Object.keys(JSON.parse(lines[1]!).heads as object)).toEqual(['0', '1', '2', '3', '4']);
    expect((await log.read()).latest.get(4)?.sequence).toBe(50);
    await log.close();
  });

  it('reads every writer\'s file: replicas sharing the directory each append to their own', async () => {
    const first = new AnchorLog(dir, KEY, 'audit-a');
    const second = new AnchorLog(dir, KEY, 'audit-b');
    await first.checkpoint(0, head(7));
    await second.checkpoint(0, head(12));
    await second.checkpoint(1, head(2));
    expect(readdirSync(dir).sort()).toEqual(['audit-anchors.audit-a.log', 'audit-anchors.audit-b.log']);
    const { latest } = await first.read();
    expect(latest.get(0)?.sequence).toBe(12);
    expect(latest.get(1)?.sequence).toBe(2);
    await Promise.all([first.close(), second.close()]);
  });

  it('refuses a checkpoint that is edited, forged or signed with another key', async () => {
    const log = new AnchorLog(dir, KEY);
    await log.checkpoint(0, head(4));
    await log.checkpoint(0, head(8));
    const lines = readFileSync(log.path, 'utf8').split('\n');
    writeFileSync(log.path, lines.join('\n').replace(`"sequence":8`, `"sequence":6`));
    expect(await log.read()).toMatchObject({ invalid: { chain: 0, sequence: 6, reason: 'line 2: the checkpoint of chain 0 at 6 has a wrong signature' } });

    const foreignDir = mkdtempSync(join(tmpdir(), 'audit-anchors-foreign-'));
    const foreign = new AnchorLog(foreignDir, 'the-key-of-another-deployment-entirely');
    await foreign.checkpoint(3, head(12));
    writeFileSync(log.path, `${lines[0]}\n${readFileSync(foreign.path, 'utf8')}`);
    expect((await log.read()).invalid).toMatchObject({ chain: 3, sequence: 12 });
    await Promise.all([log.close(), foreign.close()]);
    rmSync(foreignDir, { recursive: true, force: true });
  });

  it('still reads the checkpoints written before the log had chains, as chain 0', async () => {
    const legacyKey = createHmac('sha256', KEY).update('simpul-audit-checkpoint-v1').digest();
    const written = '2026-11-30T10:00:00.000Z';
    const mac = createHmac('sha256', legacyKey).update(`5:${hash(5)}:${written}`).digest('hex');
    writeFileSync(join(dir, 'audit-anchors.log'), `${JSON.stringify({ sequence: 5, hash: hash(5), at: written, mac })}\n`);
    const log = new AnchorLog(dir, KEY);
    expect(await log.read()).toEqual({ latest: new Map([[0, { sequence: 5, hash: hash(5), at: written }]]) });
    writeFileSync(join(dir, 'audit-anchors.log'), `${JSON.stringify({ sequence: 6, hash: hash(5), at: written, mac })}\n`);
    expect((await log.read()).invalid).toMatchObject({ chain: 0, sequence: 6 });
  });

  it('ignores a torn last line (a crash mid-write), but not garbage followed by more checkpoints', async () => {
    const log = new AnchorLog(dir, KEY);
    await log.checkpoint(0, head(2));
    appendFileSync(log.path, '{"v":2,"heads":{"0":{"seq');
    expect(await log.read()).toEqual({ latest: new Map([[0, { sequence: 2, hash: hash(2), at }]]) });
    // The service starting again cuts the partial line off before appending after it.
    const restarted = new AnchorLog(dir, KEY);
    await restarted.checkpoint(0, head(3));
    expect(await restarted.read()).toEqual({ latest: new Map([[0, { sequence: 3, hash: hash(3), at }]]) });
    appendFileSync(log.path, '{"sequence":4,"ha\n');
    await restarted.checkpoint(0, head(5));
    expect((await log.read()).invalid).toMatchObject({ reason: 'line 3: not JSON' });
    await Promise.all([log.close(), restarted.close()]);
  });
});
