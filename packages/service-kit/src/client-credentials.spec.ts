import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClientCredentialsError, createClientCredentialsTokenSource } from './client-credentials';

// A small token endpoint over real HTTP; the token source against the real embedded IdP is tested
// in packages/identity/test/token-source.int.spec.ts (@simpul/identity depends on this package).

interface Behaviour {
  status: number;
  body: unknown;
}

const CLIENT_ID = 'agency-police';
const SECRET = 'p@ss:word +&=/';

let server: Server;
let origin: string;
let issuer: string;
let discoveryIssuer: string | undefined;
let next: Behaviour[] = [];
let tokenRequests: { authorization?: string; body: string }[] = [];
let issued = 0;

function decodeBasic(header: string | undefined): [string, string] | undefined {
  const match = /^Basic (.+)$/.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const form = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return [form(decoded.slice(0, separator)), form(decoded.slice(separator + 1))];
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (req.url === '/realms/test/.well-known/openid-configuration') {
    return send(200, { issuer: discoveryIssuer ?? issuer, token_endpoint: `${origin}/realms/test/protocol/openid-connect/token` });
  }
  if (req.url === '/realms/test/protocol/openid-connect/token' && req.method === 'POST') {
    tokenRequests.push({ authorization: req.headers.authorization, body: Buffer.concat(chunks).toString('utf8') });
    const behaviour = next.shift();
    if (behaviour) return send(behaviour.status, behaviour.body);
    const credentials = decodeBasic(req.headers.authorization);
    if (credentials?.[0] !== CLIENT_ID || credentials[1] !== SECRET) {
      return send(401, { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' });
    }
    issued += 1;
    return send(200, { access_token: `token-${issued}`, token_type: 'Bearer', expires_in: 300 });
  }
  send(404, { error: 'not found' });
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer = `${origin}/realms/test`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  next = [];
  tokenRequests = [];
  discoveryIssuer = undefined;
});

function source(overrides: Partial<Parameters<typeof createClientCredentialsTokenSource>[0]> = {}) {
  return createClientCredentialsTokenSource({ issuerUrl: issuer, clientId: CLIENT_ID, clientSecret: SECRET, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<ClientCredentialsError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ClientCredentialsError)) throw new Error(`expected a ClientCredentialsError, got ${String(error)}`);
  return error;
}

describe('createClientCredentialsTokenSource', () => {
  it('asks the discovered token endpoint with form-encoded basic credentials and the client_credentials grant', async () => {
    const token = await source({ scope: 'profile' }).token();

    expect(token).toMatch(/^token-\d+$/);
    expect(tokenRequests).toHaveLength(1);
    expect(new URLSearchParams(tokenRequests[0]?.body)).toEqual(new URLSearchParams({ grant_type: 'client_credentials', scope: 'profile' }));
  });

  it('reuses the token until shortly before it expires, then fetches a new one', async () => {
    let clock = 1_000_000;
    const tokens = source({ now: () => clock, refreshSkewSeconds: 30 });

    const first = await tokens.token();
    clock += 269_000;
    expect(await tokens.token()).toBe(first);
    expect(tokenRequests).toHaveLength(1);

    clock += 2_000; // 271 s: inside the 30 s before expiry
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(tokenRequests).toHaveLength(2);
  });

  it('shares one request among concurrent callers', async () => {
    const tokens = source();
    const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);

    expect(new Set(all).size).toBe(1);
    expect(tokenRequests).toHaveLength(1);
  });

  it('fetches again after invalidate()', async () => {
    const tokens = source();
    const first = await tokens.token();
    tokens.invalidate();

    expect(await tokens.token()).not.toBe(first);
    expect(tokenRequests).toHaveLength(2);
  });

  it('keeps a short-lived token for half its lifetime at most', async () => {
    let clock = 0;
    next = [{ status: 200, body: { access_token: 'short', token_type: 'Bearer', expires_in: 20 } }];
    const tokens = source({ now: () => clock, refreshSkewSeconds: 30 });
    expect(await tokens.token()).toBe('short');
    clock = 9_000;
    expect(await tokens.token()).toBe('short');
    clock = 10_000;
    expect(await tokens.token()).not.toBe('short');
  });

  it('reports a wrong secret as INVALID_CLIENT, not worth retrying', async () => {
    const error = await failure(source({ clientSecret: 'wrong' }).token());

    expect(error.code).toBe('INVALID_CLIENT');
    expect(error.transient).toBe(false);
    expect(error.details).toMatchObject({ status: 401, oauthError: 'invalid_client' });
  });

  it('reports another OAuth refusal as TOKEN_REQUEST_REJECTED', async () => {
    next = [{ status: 400, body: { error: 'invalid_scope', error_description: 'scope not allowed' } }];
    const error = await failure(source().token());

    expect(error.code).toBe('TOKEN_REQUEST_REJECTED');
    expect(error.details.oauthError).toBe('invalid_scope');
  });

  it('reports a server error as transient and recovers on the next call', async () => {
    next = [{ status: 503, body: 'upstream down' }];
    const tokens = source();
    const error = await failure(tokens.token());

    expect(error.code).toBe('TOKEN_ENDPOINT_UNAVAILABLE');
    expect(error.transient).toBe(true);
    expect(await tokens.token()).toMatch(/^token-/);
  });

  it('refuses an answer without an access token', async () => {
    next = [{ status: 200, body: { token_type: 'Bearer', expires_in: 300 } }];
    expect((await failure(source().token())).code).toBe('INVALID_TOKEN_RESPONSE');
  });

  it('refuses a discovery document of another issuer', async () => {
    discoveryIssuer = 'https://elsewhere.example/realms/test';
    const error = await failure(source().token());

    expect(error.code).toBe('DISCOVERY_FAILED');
    expect(tokenRequests).toHaveLength(0);
  });

  it('reports an unreachable issuer as DISCOVERY_FAILED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(source({ issuerUrl: `http://127.0.0.1:${port}/realms/test` }).token());
    expect(error.code).toBe('DISCOVERY_FAILED');
    expect(error.transient).toBe(true);
  });
});
