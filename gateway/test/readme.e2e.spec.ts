import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateWorld, type SyntheticCitizen } from '@simpul/synthetic-data';
import { REPO_ROOT, startStack, type Stack } from '@simpul/testing';

// The README's shell examples, run as written against a whole stack (identity, audit, purposes all
// on): each block's `VAR=$(npm run -s simpul -- …)`, `npm run simpul -- …` and `curl` lines, with
// the README's placeholders filled in and 127.0.0.1:4000 / :4010 pointed at this stack. A README
// example that stops working, or a new one nobody runs, fails here.

const WORLD = { citizens: 40, seed: 20261207 };
const world = generateWorld(WORLD);
const run = promisify(execFile);

let stack: Stack;
let readmeBlocks: string[];

beforeAll(async () => {
  readmeBlocks = [...(await readFile(join(REPO_ROOT, 'README.md'), 'utf8')).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  stack = await startStack({ ...WORLD, engine: 'postgres', logLevel: 'warn', participants: false });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

const age = (c: SyntheticCitizen) => (Date.now() - new Date(c.birthDate).getTime()) / (365.25 * 86_400_000);
/** The README's `<a sample NIK>`: an adult, as `npm start` prints. */
const sample = world.citizens.find((c) => age(c) >= 21 && age(c) < 60)!;

/** What a block's `curl` answered, and what its `npm run simpul` lines exited with. */
interface CurlResult {
  url: string;
  status: number;
  response: Response;
}

/** A `curl` line as fetch arguments: its URL (pointed at this stack), `-H` headers and `-d` body. */
function parseCurl(command: string): { url: string; headers: Record<string, string>; body?: string } {
  const url = /curl -\w+ (http:\/\/\S+)/.exec(command)?.[1];
  if (!url) throw new Error(`no URL in ${command}`);
  const headers = Object.fromEntries([...command.matchAll(/-H (['"])([^:]+): ([^'"]*)\1/g)].map((m) => [m[2]!, m[3]!]));
  const body = /-d '([\s\S]*?)'/.exec(command)?.[1];
  return { url: url.replace('http://127.0.0.1:4000', new URL(stack.gatewayUrl).origin), headers, ...(body ? { body } : {}) };
}

/**
 * `npm run -s simpul -- <args>`, really through npm and scripts/simpul.sh (whose build must keep
 * stdout clean for `$(…)`), pointed at this stack's identity provider and gateway.
 */
async function runSimpul(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const pointed = [...args];
  if (args[0] === 'token') pointed.push('--issuer', stack.identity!.issuer);
  if (args[0] === 'audit') pointed.push('--url', stack.gatewayUrl);
  try {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'simpul', '--', ...pointed], { cwd: REPO_ROOT, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/**
 * A block's commands, as a shell reads them: lines joined at `\` continuations and inside quotes,
 * comments (` # …` outside quotes) dropped.
 */
function commandsOf(block: string): string[] {
  const commands: string[] = [];
  let quote: string | undefined;
  let comment = false;
  let current = '';
  for (const c of block.replace(/\\\n\s*/g, ' ')) {
    if (c === '\n' && !quote) {
      commands.push(current.trim());
      current = '';
      comment = false;
      continue;
    }
    if (comment) continue;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (current === '' || /\s$/.test(current))) {
      comment = true;
      continue;
    }
    current += c;
  }
  commands.push(current.trim());
  return commands.filter((command) => command !== '');
}

const SIMPUL = /^npm run (?:-s )?simpul -- (.+)$/;

/**
 * Runs the README's sh block containing `marker`, line by line, as a shell would for what it uses:
 * variables (`VAR=$(…)`, `$VAR`), command substitution of `npm run -s simpul -- …`, `npm run simpul`
 * and `curl`. `fill` replaces the README's placeholders.
 */
async function runReadmeBlock(marker: string, fill: Record<string, string> = {}): Promise<{ curls: CurlResult[]; simpul: { args: string[]; code: number; stdout: string; stderr: string }[]; vars: Record<string, string> }> {
  const block = readmeBlocks.find((text) => text.includes(marker));
  if (!block) throw new Error(`no sh block with ${marker} in README.md`);
  const vars: Record<string, string> = {};
  const curls: CurlResult[] = [];
  const simpul: { args: string[]; code: number; stdout: string; stderr: string }[] = [];
  const substitute = async (text: string): Promise<string> => {
    let out = text;
    for (const [placeholder, value] of Object.entries(fill)) out = out.split(placeholder).join(value);
    for (const match of [...out.matchAll(/"?\$\((npm run -s simpul -- [^)]+)\)"?/g)]) {
      const args = SIMPUL.exec(match[1]!)![1]!.split(/\s+/);
      const result = await runSimpul(args);
      simpul.push({ args, ...result });
      if (result.code !== 0) throw new Error(`\`${match[1]}\` exited ${result.code}: ${result.stderr}`);
      out = out.replace(match[0], result.stdout.trim());
    }
    return out.replace(/\$([A-Z_]+)/g, (whole, name: string) => vars[name] ?? whole);
  };
  for (const line of commandsOf(block)) {
    const assignment = /^([A-Z_]+)=(.*)$/.exec(line);
    if (assignment) {
      vars[assignment[1]!] = await substitute(assignment[2]!);
      continue;
    }
    const command = await substitute(line);
    const simpulCommand = SIMPUL.exec(command);
    if (simpulCommand) {
      const args = simpulCommand[1]!.match(/"[^"]*"|\S+/g)!.map((arg) => arg.replace(/^"|"$/g, ''));
      simpul.push({ args, ...(await runSimpul(args)) });
      continue;
    }
    if (!command.startsWith('curl ')) throw new Error(`the README test does not know how to run: ${command}`);
    const curl = parseCurl(command);
    const response = await fetch(curl.url, { method: curl.body ? 'POST' : 'GET', headers: curl.headers, ...(curl.body ? { body: curl.body } : {}) });
    curls.push({ url: curl.url, status: response.status, response });
  }
  return { curls, simpul, vars };
}

async function json<T>(result: CurlResult | undefined): Promise<{ data?: T; errors?: unknown[] }> {
  if (!result) throw new Error('the block ran no curl');
  return (await result.response.json()) as { data?: T; errors?: unknown[] };
}

/** The first `count` server-sent events of a response, then the stream is let go. */
async function firstEvents(response: Response, count: number): Promise<{ event?: string; id?: string; data: Record<string, unknown> }[]> {
  const events: { event?: string; id?: string; data: Record<string, unknown> }[] = [];
  const decoder = new TextDecoder();
  let text = '';
  const reader = response.body!.getReader();
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
        const fields = Object.fromEntries(text.slice(0, end).split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
        text = text.slice(end + 2);
        if (fields.data !== undefined) events.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data) as Record<string, unknown> });
      }
    }
  } finally {
    await reader.cancel();
  }
  return events.slice(0, count);
}

/** Markers of the blocks the tests below run; every other sh block must run nothing against a stack. */
const TESTED_MARKERS = ['token petugas', 'token bank-bpd', 'audit verify', 'submitApplication', 'application(id:$id)', 'curl -N'];

describe("the README's examples, as written", () => {
  let applicationId: string;

  it('prints only the token for `TOKEN=$(npm run -s simpul -- token petugas)`, and the unified-profile curl answers with it', async () => {
    const { curls, simpul, vars } = await runReadmeBlock('token petugas', { '<a sample NIK>': sample.nik });
    expect(simpul[0]!.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(vars.TOKEN).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const answer = await json<{ citizen: { fullName: string } }>(curls[0]);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.citizen.fullName).toBe(sample.fullName);
  }, 60_000);

  it('verifies a citizen as the bank-bpd client with legal-basis:CONTRACT_PERFORMANCE', async () => {
    const { curls } = await runReadmeBlock('token bank-bpd', { '<a sample NIK>': sample.nik, '<its full name>': sample.fullName, '<its birth date>': sample.birthDate });
    const answer = await json<{ verifyCitizen: Record<string, boolean> }>(curls[0]);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.verifyCitizen).toEqual({ registered: true, fullNameMatches: true, birthDateMatches: true });
  }, 60_000);

  it('files an application with the submitApplication curl and reads its status with application(id:)', async () => {
    const token = (await runSimpul(['token', 'petugas'])).stdout.trim();
    const submit = await runReadmeBlock('submitApplication', { $TOKEN: token, '<a sample NIK>': sample.nik });
    const submitted = await json<{ submitApplication: { id: string; status: string } }>(submit.curls[0]);
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitApplication.status).toBe('SUBMITTED');
    applicationId = submitted.data!.submitApplication.id;

    const status = await runReadmeBlock('application(id:$id)', { $TOKEN: token, '<application id>': applicationId });
    const application = await json<{ application: { id: string; type: string; tasks: unknown[]; timeline: { kind: string }[] } }>(status.curls[0]);
    expect(application.errors).toBeUndefined();
    expect(application.data?.application).toMatchObject({ id: applicationId, type: 'BUSINESS_START' });
    expect(application.data?.application.tasks.length).toBeGreaterThan(0);
    expect(application.data?.application.timeline[0]).toMatchObject({ kind: 'SUBMITTED' });
  }, 60_000);

  it('follows the application with the curl -N live stream: the status, then the timeline so far', async () => {
    const token = (await runSimpul(['token', 'petugas'])).stdout.trim();
    const { curls } = await runReadmeBlock('curl -N', { $TOKEN: token, '<application id>': applicationId });
    expect(curls[0]!.url).toBe(`${new URL(stack.gatewayUrl).origin}/live/applications/${applicationId}`);
    expect(curls[0]!.status).toBe(200);
    const [status, first] = await firstEvents(curls[0]!.response, 2);
    expect(status).toMatchObject({ event: 'status', id: '0', data: { applicationId } });
    expect(first).toMatchObject({ event: 'timeline', data: { kind: 'SUBMITTED' } });
  }, 60_000);

  it('verifies the audit log with an auditor token: intact after everything above', async () => {
    const { simpul } = await runReadmeBlock('audit verify');
    const verify = simpul.find((s) => s.args[0] === 'audit')!;
    expect(verify.code).toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/intact/i);
  }, 180_000);

  it('leaves no README shell example untested', () => {
    const runnable = readmeBlocks.filter((block) => /(^|\n)\s*(curl |npm run (-s )?simpul|[A-Z_]+=\$\(npm run)/.test(block));
    for (const block of runnable) expect(TESTED_MARKERS.some((marker) => block.includes(marker))).toBe(true);
    expect(runnable.length).toBe(TESTED_MARKERS.length);
  });
});
