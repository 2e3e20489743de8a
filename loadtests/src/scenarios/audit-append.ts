import { AUDIT_EXIT, runAuditCommand } from '@simpul/cli';
import { serviceClientId } from '@simpul/identity/demo';
import { serviceActorSource } from '@simpul/service-kit';
import { STACK_NIK_HASH_PEPPER, startStack, type Stack, type StackProcess } from '@simpul/testing';
import { AUDIT_BENCH_SERVICE, auditAppendBodies } from '../workload/audit-records';
import { runGatewayComparison } from './gateway-comparison-scenario';
import type { BenchContext, OwnStackScenario, ScenarioOutcome } from './scenario';
import { latestErrorLines, meteredProcesses } from './stack-processes';

const ID = 'audit-append';
const TITLE = 'Audit appends alone, one and two audit writers';
/** The stack only has to exist: its subgraphs stay idle, so a small world keeps its start short. */
const STACK_CITIZENS = 60;
/** Distinct request bodies (one record each), sent in rotation. */
const BODIES = 20_000;

/** The bearer token in `{ authorization: 'Bearer …' }`. */
function bearer(headers: Record<string, string>): string {
  const token = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  if (!token) throw new Error('the secured stack gave no access token');
  return token;
}

function recordsUrl(process: StackProcess): string {
  return new URL('/records', process.url).href;
}

type ChainVerdict = 'intact' | 'tampered' | 'unverified';

/** `simpul audit verify` through the stack's gateway as the auditor: its verdict and what it printed. */
async function verifyChain(stack: Stack): Promise<{ verdict: ChainVerdict; output: string }> {
  let output = '';
  const write = (text: string) => {
    output += text;
  };
  const token = bearer(await stack.authHeaders('auditor', null));
  const code = await runAuditCommand(['verify', '--url', stack.gatewayUrl, '--token', token], {
    stdout: { write },
    stderr: { write },
    env: {},
  });
  const verdict: ChainVerdict = code === AUDIT_EXIT.intact ? 'intact' : code === AUDIT_EXIT.tampered ? 'tampered' : 'unverified';
  return { verdict, output: output.trim() };
}

