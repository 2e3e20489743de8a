import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashNik, UnprocessableTaskError, type AssignedTask } from '@simpul/connector-sdk';
import { taskAssignedEvent } from '@simpul/connector-sdk/testing';
import { openBankLedger, type BankLedger } from './ledger';
import { collectPassportFee, collectVehicleTax, formatRupiah, PASSPORT_FEES, randomReference } from './payments';

const applicantNikHash = hashNik('1471010101900001', 'bank-test-pepper-0123456789');
const at = new Date('2026-11-30T10:00:00Z');

function task(taskKind: string, inputs: Record<string, unknown>): AssignedTask {
  const event = taskAssignedEvent({ participant: 'bank-bpd', taskKind, inputs: inputs as AssignedTask['inputs'] });
  return { ...event.data, eventId: event.id, correlationId: event.correlationId };
}

describe('payments', () => {
  let ledger: BankLedger;
  let references: string[];
  beforeEach(async () => {
    ledger = await openBankLedger(undefined);
    references = ['REF-1', 'REF-2', 'REF-3'];
  });
  afterEach(() => ledger.close());
  const options = () => ({ newReference: (prefix: string) => `${prefix}-${references.shift()}`, now: () => at });

  describe('COLLECT_VEHICLE_TAX', () => {
    it('issues a PKB payment reference for the plate', async () => {
      await expect(collectVehicleTax(ledger, options())(task('COLLECT_VEHICLE_TAX', { plateNumber: 'bm  1234 ab' }))).resolves.toEqual({
        status: 'APPROVED',
        documents: [{ kind: 'PKB_PAYMENT', number: 'PKB-REF-1' }],
        note: 'PKB for BM 1234 AB: pay with reference PKB-REF-1.',
      });
      expect(ledger.value.payments).toEqual([expect.objectContaining({ kind: 'PKB_PAYMENT', plateNumber: 'BM 1234 AB', amountRupiah: null })]);
    });

    it('refuses a task whose plate number is not one', async () => {
      await expect(collectVehicleTax(ledger)(task('COLLECT_VEHICLE_TAX', { plateNumber: '1234-BM' }))).rejects.toMatchObject({ rule: 'INVALID_INPUTS' });
      await expect(collectVehicleTax(ledger)(task('COLLECT_VEHICLE_TAX', {}))).rejects.toBeInstanceOf(UnprocessableTaskError);
    });
  });

  describe('COLLECT_PASSPORT_FEE', () => {
    it.each([
      ['REGULAR', 'Regular passport fee Rp350.000'],
      ['ELECTRONIC', 'Electronic passport fee Rp650.000'],
    ])('bills the %s passport fee under PP 28/2019', async (passportKind, note) => {
      const decision = await collectPassportFee(ledger, options())(task('COLLECT_PASSPORT_FEE', { applicantNikHash, passportKind }));
      expect(decision).toEqual({ status: 'APPROVED', documents: [{ kind: 'PASSPORT_FEE_PAYMENT', number: 'PSP-REF-1' }], note: expect.stringContaining(note) });
      expect(ledger.value.payments).toEqual([
        expect.objectContaining({ kind: 'PASSPORT_FEE_PAYMENT', passportKind, amountRupiah: PASSPORT_FEES[passportKind as 'REGULAR' | 'ELECTRONIC'], applicantNikHash }),
      ]);
    });

    it('refuses an unknown passport kind and the plaintext NIK', async () => {
      await expect(collectPassportFee(ledger)(task('COLLECT_PASSPORT_FEE', { applicantNikHash, passportKind: 'DIPLOMATIC' }))).rejects.toMatchObject({ rule: 'INVALID_INPUTS' });
      await expect(collectPassportFee(ledger)(task('COLLECT_PASSPORT_FEE', { applicantNik: '1471010101900001', applicantNikHash, passportKind: 'REGULAR' }))).rejects.toThrow(
        'not entitled to the NIK',
      );
      expect(ledger.value.payments).toHaveLength(0);
    });
  });

  it('issues one reference per task: a task handled again gets the same one', async () => {
    const handler = collectPassportFee(ledger, options());
    const assigned = task('COLLECT_PASSPORT_FEE', { applicantNikHash, passportKind: 'REGULAR' });
    const first = await handler(assigned);
    await expect(handler(assigned)).resolves.toEqual(first);
    await expect(handler(task('COLLECT_PASSPORT_FEE', { applicantNikHash, passportKind: 'REGULAR' }))).resolves.toMatchObject({ documents: [{ number: 'PSP-REF-2' }] });
    expect(ledger.value.payments).toHaveLength(2);
  });

  it('keeps its records in DATA_DIR across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simpul-bank-'));
    try {
      const onDisk = await openBankLedger(dir);
      const assigned = task('COLLECT_VEHICLE_TAX', { plateNumber: 'BM 77 XY' });
      const first = await collectVehicleTax(onDisk)(assigned);
      await onDisk.close();
      const reopened = await openBankLedger(dir);
      await expect(collectVehicleTax(reopened)(assigned)).resolves.toEqual(first);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('formats rupiah and draws references', () => {
    expect(formatRupiah(350_000)).toBe('Rp350.000');
    expect(formatRupiah(1_250_000)).toBe('Rp1.250.000');
    expect(formatRupiah(500)).toBe('Rp500');
    expect(randomReference('PSP', at)).toMatch(/^PSP-20261130-[0-9A-HJKMNP-TV-Z]{8}$/);
  });
});
