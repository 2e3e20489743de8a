import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePortBlock } from '@simpul/cli';
import { REPO_ROOT } from '@simpul/testing';
import { parseStartupOutput, renderStartupSection, renderStartupTable, type StartupRun } from '../report/startup-report';
import type { BenchContext, OwnStackScenario, ScenarioOutcome } from './scenario';

const ID = 'startup';
const TITLE = 'Startup: first npm start on a fresh clone, and a warm start';
/** A first start installs, builds and seeds on a loaded machine: generous. */
const FIRST_START_TIMEOUT_MS = 30 * 60_000;
const WARM_START_TIMEOUT_MS = 5 * 60_000;
const STOP_TIMEOUT_MS = 60_000;
const SHOWN_OUTPUT_LINES = 30;

const run = promisify(execFile);

/**
 * Runs `npm start` in `repo` until it prints "Simpul is ready" (or exits, or the time runs out),
 * then stops it with SIGTERM as a user's Ctrl-C would and waits for every process to exit.
 */
async function timeStart(
  context: BenchContext,
  kind: StartupRun['kind'],
  repo: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<StartupRun> {
  const started = process.hrtime.bigint();
  // Its own process group, so that nothing it started can outlive a failed stop.
  const child = spawn('npm', ['start', '--', ...args], { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const release = context.stopOnInterrupt(async () => {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  });
  let output = '';
  let wallSeconds: number | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<boolean>((resolve) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (wallSeconds === undefined && /Simpul is ready in/.test(output)) {
        wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
        resolve(true);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    void exited.then(() => resolve(false));
    setTimeout(() => resolve(false), timeoutMs).unref();
  });
  const gotReady = await ready;
  context.log(`  ${kind} start: ${gotReady ? `ready after ${wallSeconds!.toFixed(1)} s` : 'did not get ready'}; stopping it`);
  if (child.exitCode === null && child.pid) {
    process.kill(child.pid, 'SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref())]);
    if (!stopped) {
      context.log(`  ${kind} start did not stop within ${STOP_TIMEOUT_MS / 1000} s: killing its process group`);
      process.kill(-child.pid, 'SIGKILL');
      await exited;
    }
  }
  release();
  const phases = parseStartupOutput(output);
  if (gotReady) return { kind, wallSeconds, phases };
  const lines = output.trimEnd().split('\n').slice(-SHOWN_OUTPUT_LINES).join('\n');
  return { kind, wallSeconds: undefined, phases, error: `npm start ${child.exitCode === null ? `was not ready within ${timeoutMs / 1000} s` : `exited with code ${child.exitCode}`}:\n${lines}` };
}

export const startupScenario: OwnStackScenario = {
  id: ID,
  title: TITLE,
  stack: 'own',
  optIn: true,
  async run(context: BenchContext): Promise<ScenarioOutcome> {
    const startedAt = new Date();
    const workspace = await mkdtemp(join(tmpdir(), 'simpul-startup-'));
    const release = context.stopOnInterrupt(() => rm(workspace, { recursive: true, force: true }));
    try {
      const repo = join(workspace, 'simpul');
      const { stdout: commit } = await run('git', ['-C', REPO_ROOT, 'rev-parse', 'HEAD']);
      context.log(`cloning ${REPO_ROOT} (${commit.trim().slice(0, 12)}) into ${repo}`);
      await run('git', ['clone', '--quiet', REPO_ROOT, repo]);
      const args = ['--citizens', String(context.options.citizens), '--base-port', String(await freePortBlock()), '--data-dir', join(workspace, 'data')];
      await context.monitor.settle();
      const otherCpuSince = await context.monitor.watch();
      context.log('first npm start: install, build, seed (minutes)');
      const runs = [await timeStart(context, 'first', repo, args, FIRST_START_TIMEOUT_MS)];
      if (!runs[0]!.error) {
        context.log('warm npm start: the same command again');
        runs.push(await timeStart(context, 'warm', repo, args, WARM_START_TIMEOUT_MS));
      }
      const otherCpu = await otherCpuSince();
      const markdown = renderStartupSection({
        runs,
        machine: context.machine,
        startedAt,
        citizens: context.options.citizens,
        commit: commit.trim(),
        otherCpu,
        quietShare: context.monitor.quietShare,
        reproduce: context.reproduce,
        scenarioId: ID,
      });
      return {
        section: { id: ID, markdown },
        consoleReport: [TITLE, '', renderStartupTable(runs), ...runs.flatMap((entry) => (entry.error ? ['', entry.error] : []))].join('\n'),
        failedRequests: runs.filter((entry) => entry.error).length + (runs.length < 2 ? 1 : 0),
      };
    } finally {
      release();
      await rm(workspace, { recursive: true, force: true });
    }
  },
};
