import { EnvError, loadEnv } from '@simpul/service-kit';
import { dukcapilEnvSchema } from './env';
import { DEFAULT_VERIFICATION_LIMITS, verificationLimitsOf } from './modules/verification/verification-limits';

const base = { PORT: '4001', DATABASE_URL: 'postgres://127.0.0.1/dukcapil' };

describe('dukcapil environment', () => {
  it('defaults the verification limits, and reads the partners’ quotas', () => {
    expect(verificationLimitsOf(loadEnv(dukcapilEnvSchema, base))).toEqual(DEFAULT_VERIFICATION_LIMITS);
    const env = loadEnv(dukcapilEnvSchema, { ...base, VERIFICATION_FAILED_CLAIMS_PER_NIK: '5', VERIFICATION_CLIENT_QUOTAS: 'bank-bpd=500, pln=20' });
    expect(verificationLimitsOf(env)).toMatchObject({ failedClaimsPerNik: 5, clientQuotas: new Map([['bank-bpd', 500], ['pln', 20]]) });
  });

  it.each([
    ['VERIFICATION_FAILED_CLAIMS_PER_NIK', '0'],
    ['VERIFICATION_NIK_WINDOW_DAYS', 'a month'],
    ['VERIFICATION_CLIENT_QUOTAS', 'bank-bpd:500'],
    ['VERIFICATION_CLIENT_QUOTAS', 'bank-bpd=0'],
  ])('refuses %s=%s at start', (name, value) => {
    expect(() => loadEnv(dukcapilEnvSchema, { ...base, [name]: value })).toThrow(EnvError);
  });
});
