import { parseArgs } from 'node:util';
import { DEMO_CREDENTIALS, fetchDemoToken, type DemoCredentials } from '@simpul/identity/demo';

/** The issuer of `simpul start`'s identity provider on its standard port. */
export const DEFAULT_ISSUER = 'http://127.0.0.1:4010/realms/simpul';
const DEFAULT_TIMEOUT_MS = 15_000;

function usage(credentials: DemoCredentials): string {
  return `Usage: simpul token <user|client> [--issuer URL]

Prints an access token of a demo identity of the embedded identity provider, for
\`Authorization: Bearer <token>\`. A user signs in the way the console does (authorization code
with PKCE, demo password); a client uses the client credentials grant with its demo secret.
Development only: the demo passwords and secrets are public.

  users:   ${credentials.users.map((user) => user.username).join(', ')}
  clients: ${credentials.clients.map((client) => client.clientId).join(', ')}

--issuer  the identity provider (default ${DEFAULT_ISSUER}, the one of \`simpul start\`)

Tokens expire after the realm's access token lifespan (accessTokenLifespan of
infra/keycloak/simpul-realm.json); ask again for a new one.
From the repository root: npm run simpul -- token petugas

Exit codes: 0 printed, 1 no token (unreachable, refused), 2 usage.
`;
}

/** How a developer gets a new token of `who` from the identity provider at `issuer`. */
export function tokenCommand(who: string, issuer: string): string {
  return `npm run simpul -- token ${who}${issuer === DEFAULT_ISSUER ? '' : ` --issuer ${issuer}`}`;
}

interface TokenCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Default: the real one against the identity provider. */
  fetchToken?: (issuer: string, who: string, signal: AbortSignal) => Promise<string>;
  credentials?: DemoCredentials;
}

export const TOKEN_EXIT = { printed: 0, failed: 1, usage: 2 } as const;

/** fetchDemoToken with every request bounded by `signal`. */
export function fetchDemoTokenWithin(issuer: string, who: string, signal: AbortSignal): Promise<string> {
  return fetchDemoToken(issuer, who, { fetch: (input, init) => fetch(input, { ...init, signal }) });
}

/** `fetch failed` says little; its cause (ECONNREFUSED…) says why. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ((error.cause as NodeJS.ErrnoException).code ?? error.cause.message) : undefined;
  return cause ? `${error.message} (${cause})` : error.message;
}

/** `simpul token <user|client>`: prints a demo access token, and nothing else, on stdout. */
export async function runTokenCommand(argv: readonly string[], io: TokenCommandIo): Promise<number> {
  const credentials = io.credentials ?? DEMO_CREDENTIALS;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { issuer: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr.write(`simpul token: ${(error as Error).message}\n${usage(credentials)}`);
    return TOKEN_EXIT.usage;
  }
  if (parsed.values.help) {
    io.stdout.write(usage(credentials));
    return TOKEN_EXIT.printed;
  }
  const [who, ...rest] = parsed.positionals;
  if (who === undefined || rest.length > 0) {
    io.stderr.write(`simpul token: name one demo user or client\n${usage(credentials)}`);
    return TOKEN_EXIT.usage;
  }
  const known = credentials.users.some((user) => user.username === who) || credentials.clients.some((client) => client.clientId === who);
  if (!known) {
    io.stderr.write(`simpul token: ${JSON.stringify(who)} is neither a demo user nor a demo client\n${usage(credentials)}`);
    return TOKEN_EXIT.usage;
  }
  const issuer = (parsed.values.issuer ?? DEFAULT_ISSUER).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+\/realms\/[^/]+$/.test(issuer)) {
    io.stderr.write(`simpul token: --issuer must look like http://host:port/realms/<realm> (got "${issuer}")\n`);
    return TOKEN_EXIT.usage;
  }
  const fetchToken = io.fetchToken ?? fetchDemoTokenWithin;
  try {
    const token = await fetchToken(issuer, who, AbortSignal.timeout(DEFAULT_TIMEOUT_MS));
    io.stdout.write(`${token}\n`);
    return TOKEN_EXIT.printed;
  } catch (error) {
    io.stderr.write(`simpul token: no token for ${who} from ${issuer}: ${describeError(error)}\nIs the stack running (npm start)?\n`);
    return TOKEN_EXIT.failed;
  }
}
