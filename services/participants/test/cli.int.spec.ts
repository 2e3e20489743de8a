/** `simpul participants …` (the built CLI) against the real registry and the embedded identity provider. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@simpul/service-kit';
import { fetchClientCredentialsToken, startIdentityServer, type IdentityServer } from '@simpul/identity';
import { startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { createParticipantsSubgraph, identityAdminOf, participantsService } from '../src/app';
import type { ParticipantsSchema } from '../src/db/schema';

const CLI = resolve(__dirname, '../../../packages/cli/dist/main.js');

describe('simpul participants', () => {
  let idp: IdentityServer;
  let dataDir: string;
  let registry: SubgraphOnPostgres<ParticipantsSchema>;

  const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'participants', ...args, '--url', registry.url], { env: { PATH: process.env.PATH } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`build the CLI first (cd packages/cli && npm run build): ${CLI} is missing`);
    dataDir = mkdtempSync(join(tmpdir(), 'simpul-participants-cli-'));
    idp = await startIdentityServer({ port: 0, dataDir, logger: createLogger('identity', 'silent') });
    const identity = identityAdminOf({ OIDC_ISSUER_URL: idp.issuer, OIDC_CLIENT_ID: 'simpul-participants', OIDC_CLIENT_SECRET: 'simpul-participants-demo-secret', IDENTITY_ADMIN_URL: undefined });
    // Without a gateway key: the registry serves the CLI directly, as a development stack without identity does.
    registry = await startSubgraphOnPostgres(
      {
        ...participantsService,
        demoData: { seed: async () => undefined },
        createSubgraph: (deps: Parameters<typeof createParticipantsSubgraph>[0]) => createParticipantsSubgraph({ ...deps, identity }),
      },
      { citizens: 0, seed: 1 },
    );
  });
  afterAll(async () => {
    await registry?.stop();
    await idp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers a bank, prints its secrets once, moves it along its lifecycle and shows its history', async () => {
    const registered = await cli(
      'register', '--code', 'bank-riau-kepri', '--name', 'Bank Riau Kepri', '--kind', 'bank', '--region', '1405',
      '--contact', 'Tim Integrasi,integrasi@brk.example,technical', '--webhook-url', 'https://api.brk.example/tasks',
    );
    expect(registered).toMatchObject({ code: 0, stderr: '' });
    const answer = JSON.parse(registered.stdout) as { clientSecret: string; webhookSecret: string; participant: { status: string; clientId: string } };
    expect(answer.participant).toMatchObject({ status: 'REGISTERED', clientId: 'participant-bank-riau-kepri' });
    await fetchClientCredentialsToken({ issuer: idp.issuer, clientId: 'participant-bank-riau-kepri', clientSecret: answer.clientSecret });

    expect((await cli('status', 'bank-riau-kepri', 'sandbox')).code).toBe(0);
    const illegal = await cli('status', 'bank-riau-kepri', 'REGISTERED');
    expect(illegal.code).toBe(1);
    expect(illegal.stderr).toContain('CONFLICT, ILLEGAL_TRANSITION');

    const shown = await cli('show', 'bank-riau-kepri');
    expect(shown.code).toBe(0);
    const participant = JSON.parse(shown.stdout) as { status: string; webhookSecrets: unknown[]; changes: { action: string }[] };
    expect(participant.status).toBe('SANDBOX');
    expect(participant.webhookSecrets).toHaveLength(1);
    expect(participant.changes.map((change) => change.action)).toEqual(['REGISTERED', 'STATUS_CHANGED']);
    expect(shown.stdout).not.toContain(answer.webhookSecret);

    const listed = await cli('list', '--status', 'SANDBOX');
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ code: 'bank-riau-kepri' })]);
  });

  it('says why it refused (code and rule, exit 1), what usage is wrong (exit 2), and when it could not ask (exit 3)', async () => {
    const ftp = await cli('register', '--code', 'bank-x', '--name', 'Bank X', '--kind', 'BANK', '--region', '1405', '--contact', 'A,a@x.example,technical', '--webhook-url', 'ftp://x.example/tasks');
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toContain('BAD_USER_INPUT, WEBHOOK_URL_SCHEME');
    const both = await cli('register', '--code', 'bank-x', '--name', 'Bank X', '--kind', 'BANK', '--events', '--webhook-url', 'https://x.example');
    expect(both.code).toBe(2);
    expect((await cli('show', 'nobody')).code).toBe(1);
    const { stderr, code } = await promisify(execFile)(process.execPath, [CLI, 'participants', 'list', '--url', 'http://127.0.0.1:9/graphql'], { env: { PATH: process.env.PATH } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(code).toBe(3);
    expect(stderr).toContain('could not ask');
  });
});
