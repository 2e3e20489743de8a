import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SUBGRAPHS } from '@simpul/service-kit';
import { REPO_ROOT, runCompose } from '../src/scripts/compose';
import { subgraphModulesDir } from '../src/supergraph/compose-supergraph';

const run = promisify(execFile);
const COMPOSE_SCRIPT = join(__dirname, '..', 'dist', 'scripts', 'compose.js');
const CHECKED_IN = join(__dirname, '..', 'supergraph.graphql');

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'simpul-compose-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the built script the way the root `npm test` does; resolves with its exit code and output. */
async function composeCli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [COMPOSE_SCRIPT, ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A copy of the repository's subgraph SDL, to compose variations of it. */
function copyOfSubgraphSdl(): string {
  const root = mkdtempSync(join(scratch, 'repo-'));
  for (const { name } of SUBGRAPHS) cpSync(subgraphModulesDir(REPO_ROOT, name), subgraphModulesDir(root, name), { recursive: true });
  return root;
}

describe('compose --check', () => {
  it('accepts the checked-in supergraph', async () => {
    const result = await composeCli('--check');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`is up to date (${SUBGRAPHS.length} subgraphs`);
  });

  it('fails on a stale copy, telling how to fix it', async () => {
    const stale = join(scratch, 'stale.graphql');
    writeFileSync(stale, readFileSync(CHECKED_IN, 'utf8').replace('businesses: [Business!]', 'companies: [Business!]'));
    const result = await composeCli('--check', '--supergraph', stale);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stale.graphql is stale: run npm run compose');
  });

  it('fails when the file is missing', async () => {
    const result = await composeCli('--check', '--supergraph', join(scratch, 'absent.graphql'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is missing: run npm run compose');
  });
});

describe('compose', () => {
  it('writes the same supergraph as checked in', () => {
    const out = join(scratch, 'written.graphql');
    const result = runCompose(['--supergraph', out]);
    expect(result).toMatchObject({ exitCode: 0, err: [] });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(CHECKED_IN, 'utf8'));
  });

  it('lists composition errors and exits 1 when subgraphs disagree', () => {
    const root = copyOfSubgraphSdl();
    // Licensing claims a Citizen field dukcapil already owns, with another type: a real conflict.
    writeFileSync(
      join(subgraphModulesDir(root, 'licensing'), 'conflict.graphql'),
      'extend type Citizen @key(fields: "nik") { fullName: Int }\n',
    );
    const out = join(root, 'supergraph.graphql');
    const result = runCompose(['--supergraph', out], root);
    expect(result.exitCode).toBe(1);
    expect(result.err[0]).toMatch(/^Supergraph composition failed with \d+ error\(s\):$/);
    expect(result.err.join('\n')).toMatch(/Citizen\.fullName/);
    expect(() => readFileSync(out)).toThrow();
  });

  it('refuses to leave out a subgraph that has no SDL', () => {
    const root = copyOfSubgraphSdl();
    rmSync(subgraphModulesDir(root, 'police'), { recursive: true });
    const result = runCompose(['--supergraph', join(root, 'supergraph.graphql')], root);
    expect(result.exitCode).toBe(1);
    expect(result.err.join('\n')).toContain('[police] no SDL');
  });
});
