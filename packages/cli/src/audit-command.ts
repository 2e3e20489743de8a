import { parseArgs } from 'node:util';
import { postOperation } from './gateway-operation';

export const DEFAULT_AUDIT_VERIFY_URL = 'http://127.0.0.1:4000/graphql';
const DEFAULT_TIMEOUT_MS = 300_000;

export const AUDIT_USAGE = `Usage: simpul audit verify [--url URL] [--token TOKEN]

Checks every record of the audit log against its hash chain (the log is partitioned into chains),
and each chain's end against its newest signed checkpoint, and names the first record that does not
hold up (edited, deleted, reordered, or a deleted tail). Asks the running audit service through the gateway (--url, default
${DEFAULT_AUDIT_VERIFY_URL}, the gateway of \`simpul start\`) or directly at its own /graphql.
With identity configured, pass an auditor's or admin's access token (--token, or SIMPUL_TOKEN).

Exit codes: 0 intact, 1 tampered with, 2 usage, 3 could not verify (unreachable, refused).
`;

export const AUDIT_VERIFY_QUERY = /* GraphQL */ `
  query AuditLogVerification {
    auditLogVerification {
      intact
      records
      chains { chain records head { sequence hash } checkpoint { sequence hash at } }
      problem { chain sequence kind message }
      verifiedAt
    }
  }
`;

interface ChainState {
  chain: number;
  records: string;
  head: { sequence: string; hash: string } | null;
  checkpoint: { sequence: string; hash: string; at: string } | null;
}

interface Verification {
  intact: boolean;
  records: string;
  chains: ChainState[];
  problem: { chain: number; sequence: string; kind: string; message: string } | null;
  verifiedAt: string;
}

/** One line per chain: its head and newest checkpoint. */
function chainLine(state: ChainState): string {
  const head = state.head ? `head record ${state.head.sequence} (${state.head.hash.slice(0, 16)}…)` : 'no records';
  const checkpoint = state.checkpoint ? `newest checkpoint: record ${state.checkpoint.sequence} at ${state.checkpoint.at}` : 'no checkpoint yet';
  return `  chain ${state.chain}: ${head}; ${checkpoint}\n`;
}

interface GraphQLBody {
  data?: { auditLogVerification?: Verification } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

interface AuditCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

export const AUDIT_EXIT = { intact: 0, tampered: 1, usage: 2, unverified: 3 } as const;

/** `simpul audit …`: the audit log's operator tooling. */
export async function runAuditCommand(argv: readonly string[], io: AuditCommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        'timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr.write(`simpul audit: ${(error as Error).message}\n${AUDIT_USAGE}`);
    return AUDIT_EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(AUDIT_USAGE);
    return AUDIT_EXIT.intact;
  }
  const [subcommand, ...rest] = parsed.positionals;
  if (subcommand !== 'verify' || rest.length > 0) {
    io.stderr.write(`simpul audit: expected \`verify\`\n${AUDIT_USAGE}`);
    return AUDIT_EXIT.usage;
  }
  const url = parsed.values.url ?? DEFAULT_AUDIT_VERIFY_URL;
  if (!/^https?:\/\//.test(url)) {
    io.stderr.write(`simpul audit: --url must be an http(s) URL (got "${url}")\n`);
    return AUDIT_EXIT.usage;
  }
  const rawTimeout = parsed.values['timeout-ms'];
  const timeoutMs = rawTimeout === undefined ? DEFAULT_TIMEOUT_MS : Number(rawTimeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    io.stderr.write(`simpul audit: --timeout-ms must be a positive whole number (got "${rawTimeout}")\n`);
    return AUDIT_EXIT.usage;
  }
  const token = parsed.values.token ?? io.env.SIMPUL_TOKEN;

  const outcome = await postOperation<GraphQLBody>({ url, token, query: AUDIT_VERIFY_QUERY, timeoutMs });
  if (!outcome.answered) {
    io.stderr.write(`simpul audit: ${outcome.problem}\n`);
    return AUDIT_EXIT.unverified;
  }
  const { status, body } = outcome;

  const verification = body.data?.auditLogVerification;
  if (!verification) {
    const error = body.errors?.[0];
    const code = error?.extensions?.code;
    io.stderr.write(`simpul audit: could not verify (HTTP ${status}${code ? `, ${code}` : ''}): ${error?.message ?? 'no answer'}\n`);
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || status === 401 || status === 403) {
      io.stderr.write('Verifying needs an auditor\'s or admin\'s access token: --token <token> or SIMPUL_TOKEN.\n');
    }
    return AUDIT_EXIT.unverified;
  }

  const chains = verification.chains.map(chainLine).join('');
  if (verification.intact) {
    io.stdout.write(`Audit log intact: ${verification.records} record(s) verified in ${verification.chains.length} chain(s).\n${chains}`);
    return AUDIT_EXIT.intact;
  }
  const problem = verification.problem;
  io.stderr.write(
    problem
      ? `Audit log TAMPERED WITH in chain ${problem.chain} at record ${problem.sequence} (${problem.kind}): ${problem.message}.\n`
      : 'Audit log TAMPERED WITH (no details given).\n',
  );
  io.stderr.write(`${verification.records} record(s) verified before it.\n${chains}`);
  return AUDIT_EXIT.tampered;
}
