import { parseArgs } from 'node:util';
import { postOperation } from './gateway-operation';

export const DEFAULT_PARTICIPANTS_URL = 'http://127.0.0.1:4000/graphql';
const TIMEOUT_MS = 30_000;

export const PARTICIPANTS_USAGE = `Usage: simpul participants <command> [options]

The participant registry's admin API (role admin), through the gateway (--url, default
${DEFAULT_PARTICIPANTS_URL}) with an admin's access token (--token, or SIMPUL_TOKEN;
\`simpul token admin\` prints one on the demo stack).

Commands:
  list [--status S] [--kind K]       the registered institutions
  show <code>                        one institution, its webhook secrets and its history
  register --code C --name N --kind AGENCY|BUMN|BANK|INTEGRATOR --region 1405 [--region …]
           --contact "name,email,role[,phone]" [--contact …] (--webhook-url URL | --events)
                                     registers it and creates its client at the identity
                                     provider; prints the client secret (and the webhook
                                     secret) once
  status <code> SANDBOX|ACTIVE|SUSPENDED|RETIRED [--reason R]
                                     moves it along its lifecycle (suspending disables its
                                     client at once)
  rotate-client-secret <code>        a new client secret; the old one stops working at once
  rotate-webhook-secret <code> [--overlap-hours H]
                                     a new webhook secret; the old one stays valid H hours (24)

Exit codes: 0 done, 1 refused (the error's code and rule are printed), 2 usage, 3 could not ask.
`;

export const PARTICIPANTS_EXIT = { done: 0, refused: 1, usage: 2, unreachable: 3 } as const;

const PARTICIPANT_FIELDS = 'code name kind status regionsServed clientId registeredAt statusChangedAt connection { kind webhookUrl } contacts { name email phone role }';

interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; rule?: string } }[];
}

class Usage extends Error {}

function contactOf(raw: string): Record<string, string> {
  const [name, email, role, phone] = raw.split(',').map((part) => part.trim());
  if (!name || !email || !role) throw new Usage(`--contact must be "name,email,role[,phone]" (got "${raw}")`);
  return { name, email, role, ...(phone ? { phone } : {}) };
}

function one(positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new Usage(`expected ${what}`);
  return positionals[0]!;
}

/** The operation each command sends, with its variables. */
function operationOf(command: string, positionals: string[], values: Record<string, string | string[] | boolean | undefined>): { query: string; variables: Record<string, unknown>; field: string } {
  switch (command) {
    case 'list':
      if (positionals.length) throw new Usage('list takes no arguments');
      return {
        field: 'participants',
        query: `query($status: ParticipantStatus, $kind: ParticipantKind) { participants(status: $status, kind: $kind) { ${PARTICIPANT_FIELDS} } }`,
        variables: { status: values.status, kind: values.kind },
      };
    case 'show':
      return {
        field: 'participant',
        query: `query($code: String!) { participant(code: $code) { ${PARTICIPANT_FIELDS} webhookSecrets { id createdAt retiresAt active } changes { action at actor client correlationId details } } }`,
        variables: { code: one(positionals, 'show <code>') },
      };
    case 'register': {
      if (positionals.length) throw new Usage('register takes options only');
      const { code, name, kind } = values as { code?: string; name?: string; kind?: string };
      if (!code || !name || !kind) throw new Usage('register needs --code, --name and --kind');
      const webhookUrl = values['webhook-url'] as string | undefined;
      if (Boolean(webhookUrl) === Boolean(values.events)) throw new Usage('register needs exactly one of --webhook-url URL and --events');
      return {
        field: 'registerParticipant',
        query: `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { clientSecret webhookSecret participant { ${PARTICIPANT_FIELDS} } } }`,
        variables: {
          input: {
            code,
            name,
            kind: kind.toUpperCase(),
            regionsServed: (values.region as string[] | undefined) ?? [],
            contacts: ((values.contact as string[] | undefined) ?? []).map(contactOf),
            connection: webhookUrl ? { kind: 'WEBHOOK', webhookUrl } : { kind: 'EVENTS' },
          },
        },
      };
    }
    case 'status': {
      if (positionals.length !== 2) throw new Usage('expected status <code> <STATUS>');
      return {
        field: 'changeParticipantStatus',
        query: `mutation($code: String!, $status: ParticipantStatus!, $reason: String) { changeParticipantStatus(code: $code, status: $status, reason: $reason) { ${PARTICIPANT_FIELDS} } }`,
        variables: { code: positionals[0], status: positionals[1]!.toUpperCase(), reason: values.reason },
      };
    }
    case 'rotate-client-secret':
      return {
        field: 'rotateParticipantClientSecret',
        query: `mutation($code: String!) { rotateParticipantClientSecret(code: $code) { clientSecret participant { code clientId } } }`,
        variables: { code: one(positionals, 'rotate-client-secret <code>') },
      };
    case 'rotate-webhook-secret': {
      const raw = values['overlap-hours'] as string | undefined;
      if (raw !== undefined && !/^\d+$/.test(raw)) throw new Usage(`--overlap-hours must be a whole number (got "${raw}")`);
      return {
        field: 'rotateParticipantWebhookSecret',
        query: `mutation($code: String!, $overlapHours: Int) { rotateParticipantWebhookSecret(code: $code, overlapHours: $overlapHours) { secretId webhookSecret previousRetireAt participant { code } } }`,
        variables: { code: one(positionals, 'rotate-webhook-secret <code>'), overlapHours: raw === undefined ? undefined : Number(raw) },
      };
    }
    default:
      throw new Usage(`unknown command "${command}"`);
  }
}

