import { DEFAULT_ISSUER, runTokenCommand, TOKEN_EXIT, tokenCommand } from './token-command';

const credentials = {
  users: [{ username: 'petugas', password: 'demo', roles: ['officer'] }],
  clients: [{ clientId: 'integrator-demo', clientSecret: 'integrator-demo-secret', roles: ['integrator'] }],
  console: { clientId: 'mpp-console', redirectUris: [] },
};

async function run(argv: string[], fetchToken?: (issuer: string, who: string, signal: AbortSignal) => Promise<string>) {
  let stdout = '';
  let stderr = '';
  const asked: { issuer: string; who: string }[] = [];
  const code = await runTokenCommand(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    credentials,
    fetchToken: async (issuer, who, signal) => {
      asked.push({ issuer, who });
      if (!fetchToken) throw new Error('no identity provider in this test');
      return fetchToken(issuer, who, signal);
    },
  });
  return { code, stdout, stderr, asked };
}

describe('simpul token', () => {
  it('prints only the token on stdout, for command substitution', async () => {
    const result = await run(['petugas'], async () => 'eyJ.token.sig');
    expect(result).toMatchObject({ code: TOKEN_EXIT.printed, stdout: 'eyJ.token.sig\n', stderr: '' });
    expect(result.asked).toEqual([{ issuer: DEFAULT_ISSUER, who: 'petugas' }]);
  });

  it('asks another identity provider with --issuer, and knows clients too', async () => {
    const result = await run(['integrator-demo', '--issuer', 'http://127.0.0.1:5110/realms/simpul/'], async () => 'eyJ.client.sig');
    expect(result.code).toBe(TOKEN_EXIT.printed);
    expect(result.asked).toEqual([{ issuer: 'http://127.0.0.1:5110/realms/simpul', who: 'integrator-demo' }]);
  });

  it('refuses an unknown identity without asking the identity provider, listing the known ones', async () => {
    const result = await run(['root']);
    expect(result.code).toBe(TOKEN_EXIT.usage);
    expect(result.stderr).toContain('"root" is neither a demo user nor a demo client');
    expect(result.stderr).toContain('users:   petugas');
    expect(result.stderr).toContain('clients: integrator-demo');
    expect(result.asked).toEqual([]);
  });

  it('refuses a missing name, extra arguments and an issuer that is not a realm URL', async () => {
    expect((await run([])).code).toBe(TOKEN_EXIT.usage);
    expect((await run(['petugas', 'auditor'])).code).toBe(TOKEN_EXIT.usage);
    expect((await run(['petugas', '--bogus'])).code).toBe(TOKEN_EXIT.usage);
    const badIssuer = await run(['petugas', '--issuer', 'http://127.0.0.1:4010']);
    expect(badIssuer.code).toBe(TOKEN_EXIT.usage);
    expect(badIssuer.stderr).toContain('--issuer must look like http://host:port/realms/<realm>');
    expect(badIssuer.asked).toEqual([]);
  });

  it('fails with the reason when the identity provider does not answer, printing no token', async () => {
    const refused = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const result = await run(['petugas'], () => Promise.reject(refused));
    expect(result.code).toBe(TOKEN_EXIT.failed);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`no token for petugas from ${DEFAULT_ISSUER}: fetch failed (ECONNREFUSED)`);
    expect(result.stderr).toContain('Is the stack running (npm start)?');
  });

  it('is a real command against a real (unreachable) identity provider', async () => {
    let stderr = '';
    const code = await runTokenCommand(['petugas', '--issuer', 'http://127.0.0.1:9/realms/simpul'], {
      stdout: { write: () => undefined },
      stderr: { write: (text: string) => (stderr += text) },
    });
    expect(code).toBe(TOKEN_EXIT.failed);
    expect(stderr).toContain('no token for petugas from http://127.0.0.1:9/realms/simpul');
  });

  it('prints its help with the demo identities of the realm', async () => {
    let stdout = '';
    const code = await runTokenCommand(['--help'], { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => undefined } });
    expect(code).toBe(TOKEN_EXIT.printed);
    expect(stdout).toContain('Usage: simpul token <user|client>');
    // From infra/keycloak/simpul-realm.json.
    expect(stdout).toMatch(/users: {3}.*\bpetugas\b.*\bwarga\b/);
    expect(stdout).toMatch(/clients: .*\bagency-dukcapil\b.*\bintegrator-demo\b/);
  });
});

describe('tokenCommand', () => {
  it('names the issuer only when it is not the standard one', () => {
    expect(tokenCommand('petugas', DEFAULT_ISSUER)).toBe('npm run simpul -- token petugas');
    expect(tokenCommand('petugas', 'http://127.0.0.1:5110/realms/simpul')).toBe('npm run simpul -- token petugas --issuer http://127.0.0.1:5110/realms/simpul');
  });
});
