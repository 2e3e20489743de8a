/** `simpul audit verify` (the built CLI) against the real audit service: its exit codes and what it names. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { auditRecord, gatewayKeys, postRecords, recordFor, startAudit, type RunningAudit } from './audit-harness';

const CLI = resolve(__dirname, '../../../packages/cli/dist/main.js');

async function verify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'audit', 'verify', ...args], { env: { PATH: process.env.PATH } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`build the CLI first (cd packages/cli && npm run build): ${CLI} is missing`);
});

describe('simpul audit verify', () => {
  let audit: RunningAudit;
  beforeEach(async () => {
    audit = await startAudit();
    for (let i = 0; i < 4; i += 1) await postRecords(audit.origin, { service: 'police', records: [auditRecord({ correlationId: `c-${i}` })] });
  });
  afterEach(() => audit?.stop());

  it('exits 0 on an intact log and 1 naming the first broken record', async () => {
    expect(await verify('--url', audit.url)).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^Audit log intact: 4 record\(s\) verified in 1 chain\(s\)\.\n {2}chain 0: head record 4 \([0-9a-f]{16}…\); newest checkpoint: record 4 at .+\n$/),
      stderr: '',
    });
    await audit.sql('alter table audit.audit_record disable trigger audit_record_append_only');
    await audit.sql('delete from audit.audit_record where sequence = 2');
    const broken = await verify('--url', audit.url);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('Audit log TAMPERED WITH in chain 0 at record 2 (RECORD_MISSING): record 2 is missing: deleted');
  });

  it('exits 1 on a deleted tail', async () => {
    await audit.sql('alter table audit.audit_record disable trigger audit_record_append_only');
    await audit.sql('delete from audit.audit_record where sequence = 4');
    const broken = await verify('--url', audit.url);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('at record 4 (TAIL_TRUNCATED)');
  });

  it('exits 3 when the audit service is not there', async () => {
    const url = audit.url;
    await audit.stopServer();
    expect((await verify('--url', url)).code).toBe(3);
  });
});

describe('simpul audit verify with identity configured', () => {
  let audit: RunningAudit;
  let keys: Awaited<ReturnType<typeof gatewayKeys>>;
  beforeAll(async () => {
    keys = await gatewayKeys();
    audit = await startAudit({ internalContextPublicKey: keys.publicJwk });
    const officer = { subject: 'officer', client: 'mpp-console', actorType: 'user' as const, roles: ['officer'], correlationId: 'c-1' };
    await postRecords(audit.origin, { service: 'tax', records: [recordFor(officer)] }, { 'x-simpul-context': await keys.sign(officer, 'tax') });
  });
  afterAll(() => audit?.stop());

  it('exits 3 without credentials, saying what it needs', async () => {
    const refused = await verify('--url', audit.url);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('UNAUTHENTICATED');
    expect(refused.stderr).toContain('auditor\'s or admin\'s access token');
  });
});
