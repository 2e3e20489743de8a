import { createLogger, DomainError, type GatewayClient, type InternalCaller } from '@simpul/service-kit';
import { createAccessGrantCheck } from './access-grants';

const BANK: InternalCaller = { subject: 'sa-brk', client: 'participant-bank-riau-kepri', actorType: 'client', roles: ['participant:bank-riau-kepri'], purpose: 'legal-basis:CONTRACT_PERFORMANCE', correlationId: 'c', audience: 'dukcapil' };
const GRANT = { agreementNumber: '470/0007/Dukcapil/2026', item: 'Query.verifyCitizen', claims: ['fullName', 'birthDate'], purposes: ['legal-basis:CONTRACT_PERFORMANCE'] };

/** The registry as the gateway would answer for it: what it holds now, and how often it was asked. */
function registry(answer: () => unknown) {
  const asked: string[] = [];
  const gateway: GatewayClient = {
    async query<T>(_query: string, variables?: Record<string, unknown>) {
      asked.push(String(variables?.clientId));
      const value = answer();
      if (value instanceof Error) throw value;
      return { clientAccess: value } as T;
    },
  };
  return { gateway, asked };
}

async function rule(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
    return 'allowed';
  } catch (error) {
    if (error instanceof DomainError) return error.details.rule;
    throw error;
  }
}

const logger = createLogger('dukcapil-test', 'silent');

describe('createAccessGrantCheck', () => {
  it('lets a registered partner verify the claims its grant covers under its purposes, naming the agreement; refuses the rest', async () => {
    const { gateway } = registry(() => ({ registered: true, participantCode: 'bank-riau-kepri', grants: [GRANT] }));
    const check = createAccessGrantCheck({ gateway, logger });
    expect(await check.requireVerification(BANK, ['fullName', 'birthDate'])).toBe('470/0007/Dukcapil/2026');
    expect(await rule(check.requireVerification(BANK, ['fullName', 'birthPlace']))).toBe('GRANT_REQUIRED');
    expect(await rule(check.requireVerification({ ...BANK, purpose: 'legal-basis:LEGITIMATE_INTEREST' }, ['fullName']))).toBe('GRANT_REQUIRED');
  });

  it('leaves agencies and the clients the registry does not know to the SDL; refuses a partner when the registry cannot be asked', async () => {
    const unknown = createAccessGrantCheck({ gateway: registry(() => ({ registered: false, participantCode: null, grants: [] })).gateway, logger });
    expect(await unknown.requireVerification({ ...BANK, client: 'bank-bpd', roles: ['participant:bank-bpd'] }, ['birthPlace'])).toBeUndefined();
    const down = registry(() => new Error('gateway down'));
    const failing = createAccessGrantCheck({ gateway: down.gateway, logger });
    expect(await failing.requireVerification({ ...BANK, roles: ['agency:tax', 'participant:tax'] }, ['fullName'])).toBeUndefined();
    expect(down.asked).toEqual([]);
    expect(await rule(failing.requireVerification(BANK, ['fullName']))).toBe('GRANT_LOOKUP_FAILED');
  });

  it('reuses an answer for ttlMs only: a revocation is in force once that much time has passed', async () => {
    let grants = [GRANT];
    let now = 1_000;
    const { gateway, asked } = registry(() => ({ registered: true, participantCode: 'bank-riau-kepri', grants }));
    const check = createAccessGrantCheck({ gateway, logger, ttlMs: 5_000, now: () => now });
    await check.requireVerification(BANK, ['fullName']);
    grants = [];
    now += 4_999;
    expect(await rule(check.requireVerification(BANK, ['fullName']))).toBe('allowed');
    now += 1;
    expect(await rule(check.requireVerification(BANK, ['fullName']))).toBe('GRANT_REQUIRED');
    expect(asked).toHaveLength(2);
  });
});
