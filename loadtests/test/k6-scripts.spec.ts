import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld } from '@simpul/synthetic-data';
import { startStack, type Stack } from '@simpul/testing';
import { k6Fixture } from '../src/workload/k6-fixture';
import { runK6Script } from './support/k6-stand-in';

// Issue 13 item 7: the k6 scripts (loadtests/k6) run against the whole stack through the Node
// stand-in of the k6 modules, with a token and a purpose: each passes its checks and thresholds.

const WORLD = { citizens: 40, seed: 20261208 };
const K6 = join(__dirname, '..', 'k6');

let stack: Stack;
let dir: string;
let fixture: string;

beforeAll(async () => {
  stack = await startStack({ ...WORLD, engine: 'postgres', logLevel: 'warn' });
  dir = await mkdtemp(join(tmpdir(), 'simpul-k6-'));
  fixture = join(dir, 'fixture.json');
  await writeFile(fixture, JSON.stringify(k6Fixture(generateWorld(WORLD))));
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

jest.setTimeout(180_000);

const tokenOf = async (who: string) => (await stack.authHeaders(who)).authorization!.replace(/^Bearer /, '');

it('unified-citizen: an officer’s TOKEN, every profile resolved', async () => {
  const run = await runK6Script(join(K6, 'unified-citizen.ts'), { env: { GATEWAY_URL: stack.gatewayUrl, TOKEN: await tokenOf('petugas'), FIXTURE: fixture }, vus: 2, iterations: 3 });
  expect(run.requests).toBe(6);
  expect([run.failedThresholds, run.failedBodies]).toEqual([[], []]);
  expect(run.checks['UnifiedProfile answered']).toEqual({ passes: 6, fails: 0 });
});

it('verify-citizen: setup() fetches a bank’s token with client credentials; every true claim matches', async () => {
  const env = { GATEWAY_URL: stack.gatewayUrl, OIDC_ISSUER_URL: stack.identity!.issuer, CLIENT_ID: 'bank-bpd', CLIENT_SECRET: 'bank-bpd-demo-secret', FIXTURE: fixture };
  const run = await runK6Script(join(K6, 'verify-citizen.ts'), { env, vus: 2, iterations: 2 });
  expect(run.requests).toBe(1 + 4);
  expect([run.failedThresholds, run.failedBodies]).toEqual([[], []]);
  expect(run.checks['VerifyCitizen answered']).toEqual({ passes: 4, fails: 0 });
});

it('submit-application: an officer files applications', async () => {
  const run = await runK6Script(join(K6, 'submit-application.ts'), { env: { GATEWAY_URL: stack.gatewayUrl, TOKEN: await tokenOf('petugas'), FIXTURE: fixture }, vus: 2, iterations: 2 });
  expect([run.failedThresholds, run.failedBodies]).toEqual([[], []]);
  expect(run.checks['SubmitApplication answered']).toEqual({ passes: 4, fails: 0 });
});

it('the checks can fail: a refused token fails them, and no token at all stops setup()', async () => {
  const refused = await runK6Script(join(K6, 'unified-citizen.ts'), { env: { GATEWAY_URL: stack.gatewayUrl, TOKEN: 'not-a-token', FIXTURE: fixture }, vus: 1, iterations: 1 });
  expect(refused.checks['status is 200']).toEqual({ passes: 0, fails: 1 });
  expect(refused.failedThresholds).toEqual(['checks: rate==1', 'graphql_failures: count==0']);
  await expect(runK6Script(join(K6, 'unified-citizen.ts'), { env: { GATEWAY_URL: stack.gatewayUrl, FIXTURE: fixture }, vus: 1, iterations: 1 })).rejects.toThrow(/set TOKEN/);
});
