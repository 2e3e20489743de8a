import { EnvError, loadEnv } from '@simpul/service-kit';
import { auditEnvSchema } from './env';

function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(auditEnvSchema, source);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}

const base = { PORT: '4008', DATA_DIR: '/tmp/audit', AUDIT_ANCHOR_DIR: '/tmp/audit-anchors' };

describe('auditEnvSchema', () => {
  it('needs the checkpoint directory always, and in production the chain key and the pepper', () => {
    expect(problemsOf(base)).toEqual([]);
    expect(problemsOf({ ...base, AUDIT_ANCHOR_DIR: '' })).toEqual([expect.stringMatching(/^AUDIT_ANCHOR_DIR: required/)]);
    const production = problemsOf({ ...base, NODE_ENV: 'production' });
    expect(production).toEqual(expect.arrayContaining(['AUDIT_CHAIN_KEY: required in production', 'NIK_HASH_PEPPER: required in production']));
    expect(problemsOf({ ...base, AUDIT_CHAIN_KEY: 'too-short' })).toEqual(['AUDIT_CHAIN_KEY: AUDIT_CHAIN_KEY must be at least 32 characters']);
  });
});
