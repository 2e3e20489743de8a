import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AUDIT_EXIT, runAuditCommand } from './audit-command';

let server: Server;
let url: string;
let answer: { status: number; body: unknown };
let seen: { headers: IncomingHttpHeaders; body: { query?: string } }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, body: JSON.parse(body) as { query?: string } });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise((done) => server.close(done)));
beforeEach(() => {
  seen = [];
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCommand(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env });
  return { code, stdout, stderr };
}

const verification = (overrides: Record<string, unknown>) => ({
  status: 200,
  body: {
    data: {
      auditLogVerification: {
        intact: true,
        records: '42',
        chains: [
          { chain: 0, records: '40', head: { sequence: '40', hash: 'ab'.repeat(32) }, checkpoint: { sequence: '40', hash: 'ab'.repeat(32), at: '2025-03-01T08:00:00.000Z' } },
          { chain: 3, records: '2', head: { sequence: '2', hash: 'cd'.repeat(32) }, checkpoint: { sequence: '2', hash: 'cd'.repeat(32), at: '2025-03-01T08:00:00.000Z' } },
        ],
        problem: null,
        verifiedAt: '2025-03-01T08:00:01.000Z',
        ...overrides,
      },
    },
  },
});

describe('simpul audit verify', () => {
  it('exits 0 on an intact log, asking with an auditor token when given one', async () => {
    answer = verification({});
    const result = await run(['verify', '--url', url], { SIMPUL_TOKEN: 'token-of-an-auditor' });
    expect(result).toEqual({
      code: AUDIT_EXIT.intact,
      stdout:
        'Audit log intact: 42 record(s) verified in 2 chain(s).\n' +
        `  chain 0: head record 40 (${'ab'.repeat(8)}…); newest checkpoint: record 40 at 2025-03-01T08:00:00.000Z\n` +
        `  chain 3: head record 2 (${'cd'.repeat(8)}…); newest checkpoint: record 2 at 2025-03-01T08:00:00.000Z\n`,
      stderr: '',
    });
    expect(seen[0]?.headers.authorization).toBe('Bearer token-of-an-auditor');
    expect(seen[0]?.body.query).toContain('auditLogVerification');
    await run(['verify', '--url', url, '--token', 'from-the-command-line'], { SIMPUL_TOKEN: 'from-env' });
    expect(seen[1]?.headers.authorization).toBe('Bearer from-the-command-line');
  });

  it('exits 1 naming the first broken record', async () => {
    answer = verification({
      intact: false,
      records: '6',
      chains: [{ chain: 1, records: '6', head: { sequence: '6', hash: 'cd'.repeat(32) }, checkpoint: null }],
      problem: { chain: 1, sequence: '7', kind: 'RECORD_ALTERED', message: 'record 7 does not match its hash: edited, or moved from another position' },
    });
    const result = await run(['verify', '--url', url]);
    expect(result.code).toBe(AUDIT_EXIT.tampered);
    expect(result.stderr).toContain('Audit log TAMPERED WITH in chain 1 at record 7 (RECORD_ALTERED): record 7 does not match its hash');
    expect(result.stdout).toBe('');
  });

  it('exits 3 when it cannot verify: refused, unreachable, not GraphQL', async () => {
    answer = { status: 200, body: { data: null, errors: [{ message: 'Needs one of the roles auditor, admin', extensions: { code: 'FORBIDDEN' } }] } };
    const refused = await run(['verify', '--url', url]);
    expect(refused.code).toBe(AUDIT_EXIT.unverified);
    expect(refused.stderr).toContain('could not verify (HTTP 200, FORBIDDEN): Needs one of the roles auditor, admin');
    expect(refused.stderr).toContain('--token');

    answer = { status: 502, body: 'not json' };
    expect((await run(['verify', '--url', url])).code).toBe(AUDIT_EXIT.unverified);
    const unreachable = await run(['verify', '--url', 'http://127.0.0.1:1/graphql']);
    expect(unreachable.code).toBe(AUDIT_EXIT.unverified);
    expect(unreachable.stderr).toContain('could not ask http://127.0.0.1:1/graphql');
  });

  it('exits 2 on a bad command line', async () => {
    expect((await run([])).code).toBe(AUDIT_EXIT.usage);
    expect((await run(['verify', 'extra'])).code).toBe(AUDIT_EXIT.usage);
    expect((await run(['verify', '--url', 'audit:4008'])).code).toBe(AUDIT_EXIT.usage);
    expect((await run(['verify', '--timeout-ms', 'soon'])).code).toBe(AUDIT_EXIT.usage);
    expect((await run(['verify', '--bogus'])).code).toBe(AUDIT_EXIT.usage);
    expect(seen).toEqual([]);
    expect((await run(['--help'])).stdout).toContain('Usage: simpul audit verify');
  });
});
