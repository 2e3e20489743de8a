import { join } from 'node:path';
import { JsonState, nikHashSchema } from '@simpul/connector-sdk';
import { z } from 'zod';

export const PASSPORT_KINDS = ['REGULAR', 'ELECTRONIC'] as const;
export type PassportKind = (typeof PASSPORT_KINDS)[number];

const accountSchema = z.strictObject({
  accountNumber: z.string().regex(/^\d{13}$/),
  applicantNikHash: nikHashSchema,
  businessName: z.string(),
  /** The business name compared case- and spacing-insensitively. */
  businessKey: z.string(),
  taskId: z.uuid(),
  applicationId: z.uuid(),
  openedAt: z.iso.datetime({ offset: true }),
});
export type BusinessAccount = z.output<typeof accountSchema>;

const paymentSchema = z.strictObject({
  reference: z.string(),
  kind: z.enum(['PKB_PAYMENT', 'PASSPORT_FEE_PAYMENT']),
  taskId: z.uuid(),
  applicationId: z.uuid(),
  /** Known for the passport fee (a tariff); the PKB amount is the tax office's assessment. */
  amountRupiah: z.number().int().positive().nullable(),
  plateNumber: z.string().optional(),
  applicantNikHash: nikHashSchema.optional(),
  passportKind: z.enum(PASSPORT_KINDS).optional(),
  issuedAt: z.iso.datetime({ offset: true }),
});
export type Payment = z.output<typeof paymentSchema>;

const ledgerSchema = z.strictObject({
  version: z.literal(1),
  accounts: z.array(accountSchema),
  payments: z.array(paymentSchema),
});
export type BankLedger = JsonState<z.output<typeof ledgerSchema>>;

export const LEDGER_FILE = 'bank-bpd-ledger.json';

/** The bank's own records: `<dataDir>/bank-bpd-ledger.json`, or in memory without a data directory. */
export function openBankLedger(dataDir: string | undefined): Promise<BankLedger> {
  return JsonState.open({
    file: dataDir ? join(dataDir, LEDGER_FILE) : undefined,
    schema: ledgerSchema,
    initial: () => ({ version: 1 as const, accounts: [], payments: [] }),
  });
}