/** `simpul participants …`: the registry's admin API from a terminal; prints the answer as JSON. */
export async function runParticipantsCommand(argv: readonly string[], io: Io): Promise<number> {
  let operation;
  let url: string;
  let token: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        status: { type: 'string' },
        kind: { type: 'string' },
        code: { type: 'string' },
        name: { type: 'string' },
        region: { type: 'string', multiple: true },
        contact: { type: 'string', multiple: true },
        'webhook-url': { type: 'string' },
        events: { type: 'boolean' },
        reason: { type: 'string' },
        'overlap-hours': { type: 'string' },
      },
    });
    if (values.help || positionals.length === 0) {
      (values.help ? io.stdout : io.stderr).write(PARTICIPANTS_USAGE);
      return values.help ? PARTICIPANTS_EXIT.done : PARTICIPANTS_EXIT.usage;
    }
    const [command, ...rest] = positionals;
    operation = operationOf(command!, rest, values);
    url = values.url ?? DEFAULT_PARTICIPANTS_URL;
    if (!/^https?:\/\//.test(url)) throw new Usage(`--url must be an http(s) URL (got "${url}")`);
    token = values.token ?? io.env.SIMPUL_TOKEN;
  } catch (error) {
    if (!(error instanceof Usage) && !(error instanceof TypeError)) throw error;
    io.stderr.write(`simpul participants: ${(error as Error).message}\n\n${PARTICIPANTS_USAGE}`);
    return PARTICIPANTS_EXIT.usage;
  }

  const outcome = await postOperation<GraphQLBody>({ url, token, query: operation.query, variables: operation.variables, timeoutMs: TIMEOUT_MS });
  if (!outcome.answered) {
    io.stderr.write(`simpul participants: ${outcome.problem}\n`);
    return PARTICIPANTS_EXIT.unreachable;
  }
  const { status, body } = outcome;
  const error = body.errors?.[0];
  if (error) {
    const { code, rule } = error.extensions ?? {};
    io.stderr.write(`simpul participants: refused (HTTP ${status}${code ? `, ${code}` : ''}${rule ? `, ${rule}` : ''}): ${error.message}\n`);
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN' || status === 401) io.stderr.write('The registry needs an admin\'s access token: --token <token> or SIMPUL_TOKEN.\n');
    return PARTICIPANTS_EXIT.refused;
  }
  const answer = body.data?.[operation.field];
  if (answer === null && operation.field === 'participant') {
    io.stderr.write(`simpul participants: no participant ${String(operation.variables.code)} is registered\n`);
    return PARTICIPANTS_EXIT.refused;
  }
  io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  return PARTICIPANTS_EXIT.done;
}
