import { DomainError } from '@simpul/service-kit';
import { checkTransition, credentialsOf, LIFECYCLE, parseRegistration, PARTICIPANT_STATUSES, type RegistrationInput } from './participant-rules';

const bank: RegistrationInput = {
  code: 'bank-riau-kepri',
  name: '  Bank Riau   Kepri ',
  kind: 'BANK',
  regionsServed: ['1405', '1405', '2171'],
  contacts: [{ name: 'Tim Integrasi', email: 'integrasi@bankriaukepri.example', role: 'technical', phone: '+62 761 123456' }],
  connection: { kind: 'WEBHOOK', webhookUrl: 'https://api.bankriaukepri.example/simpul/tasks' },
};

function refusal(run: () => unknown): { code: string; rule: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, rule: error.details.rule };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseRegistration', () => {
  it('normalises a bank over webhooks and names its client and role', () => {
    expect(parseRegistration(bank)).toMatchObject({
      code: 'bank-riau-kepri',
      name: 'Bank Riau Kepri',
      regionsServed: ['1405', '2171'],
      webhookUrl: 'https://api.bankriaukepri.example/simpul/tasks',
      clientId: 'participant-bank-riau-kepri',
      roles: ['participant:bank-riau-kepri'],
    });
  });

  it.each([
    ['a code with capitals', { code: 'Bank-Riau' }, 'PARTICIPANT_CODE_FORMAT'],
    ['a code with a double hyphen', { code: 'bank--riau' }, 'PARTICIPANT_CODE_FORMAT'],
    ['a name with a control character', { name: 'Bank\u0000Riau' }, 'TEXT_CONTROL_CHARACTER'],
    ['no region', { regionsServed: [] }, 'REGIONS_REQUIRED'],
    ['a region that does not exist', { regionsServed: ['1499'] }, 'REGION_UNKNOWN'],
    ['no contact', { contacts: [] }, 'CONTACT_REQUIRED'],
    ['a contact without an e-mail address', { contacts: [{ name: 'A', email: 'not-mail', role: 'technical' }] }, 'CONTACT_EMAIL'],
    ['a webhook URL over ftp', { connection: { kind: 'WEBHOOK', webhookUrl: 'ftp://bank.example/tasks' } }, 'WEBHOOK_URL_SCHEME'],
    ['a javascript: webhook URL', { connection: { kind: 'WEBHOOK', webhookUrl: 'javascript:alert(1)' } }, 'WEBHOOK_URL_SCHEME'],
    ['a relative webhook URL', { connection: { kind: 'WEBHOOK', webhookUrl: '/tasks' } }, 'WEBHOOK_URL_FORMAT'],
    ['credentials in the webhook URL', { connection: { kind: 'WEBHOOK', webhookUrl: 'https://user:pw@bank.example/tasks' } }, 'WEBHOOK_URL_CREDENTIALS'],
    ['a webhook connection without a URL', { connection: { kind: 'WEBHOOK' } }, 'WEBHOOK_URL_REQUIRED'],
    ['an events connection with a URL', { connection: { kind: 'EVENTS', webhookUrl: 'https://bank.example/tasks' } }, 'WEBHOOK_URL_UNEXPECTED'],
  ] as const)('refuses %s (BAD_USER_INPUT %s)', (_what, change, rule) => {
    expect(refusal(() => parseRegistration({ ...bank, ...change } as RegistrationInput))).toEqual({ code: 'BAD_USER_INPUT', rule });
  });

  it('gives an agency its agency role too, and an integrator the integrator role', () => {
    expect(credentialsOf('bpn', 'AGENCY')).toEqual({ clientId: 'agency-bpn', roles: ['agency:bpn', 'participant:bpn'] });
    expect(credentialsOf('kominfo-siak', 'INTEGRATOR')).toEqual({ clientId: 'integrator-kominfo-siak', roles: ['integrator'] });
  });
});

describe('the lifecycle', () => {
  it('goes REGISTERED → SANDBOX → ACTIVE → SUSPENDED → ACTIVE → RETIRED', () => {
    const path = ['REGISTERED', 'SANDBOX', 'ACTIVE', 'SUSPENDED', 'ACTIVE', 'RETIRED'] as const;
    for (let i = 1; i < path.length; i += 1) expect(() => checkTransition('x', path[i - 1]!, path[i]!)).not.toThrow();
  });

  it('refuses every other move with CONFLICT ILLEGAL_TRANSITION, and none leaves RETIRED', () => {
    let refused = 0;
    for (const from of PARTICIPANT_STATUSES) {
      for (const to of PARTICIPANT_STATUSES) {
        if (LIFECYCLE[from].includes(to)) continue;
        expect(refusal(() => checkTransition('x', from, to))).toEqual({ code: 'CONFLICT', rule: 'ILLEGAL_TRANSITION' });
        refused += 1;
      }
    }
    expect(LIFECYCLE.RETIRED).toEqual([]);
    expect(refused).toBe(25 - Object.values(LIFECYCLE).flat().length);
  });
});
