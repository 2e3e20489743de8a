import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashNik, UnprocessableTaskError, type AssignedTask } from '@simpul/connector-sdk';
import { taskAssignedEvent } from '@simpul/connector-sdk/testing';
import { addressKey, connectElectricity, openPlnLedger, randomCustomerId, type PlnLedger } from './electricity';

const pepper = 'pln-test-pepper-0123456789';
const budi = hashNik('1471010101900001', pepper);
const sari = hashNik('1471014101920002', pepper);
const nib = { kind: 'NIB', number: '9120001234567' };

function task(inputs: Record<string, unknown>): AssignedTask {
  const event = taskAssignedEvent({ participant: 'pln', taskKind: 'CONNECT_ELECTRICITY', inputs: inputs as AssignedTask['inputs'] });
  return { ...event.data, eventId: event.id, correlationId: event.correlationId };
}
const connect = (applicantNikHash: string, businessAddress: string) => task({ applicantNikHash, businessAddress, issuedDocuments: [nib] });

describe('CONNECT_ELECTRICITY', () => {
  let ledger: PlnLedger;
  let ids: string[];
  beforeEach(async () => {
    ledger = await openPlnLedger(undefined);
    ids = ['512300000001', '512300000002', '512300000003'];
  });
  afterEach(() => ledger.close());
  const handler = () => connectElectricity(ledger, { newCustomerId: () => ids.shift()!, now: () => new Date('2026-11-30T10:00:00Z') });

  it('issues a 12-digit PLN customer id for a new address and records it with the NIB', async () => {
    const decision = await handler()(connect(budi, 'Jl. Sudirman No. 12, Pekanbaru'));
    expect(decision).toEqual({ status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512300000001' }] });
    expect(ledger.value.customers).toEqual([
      expect.objectContaining({ customerId: '512300000001', applicantNikHash: budi, nib: '9120001234567', addressKey: 'jl sudirman 12 pekanbaru' }),
    ]);
  });

  it('rejects an address already connected for another applicant, however the address is written', async () => {
    await handler()(connect(budi, 'Jl. Sudirman No. 12, Pekanbaru'));
    const decision = await handler()(connect(sari, 'jalan sudirman 12 pekanbaru'));
    expect(decision).toEqual({ status: 'REJECTED', reason: expect.stringContaining('already connected for another PLN customer') });
    expect(ledger.value.customers).toHaveLength(1);
  });

  it('keeps the customer id of the same applicant at an address already connected', async () => {
    await handler()(connect(budi, 'Jl. Sudirman No. 12, Pekanbaru'));
    const decision = await handler()(connect(budi, 'Jl Sudirman 12 Pekanbaru'));
    expect(decision).toMatchObject({ status: 'APPROVED', documents: [{ kind: 'PLN_CUSTOMER_ID', number: '512300000001' }], note: expect.stringContaining('already connected') });
    expect(ledger.value.customers).toHaveLength(1);
  });

  it('answers a task it already handled with the same customer id (a crash before the decision was stored)', async () => {
    const assigned = connect(budi, 'Jl. Tuanku Tambusai 5, Pekanbaru');
    const first = await handler()(assigned);
    const again = await handler()(assigned);
    expect(again).toEqual(first);
    expect(ledger.value.customers).toHaveLength(1);
  });

  it('draws another id when the drawn one is taken', async () => {
    ids = ['512300000001', '512300000001', '512300000009'];
    await handler()(connect(budi, 'Jl. A 1'));
    await expect(handler()(connect(sari, 'Jl. B 2'))).resolves.toMatchObject({ documents: [{ number: '512300000009' }] });
  });

  it.each([
    ['the plaintext NIK instead of its hash', { applicantNik: '1471010101900001', applicantNikHash: budi, businessAddress: 'Jl. A 1', issuedDocuments: [nib] }, 'not entitled to the NIK'],
    ['no NIK hash', { businessAddress: 'Jl. A 1', issuedDocuments: [nib] }, 'applicantNikHash'],
    ['no address', { applicantNikHash: budi, issuedDocuments: [nib] }, 'businessAddress'],
    ['no NIB', { applicantNikHash: budi, businessAddress: 'Jl. A 1' }, 'issuedDocuments'],
    ['a malformed NIB', { applicantNikHash: budi, businessAddress: 'Jl. A 1', issuedDocuments: [{ kind: 'NIB', number: '12345' }] }, 'issuedDocuments'],
  ])('refuses a task with %s as unprocessable (not a rejection of the citizen)', async (_case, inputs, field) => {
    const refused = handler()(task(inputs));
    await expect(refused).rejects.toBeInstanceOf(UnprocessableTaskError);
    await expect(refused).rejects.toMatchObject({ rule: 'INVALID_INPUTS', message: expect.stringContaining(field) });
    expect(ledger.value.customers).toHaveLength(0);
  });

  it('keeps its records in DATA_DIR across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simpul-pln-'));
    try {
      const onDisk = await openPlnLedger(dir);
      await connectElectricity(onDisk, { newCustomerId: () => '512300000077' })(connect(budi, 'Jl. Riau 8, Pekanbaru'));
      await onDisk.close();
      const reopened = await openPlnLedger(dir);
      const decision = await connectElectricity(reopened)(connect(sari, 'Jl. Riau 8, Pekanbaru'));
      expect(decision.status).toBe('REJECTED');
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PLN helpers', () => {
  it('normalises addresses to one key per premises', () => {
    expect(addressKey('Jl. Sudirman No. 12, Pekanbaru')).toBe(addressKey('JALAN  SUDIRMAN nomor 12 pekanbaru'));
    expect(addressKey('Jl. Sudirman 12')).not.toBe(addressKey('Jl. Sudirman 21'));
  });

  it('draws 12-digit customer ids not starting with 0', () => {
    for (let i = 0; i < 200; i++) expect(randomCustomerId()).toMatch(/^[1-9]\d{11}$/);
  });
});
