import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startStack, type Stack, type StackProcess } from '@simpul/testing';

// Issue 13, items 2 and 3 on the whole stack: every process (identity provider, event broker, eight
// subgraphs, gateway, the example participants) answers /healthz, /readyz with its named checks and
// /metrics; the gateway's metrics count operations, subgraph fetches and refused tokens; and no
// process's metrics carry a NIK, a KK number or a name after personal data went through it.

const WORLD = { citizens: 40, seed: 20261207 };
const world = generateWorld(WORLD);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...WORLD, engine: 'postgres', logLevel: 'warn' });
}, 240_000);
afterAll(async () => {
  await stack?.stop();
}, 60_000);

jest.setTimeout(120_000);

const originOf = (process: StackProcess) => new URL(process.url).origin;
const everyProcess = (): StackProcess[] => [
  stack.gateway,
  ...Object.values(stack.subgraphs),
  ...(stack.identity ? [stack.identity] : []),
  ...(stack.broker ? [stack.broker] : []),
  ...Object.values(stack.participants).filter((p): p is StackProcess => p !== undefined),
];

interface ReadinessReport {
  status: string;
  reason?: string;
  checks: Record<string, { status: string; reason?: string; required: boolean }>;
}
const readiness = async (process: StackProcess) => {
  const response = await fetch(`${originOf(process)}/readyz`);
  return { status: response.status, report: (await response.json()) as ReadinessReport };
};
const metricsOf = async (process: StackProcess) => {
  const response = await fetch(`${originOf(process)}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
};

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined);
    if (last !== undefined && done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 500)}`);
}

it('every process answers /healthz, /readyz and /metrics', async () => {
  const processes = everyProcess();
  // Every subgraph, the gateway, the identity provider, the broker and the two example participants.
  expect(processes.length).toBe(Object.keys(stack.subgraphs).length + 5);
  for (const process of processes) {
    expect([process.name, (await fetch(`${originOf(process)}/healthz`)).status]).toEqual([process.name, 200]);
    const { status, report } = await readiness(process);
    expect([process.name, status, report.status]).toEqual([process.name, 200, 'ready']);
    const metrics = await metricsOf(process);
    expect(metrics).toContain('# TYPE process_cpu_user_seconds_total counter');
  }
});

it('names each dependency in /readyz: database, broker, identity provider keys, audit log', async () => {
  const gateway = (await readiness(stack.gateway)).report;
  expect(Object.keys(gateway.checks).sort()).toEqual(['audit-log', 'idp-keys', 'supergraph']);
  const dukcapil = (await readiness(stack.subgraphs.dukcapil)).report;
  expect(dukcapil.checks).toMatchObject({ database: { status: 'ok' }, broker: { status: 'ok' }, 'audit-log': { status: 'ok', required: false } });
  expect((await readiness(stack.broker!)).report.checks).toMatchObject({ 'log-store': { status: 'ok' } });
  expect((await readiness(stack.identity!)).report.checks).toMatchObject({ 'signing-keys': { status: 'ok' } });
});

const PROFILE = `query UnifiedProfile($nik: String!) {
  citizen(nik: $nik) { fullName familyCard { number members { nik fullName } } npwp businesses { name } vehicles { plateNumber } } }`;
const VERIFY = `query VerifyCitizen($nik: String!, $name: String!) { verifyCitizen(nik: $nik, claims: { fullName: $name }) { registered fullNameMatches } }`;
const SUBMIT = `mutation SubmitApplication($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }`;

it('counts operations, subgraph fetches and refused tokens, and no metrics carry a NIK, a KK number or a name', async () => {
  const citizens = world.citizens.slice(0, 3);
  for (const citizen of citizens) {
    const profile = await postGraphQL<{ citizen: { fullName: string } }>(stack.gatewayUrl, PROFILE, { nik: citizen.nik }, await stack.authHeaders());
    expect(profile.errors).toBeUndefined();
    expect(profile.data?.citizen.fullName).toBe(citizen.fullName);
    await postGraphQL(stack.gatewayUrl, VERIFY, { nik: citizen.nik, name: citizen.fullName }, await stack.authHeaders());
  }
  const mover = citizens[0]!;
  const submitted = await postGraphQL<{ submitApplication: { id: string } }>(
    stack.gatewayUrl,
    SUBMIT,
    {
      input: {
        type: 'ADDRESS_CHANGE',
        applicantNik: mover.nik,
        mppOffice: 'MPP Siak',
        inputs: [
          { name: 'newAddress', value: `Jl. Hang Tuah No. 7, ${mover.fullName}, Kab. Siak 28773` },
          { name: 'movingDate', value: new Date().toISOString().slice(0, 10) },
        ],
      },
    },
    await stack.authHeaders(),
  );
  expect(submitted.errors).toBeUndefined();
  // A refused token is counted by reason.
  const refused = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-jwt' }, body: '{"query":"{__typename}"}' });
  expect(refused.status).toBe(401);

  const gateway = await metricsOf(stack.gateway);
  expect(gateway).toMatch(/^simpul_gateway_requests_total\{operation="UnifiedProfile",outcome="ok"\} 3$/m);
  expect(gateway).toMatch(/^simpul_gateway_request_duration_seconds_count\{operation="SubmitApplication"\} 1$/m);
  expect(gateway).toMatch(/^simpul_gateway_subgraph_fetch_duration_seconds_count\{subgraph="dukcapil",outcome="ok"\} [1-9]/m);
  expect(gateway).toMatch(/^simpul_token_verification_failures_total\{reason="MALFORMED"\} 1$/m);
  expect(gateway).toMatch(/^simpul_audit_append_duration_seconds_count\{outcome="ok"\} [1-9]/m);
  // The fan-out: the applications outbox published, the agencies consumed the tasks.
  await eventually(() => metricsOf(stack.subgraphs.applications), (text) => /^simpul_outbox_published_events_total\{outbox="applications.outbox"\} [1-9]/m.test(text), 'the applications outbox to publish');
  expect(await metricsOf(stack.subgraphs.applications)).toMatch(/^simpul_outbox_unpublished_events\{outbox="applications.outbox"\} \d+$/m);
  await eventually(
    () => metricsOf(stack.subgraphs.dukcapil),
    (text) => /^simpul_events_consumed_total\{group="[^"]+",type="mpp\.task\.assigned\.v\d+",outcome="applied"\} [1-9]/m.test(text),
    'dukcapil to handle its task',
  );

  const texts = await Promise.all(everyProcess().map(async (process) => [process.name, await metricsOf(process)] as const));
  const personal = citizens.flatMap((c) => [c.nik, c.familyCardNumber, c.fullName]);
  for (const [name, text] of texts) {
    for (const value of personal) expect([name, text.includes(value)]).toEqual([name, false]);
    // No label value holds a run of digits as long as a NIK or KK (16).
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    expect([name, labelValues.filter((v) => /\d{16}/.test(v))]).toEqual([name, []]);
  }
});

it('says which dependency is missing when the broker is down', async () => {
  await stack.broker!.stop();
  try {
    const { status, report } = await eventually(() => readiness(stack.subgraphs.dukcapil), (r) => r.status === 503, 'dukcapil to be not ready');
    expect(status).toBe(503);
    expect(report.reason).toMatch(/^broker: /);
    expect(report.checks.database).toMatchObject({ status: 'ok' });
  } finally {
    await stack.broker!.start();
  }
  await eventually(() => readiness(stack.subgraphs.dukcapil), (r) => r.status === 200, 'dukcapil to be ready again');
});
