import { hashNik, UnprocessableTaskError, type AssignedTask } from '@simpul/connector-sdk';
import { taskAssignedEvent } from '@simpul/connector-sdk/testing';
import { businessKey, openBusinessAccount, randomAccountNumber } from './business-account';
import { openBankLedger, type BankLedger } from './ledger';

const pepper = 'bank-test-pepper-0123456789';
const budi = hashNik('1471010101900001', pepper);
const sari = hashNik('1471014101920002', pepper);

function task(inputs: Record<string, unknown>): AssignedTask {
  const event = taskAssignedEvent({ participant: 'bank-bpd', taskKind: 'OPEN_BUSINESS_ACCOUNT', inputs: inputs as AssignedTask['inputs'] });
  return { ...event.data, eventId: event.id, correlationId: event.correlationId };
}

describe('OPEN_BUSINESS_ACCOUNT', () => {
  let ledger: BankLedger;
  let numbers: string[];
  beforeEach(async () => {
    ledger = await openBankLedger(undefined);
    numbers = ['0010000000001', '0010000000002', '0010000000003'];
  });
  afterEach(() => ledger.close());
  const handler = () => openBusinessAccount(ledger, { newAccountNumber: () => numbers.shift()! });

  it('opens an account and issues its number as a BUSINESS_ACCOUNT document', async () => {
    await expect(handler()(task({ applicantNikHash: budi, businessName: 'Warung Sate Pak Budi' }))).resolves.toEqual({
      status: 'APPROVED',
      documents: [{ kind: 'BUSINESS_ACCOUNT', number: '0010000000001' }],
    });
    expect(ledger.value.accounts).toEqual([expect.objectContaining({ accountNumber: '0010000000001', applicantNikHash: budi, businessName: 'Warung Sate Pak Budi' })]);
  });

  it('rejects a second account for the same applicant and business name, however it is written', async () => {
    await handler()(task({ applicantNikHash: budi, businessName: 'Warung Sate Pak Budi' }));
    await expect(handler()(task({ applicantNikHash: budi, businessName: '  warung  sate pak budi ' }))).resolves.toEqual({
      status: 'REJECTED',
      reason: 'The applicant already holds a business account for Warung Sate Pak Budi (account ending 0001).',
    });
    expect(ledger.value.accounts).toHaveLength(1);
  });

  it('opens accounts for another business of the same applicant, and for the same name of another applicant', async () => {
    await handler()(task({ applicantNikHash: budi, businessName: 'Warung Sate Pak Budi' }));
    await expect(handler()(task({ applicantNikHash: budi, businessName: 'Bengkel Motor Budi' }))).resolves.toMatchObject({ status: 'APPROVED' });
    await expect(handler()(task({ applicantNikHash: sari, businessName: 'Warung Sate Pak Budi' }))).resolves.toMatchObject({ status: 'APPROVED' });
    expect(ledger.value.accounts.map((a) => a.accountNumber)).toEqual(['0010000000001', '0010000000002', '0010000000003']);
  });

  it('answers a task it already handled with the account it opened, not a rejection', async () => {
    const assigned = task({ applicantNikHash: budi, businessName: 'Toko Kue Melati' });
    const first = await handler()(assigned);
    await expect(handler()(assigned)).resolves.toEqual(first);
    expect(ledger.value.accounts).toHaveLength(1);
  });

  it.each([
    ['the plaintext NIK', { applicantNik: '1471010101900001', applicantNikHash: budi, businessName: 'X' }, 'not entitled to the NIK'],
    ['no NIK hash', { businessName: 'X' }, 'applicantNikHash'],
    ['an empty business name', { applicantNikHash: budi, businessName: ' ' }, 'businessName'],
  ])('refuses a task with %s as unprocessable', async (_case, inputs, field) => {
    const refused = handler()(task(inputs));
    await expect(refused).rejects.toBeInstanceOf(UnprocessableTaskError);
    await expect(refused).rejects.toThrow(field);
  });

  it('draws 13-digit account numbers and compares business names loosely', () => {
    for (let i = 0; i < 100; i++) expect(randomAccountNumber()).toMatch(/^001\d{10}$/);
    expect(businessKey('CV. Maju-Jaya')).toBe(businessKey('cv maju jaya'));
  });
});
