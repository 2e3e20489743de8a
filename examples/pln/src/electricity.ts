import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { JsonState, nikHashSchema, parseTaskInputs, type AssignedTask, type TaskDecision, type TaskHandler } from '@simpul/connector-sdk';
import { z } from 'zod';

/** The document PLN issues: the IDPEL, PLN's 12-digit customer id. */
export const PLN_CUSTOMER_ID = 'PLN_CUSTOMER_ID';

/**
 * What PLN receives for CONNECT_ELECTRICITY. PLN is not entitled to the NIK: it gets
 * `applicantNikHash` (hashNik), and refuses a task carrying the plaintext NIK. The NIB comes in
 * `issuedDocuments`, issued by the step this one depends on.
 */
export const connectElectricityInputs = z
  .looseObject({
    applicantNikHash: nikHashSchema,
    businessAddress: z.string().trim().min(5).max(200),
    issuedDocuments: z.array(z.looseObject({ kind: z.string() })).default([]),
  })
  .refine((inputs) => !('applicantNik' in inputs), { message: 'PLN is not entitled to the NIK: expected applicantNikHash, got applicantNik', path: ['applicantNik'] })
  .transform((inputs, ctx) => {
    const nib = inputs.issuedDocuments.find((document) => document.kind === 'NIB');
    const number = nib && 'number' in nib && typeof nib.number === 'string' ? nib.number : undefined;
    if (!number || !/^\d{13}$/.test(number)) {
      ctx.addIssue({ code: 'custom', message: 'expected the 13-digit NIB among issuedDocuments (kind NIB)', path: ['issuedDocuments'] });
      return z.NEVER;
    }
    return { applicantNikHash: inputs.applicantNikHash, businessAddress: inputs.businessAddress, nib: number };
  });

const customerSchema = z.strictObject({
  customerId: z.string().regex(/^\d{12}$/),
  addressKey: z.string(),
  businessAddress: z.string(),
  applicantNikHash: nikHashSchema,
  nib: z.string(),
  connectedAt: z.iso.datetime({ offset: true }),
  /** Every task answered with this customer id: a task delivered again finds its answer here. */
  taskIds: z.array(z.uuid()),
});
export type PlnCustomer = z.output<typeof customerSchema>;

const ledgerSchema = z.strictObject({ version: z.literal(1), customers: z.array(customerSchema) });
export type PlnLedger = JsonState<z.output<typeof ledgerSchema>>;

export const LEDGER_FILE = 'pln-customers.json';

/** PLN's own records: `<dataDir>/pln-customers.json`, or in memory without a data directory. */
export function openPlnLedger(dataDir: string | undefined): Promise<PlnLedger> {
  return JsonState.open({
    file: dataDir ? join(dataDir, LEDGER_FILE) : undefined,
    schema: ledgerSchema,
    initial: () => ({ version: 1 as const, customers: [] }),
  });
}

/**
 * One connection per address: "Jl. Sudirman No. 12, Pekanbaru" and "jalan sudirman 12 pekanbaru"
 * are the same premises.
 */
export function addressKey(address: string): string {
  return address
    .toLowerCase()
    .replace(/[.,;:#/()-]/g, ' ')
    .replace(/\bjalan\b/g, 'jl')
    .replace(/\b(?:nomor|no)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A random IDPEL: 12 digits, never starting with 0. */
export function randomCustomerId(): string {
  return `${randomInt(1, 10)}${String(randomInt(0, 100_000)).padStart(5, '0')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

const approved = (customer: PlnCustomer, note?: string): TaskDecision => ({
  status: 'APPROVED',
  documents: [{ kind: PLN_CUSTOMER_ID, number: customer.customerId }],
  ...(note ? { note } : {}),
});

/**
 * CONNECT_ELECTRICITY: issues a PLN customer id for the business address, or rejects it when the
 * address is already connected for another applicant. The same applicant at an address already
 * connected keeps its customer id. Keyed by taskId, so a redelivered task gets the same answer.
 */
export function connectElectricity(ledger: PlnLedger, options: { newCustomerId?: () => string; now?: () => Date } = {}): TaskHandler {
  const newCustomerId = options.newCustomerId ?? randomCustomerId;
  const now = options.now ?? (() => new Date());
  return async (task: AssignedTask) => {
    const inputs = parseTaskInputs(task, connectElectricityInputs);
    const key = addressKey(inputs.businessAddress);
    return ledger.update((draft): TaskDecision => {
      const answered = draft.customers.find((customer) => customer.taskIds.includes(task.taskId));
      if (answered) return approved(answered);
      const atAddress = draft.customers.find((customer) => customer.addressKey === key);
      if (atAddress && atAddress.applicantNikHash !== inputs.applicantNikHash) {
        return { status: 'REJECTED', reason: `The address ${inputs.businessAddress} is already connected for another PLN customer.` };
      }
      if (atAddress) {
        atAddress.taskIds.push(task.taskId);
        return approved(atAddress, `The address is already connected for this applicant: PLN customer id ${atAddress.customerId}.`);
      }
      const taken = new Set(draft.customers.map((customer) => customer.customerId));
      let customerId = newCustomerId();
      for (let tries = 0; taken.has(customerId); tries++) {
        if (tries > 100) throw new Error('could not draw an unused PLN customer id');
        customerId = newCustomerId();
      }
      const customer: PlnCustomer = {
        customerId,
        addressKey: key,
        businessAddress: inputs.businessAddress,
        applicantNikHash: inputs.applicantNikHash,
        nib: inputs.nib,
        connectedAt: now().toISOString(),
        taskIds: [task.taskId],
      };
      draft.customers.push(customer);
      return approved(customer);
    });
  };
}