async function measure(context: BenchContext, stack: Stack): Promise<ScenarioOutcome> {
  const { options } = context;
  const client = serviceClientId(AUDIT_BENCH_SERVICE);
  const headers = async () => ({ authorization: (await stack.authHeaders(client, null)).authorization! });
  const actor = await serviceActorSource(AUDIT_BENCH_SERVICE, { token: async () => bearer(await headers()), invalidate: () => undefined })();
  context.log(`starting a second audit service on the same database`);
  // Replicas sharing AUDIT_ANCHOR_DIR keep a checkpoint file each, named by their writer id.
  const replica = await stack.startReplica('audit', { AUDIT_WRITER_ID: 'bench-replica' });
  const primary = stack.subgraphs.audit;
  const niks = context.world.citizens.slice(0, STACK_CITIZENS).map((citizen) => citizen.nik);
  // Stamped at each run: the audit log refuses records dated far from its clock, and every run's are its own.
  let run = 0;
  const bodiesForRun = () =>
    auditAppendBodies({
      count: BODIES,
      actor,
      niks,
      nikHashPepper: STACK_NIK_HASH_PEPPER,
      occurredAt: new Date(),
      correlationPrefix: `bench-audit-${Date.now()}-${(run += 1)}`,
    });
  const outcome = await runGatewayComparison(
    { ...context, options: { ...options, connections: options.auditConnections }, stackDescription: describeStack() },
    {
      id: ID,
      title: TITLE,
      unit: 'record',
      targets: [
        {
          id: 'one-writer',
          label: 'one audit service',
          url: recordsUrl(primary),
          headers,
          processes: () => meteredProcesses([primary]),
          errorLines: () => latestErrorLines([primary]),
        },
        {
          id: 'two-writers',
          label: 'two audit services, one database',
          url: recordsUrl(primary),
          extraUrls: [recordsUrl(replica)],
          headers,
          processes: () => meteredProcesses([primary, replica]),
          errorLines: () => latestErrorLines([primary, replica]),
        },
      ],
      ratios: [{ subject: 'two-writers', baseline: 'one-writer' }],
      workloadMethod: [
        `**Operation**: \`POST /records\` on the audit service (services/audit) alone, no gateway or subgraph in front: one ` +
          `READ record per request (two Citizen fields of one citizen), as the \`${client}\` service account with its ` +
          'client-credentials token (verified by the audit service against the identity provider) and a legal-basis purpose, ' +
          'answered 201 once committed to the hash chain and checkpointed.',
        `**Variables**: ${BODIES.toLocaleString('en-US')} distinct records per run (correlation ids of that run, occurredAt its ` +
          'start), citizens in turn, sent in rotation.',
        '**Two writers**: a second process of the audit service with the same environment (same database, same anchor ' +
          'directory) but its own AUDIT_WRITER_ID (its own checkpoint file), the connections split evenly over both, as a load balancer in front of two replicas would. The first ' +
          'process idles during the one-writer runs; each target meters only its own writers and PostgreSQL.',
        '**Chain check afterwards**: `simpul audit verify` through the stack’s gateway as the demo auditor must report the log intact.',
      ],
      successCondition: 'HTTP 201',
      loadMethod: 'A failed append is any answer but 201 (400, 401, 403, 503…), a connection error or a timeout.',
    },
    { bodies: [], bodiesForRun, requiredDataFields: [], expectedStatus: 201 },
  );
  context.log('verifying the chain (simpul audit verify)');
  const verification = await verifyChain(stack);
  context.log(`  ${verification.output.split('\n')[0]}`);
  const problem = { tampered: 'The chain does not verify after the runs.', unverified: 'The chain could not be verified after the runs.' };
  const verdict = [
    '### Chain after the runs',
    '',
    verification.verdict === 'intact'
      ? `\`simpul audit verify\`: ${verification.output.split('\n')[0]}`
      : `> **${problem[verification.verdict]}** \`simpul audit verify\` said:\n>\n> ${verification.output.split('\n').join('\n> ')}`,
  ].join('\n');
  return {
    section: { ...outcome.section, markdown: `${outcome.section.markdown}\n\n${verdict}` },
    consoleReport: `${outcome.consoleReport}\n\n${verdict}`,
    failedRequests: outcome.failedRequests + (verification.verdict === 'intact' ? 0 : 1),
  };
}

function describeStack(): string {
  return [
    '- Started by `startStack` (@simpul/testing) as `npm start` runs it (identity provider, signed contexts, audit on ' +
      `PostgreSQL), ${STACK_CITIZENS} citizens, no example participants; only the audit service (and its replica) and ` +
      'PostgreSQL work during the runs.',
  ].join('\n');
}

export const auditAppendScenario: OwnStackScenario = {
  id: ID,
  title: TITLE,
  stack: 'own',
  async run(context: BenchContext): Promise<ScenarioOutcome> {
    const { options } = context;
    context.log(`starting a secured stack (${STACK_CITIZENS} citizens) for the audit service`);
    const stack = await startStack({
      citizens: STACK_CITIZENS,
      seed: context.world.seed,
      engine: 'postgres',
      logLevel: options.logLevel,
      participants: false,
      auth: true,
      audit: true,
      // Verifying the whole log afterwards walks every record the runs appended (some 100,000):
      // longer than the gateway's default 5 s fetch budget, as the audit README advises.
      gatewayEnv: { SUBGRAPH_AUDIT_TIMEOUT_MS: '300000' },
    });
    const release = context.stopOnInterrupt(() => stack.stop());
    try {
      return await measure(context, stack);
    } finally {
      release();
      await stack.stop();
    }
  },
};
