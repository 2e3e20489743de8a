import { randomInt } from 'node:crypto';
import { nikHashSchema, parseTaskInputs, type AssignedTask, type TaskDecision, type TaskHandler } from '@simpul/connector-sdk';
import { z } from 'zod';
import { PASSPORT_KINDS, type BankLedger, type PassportKind, type Payment } from './ledger';

export const PKB_PAYMENT = 'PKB_PAYMENT';
export const PASSPORT_FEE_PAYMENT = 'PASSPORT_FEE_PAYMENT';

/** Passport fees in rupiah (PP 28/2019 on PNBP at the Ministry of Law and Human Rights, as amended). */
export const PASSPORT_FEES: Record<PassportKind, number> = { REGULAR: 350_000, ELECTRONIC: 650_000 };

/** Rp350.000: the rupiah as written in Indonesia (dot as thousands separator). */
export function formatRupiah(amount: number): string {
  return `Rp${String(amount).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `PKB-20261130-7KQ2M9XA`: a payment reference the citizen pays against. */
export function randomReference(prefix: 'PKB' | 'PSP', at: Date): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '');
  const code = Array.from({ length: 8 }, () => REFERENCE_ALPHABET[randomInt(0, REFERENCE_ALPHABET.length)]).join('');
  return `${prefix}-${day}-${code}`;
}

/** "bm  1234 ab" → "BM 1234 AB": Indonesian plates are region letters, a number, up to three letters. */
export const collectVehicleTaxInputs = z.looseObject({
  plateNumber: z
    .string()
    .transform((plate) => plate.trim().toUpperCase().replace(/\s+/g, ' '))
    .pipe(z.string().regex(/^[A-Z]{1,2} \d{1,4}(?: [A-Z]{1,3})?$/, 'expected a plate number such as "BM 1234 AB"')),
});

export const collectPassportFeeInputs = z
  .looseObject({
    applicantNikHash: nikHashSchema,
    passportKind: z.enum(PASSPORT_KINDS),
  })
  .refine((inputs) => !('applicantNik' in inputs), { message: 'Bank BPD is not entitled to the NIK: expected applicantNikHash, got applicantNik', path: ['applicantNik'] });

interface PaymentOptions {
  newReference?: (prefix: 'PKB' | 'PSP', at: Date) => string;
  now?: () => Date;
}

/** Issues one payment reference per task (a task delivered again gets the same one). */
function issuePayment(ledger: BankLedger, task: AssignedTask, options: PaymentOptions, payment: Omit<Payment, 'reference' | 'taskId' | 'applicationId' | 'issuedAt'>, note: (reference: string) => string) {
  const newReference = options.newReference ?? randomReference;
  const at = (options.now ?? (() => new Date()))();
  return ledger.update((draft): TaskDecision => {
    let issued = draft.payments.find((existing) => existing.taskId === task.taskId);
    if (!issued) {
      const taken = new Set(draft.payments.map((existing) => existing.reference));
      let reference = newReference(payment.kind === PKB_PAYMENT ? 'PKB' : 'PSP', at);
      for (let tries = 0; taken.has(reference); tries++) {
        if (tries > 100) throw new Error('could not draw an unused payment reference');
        reference = newReference(payment.kind === PKB_PAYMENT ? 'PKB' : 'PSP', at);
      }
      issued = { ...payment, reference, taskId: task.taskId, applicationId: task.applicationId, issuedAt: at.toISOString() };
      draft.payments.push(issued);
    }
    return { status: 'APPROVED', documents: [{ kind: issued.kind, number: issued.reference }], note: note(issued.reference) };
  });
}

/** COLLECT_VEHICLE_TAX: a payment reference for the vehicle's annual PKB, for the tax office to record. */
export function collectVehicleTax(ledger: BankLedger, options: PaymentOptions = {}): TaskHandler {
  return async (task) => {
    const { plateNumber } = parseTaskInputs(task, collectVehicleTaxInputs);
    return issuePayment(ledger, task, options, { kind: PKB_PAYMENT, amountRupiah: null, plateNumber }, (reference) => `PKB for ${plateNumber}: pay with reference ${reference}.`);
  };
}

/** COLLECT_PASSPORT_FEE: a payment reference for the passport fee of the kind applied for. */
export function collectPassportFee(ledger: BankLedger, options: PaymentOptions = {}): TaskHandler {
  return async (task) => {
    const { applicantNikHash, passportKind } = parseTaskInputs(task, collectPassportFeeInputs);
    const amountRupiah = PASSPORT_FEES[passportKind];
    return issuePayment(
      ledger,
      task,
      options,
      { kind: PASSPORT_FEE_PAYMENT, amountRupiah, applicantNikHash, passportKind },
      (reference) => `${passportKind === 'ELECTRONIC' ? 'Electronic' : 'Regular'} passport fee ${formatRupiah(amountRupiah)} (PP 28/2019 as amended): pay with reference ${reference}.`,
    );
  };
}
