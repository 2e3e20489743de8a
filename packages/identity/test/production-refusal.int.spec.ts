import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCTION_REFUSAL } from '../src/identity-env';
import { temporaryDir } from './identity-fixture';

// The built entry, as `npm start` and packages/testing run it (npm run build first).
const ENTRY = join(__dirname, '..', 'dist', 'main.js');

interface Run {
  code: number | null;
  output: string;
}

/** Runs the entry until it exits, or until `until` matches its output (then stops it with SIGTERM). */
function run(env: Record<string, string>, until?: RegExp): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(NODE_ENV|IDENTITY_\w+|LOG_LEVEL|PORT|HOST|DATA_DIR)$/.test(key)));
  const child = spawn(process.execPath, [ENTRY], { env: { ...inherited, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stopping = false;
  return new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the identity provider neither exited nor logged ${String(until)} within 20 s:\n${output}`));
    }, 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!stopping && until?.test(output)) {
        stopping = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('the identity provider entry (dist/main.js) under NODE_ENV=production', () => {
  beforeAll(() => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist; build packages/identity first (npm run build)`);
  });

  it('exits non-zero before serving anything, telling the operator to use Keycloak', async () => {
    const dataDir = temporaryDir();
    try {
      const data = join(dataDir.path, 'identity');
      const { code, output } = await run({ NODE_ENV: 'production', DATA_DIR: data });
      expect(code).toBe(1);
      const fatal = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: number; msg: string })
        .find((record) => record.level === 60);
      expect(fatal?.msg).toContain(PRODUCTION_REFUSAL);
      expect(output).not.toContain('identity ready');
      // Refused before the signing keys were created.
      expect(existsSync(data)).toBe(false);
    } finally {
      dataDir.remove();
    }
  });

  it('starts with IDENTITY_ALLOW_PRODUCTION=true, with a warning', async () => {
    const dataDir = temporaryDir();
    try {
      const { code, output } = await run({ NODE_ENV: 'production', IDENTITY_ALLOW_PRODUCTION: 'true', DATA_DIR: dataDir.path }, /identity ready/);
      expect(output).toMatch(/"level":40[^\n]*IDENTITY_ALLOW_PRODUCTION=true/);
      expect(output).toContain('identity ready');
      expect(code).toBe(0);
    } finally {
      dataDir.remove();
    }
  });
});
