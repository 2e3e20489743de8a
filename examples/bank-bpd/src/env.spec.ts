import { EnvError } from '@simpul/service-kit';
import { loadBankEnv } from './env';

const secret = 'bank-bpd-shared-secret-0123456789';

describe('Bank BPD environment', () => {
  it('reads the task server address, the shared secret and Simpul’s status URL', () => {
    expect(loadBankEnv({ WEBHOOK_SECRET: secret, SIMPUL_STATUS_URL: 'http://127.0.0.1:4000/participants/bank-bpd/task-status' })).toEqual({
      HOST: '127.0.0.1',
      PORT: 4022,
      WEBHOOK_SECRET: secret,
      SIMPUL_STATUS_URL: 'http://127.0.0.1:4000/participants/bank-bpd/task-status',
      WEBHOOK_ACKNOWLEDGE: 'decision-stored',
      LOG_LEVEL: 'info',
    });
    expect(loadBankEnv({ WEBHOOK_SECRET: secret, SIMPUL_STATUS_URL: 'https://simpul.example.go.id/participants/bank-bpd/task-status', HOST: '0.0.0.0', PORT: '8080', DATA_DIR: '/srv/bpd', WEBHOOK_ACKNOWLEDGE: 'report-accepted' })).toMatchObject({
      WEBHOOK_ACKNOWLEDGE: 'report-accepted',
      HOST: '0.0.0.0',
      PORT: 8080,
      DATA_DIR: '/srv/bpd',
    });
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadBankEnv({ WEBHOOK_SECRET: 'too-short', SIMPUL_STATUS_URL: 'gateway:4000', PORT: '70000', LOG_LEVEL: 'verbose', WEBHOOK_ACKNOWLEDGE: 'eventually' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/^WEBHOOK_ACKNOWLEDGE: /m);
    expect(problems.join('\n')).toMatch(/^WEBHOOK_SECRET: must be at least 24 characters$/m);
    expect(problems.join('\n')).toMatch(/^SIMPUL_STATUS_URL: required: Simpul’s status URL/m);
    expect(problems.join('\n')).toMatch(/^PORT: /m);
    expect(problems.join('\n')).toMatch(/^LOG_LEVEL: /m);
  });

  it('names the missing variables', () => {
    expect(() => loadBankEnv({})).toThrow(/WEBHOOK_SECRET: required[\s\S]*SIMPUL_STATUS_URL: required/);
  });
});
