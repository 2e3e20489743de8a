import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExit, ManagedProcess } from './managed-process';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simpul-process-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

describe('ManagedProcess', () => {
  it('hands over every output line, stdout and stderr, before reporting the exit', async () => {
    const lines: string[] = [];
    const child = new ManagedProcess(
      { name: 'tax', cwd: dir, env: { ...process.env, GREETING: 'halo' }, script: script('talk.js', "console.log(process.env.GREETING); console.error('oops'); process.exit(3);") },
      (line) => lines.push(line),
    );
    const status = await child.exited;
    expect(status).toEqual({ code: 3, signal: null });
    expect(lines.sort()).toEqual(['halo', 'oops']);
    expect(child.recentLines().sort()).toEqual(['halo', 'oops']);
    expect(child.running).toBe(false);
    expect(describeExit(status)).toBe('exited with code 3');
  });

  it('stops a process with SIGTERM', async () => {
    const child = new ManagedProcess(
      { name: 'police', cwd: dir, env: process.env, script: script('serve.js', "console.log('up'); setInterval(() => {}, 1000);") },
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(child.running).toBe(true);
    expect(await child.stop(5000)).toBe('stopped');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const lines: string[] = [];
    const child = new ManagedProcess(
      {
        name: 'stubborn',
        cwd: dir,
        env: process.env,
        script: script('stubborn.js', "process.on('SIGTERM', () => console.log('not now')); console.log('up'); setInterval(() => {}, 1000);"),
      },
      (line) => lines.push(line),
    );
    while (!lines.includes('up')) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    expect(await child.stop(300)).toBe('killed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(lines).toContain('not now');
  });

  it('keeps only the most recent lines', async () => {
    const child = new ManagedProcess(
      { name: 'chatty', cwd: dir, env: process.env, script: script('chatty.js', 'for (let i = 1; i <= 100; i++) console.log(`line ${i}`);') },
      () => undefined,
    );
    await child.exited;
    expect(child.recentLines(3)).toEqual(['line 98', 'line 99', 'line 100']);
  });
});
