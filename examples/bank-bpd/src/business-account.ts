import { randomInt } from 'node:crypto';
import { nikHashSchema, parseTaskInputs, type AssignedTask, type TaskDecision, type TaskHandler } from '@simpul/connector-sdk';
import { z } from 'zod';
import type { BankLedger, BusinessAccount } from './ledger';

export const BUSINESS_ACCOUNT = 'BUSINESS_ACCOUNT';

/** The bank is not entitled to the NIK: it gets `applicantNikHash`, and refuses the plaintext NIK. */
export const openBusinessAccountInputs = z
  .looseObject({
    applicantNikHash: nikHashSchema,
    businessName: z.string().trim().min(1).max(120),
  })
  .refine((inputs) => !('applicantNik' in inputs), { message: 'Bank BPD is not entitled to the NIK: expected applicantNikHash, got applicantNik', path: ['applicantNik'] });

export function businessKey(name: string): string {
  return name
    .toLowerCase()
    .replace(/[.,'"&()-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A random 13-digit account number at branch 001 (13 digits: never taken for a civil-registry number). */
export function randomAccountNumber(): string {
  return `001${String(randomInt(0, 100_000)).padStart(5, '0')}${String(randomInt(0, 100_000)).padStart(5, '0')}`;
}

const approved = (account: BusinessAccount): TaskDecision => ({ status: 'APPROVED', documents: [{ kind: BUSINESS_ACCOUNT, number: account.accountNumber }] });

/**
 * OPEN_BUSINESS_ACCOUNT: opens a business current account, at most one per applicant and business
 * name. Keyed by taskId, so a task delivered again gets the account it opened, not a second one.
 */
export function openBusinessAccount(ledger: BankLedger, options: { newAccountNumber?: () => string; now?: () => Date } = {}): TaskHandler {
  const newAccountNumber = options.newAccountNumber ?? randomAccountNumber;
  const now = options.now ?? (() => new Date());
  return async (task: AssignedTask) => {
    const inputs = parseTaskInputs(task, openBusinessAccountInputs);
    const key = businessKey(inputs.businessName);
    return ledger.update((draft): TaskDecision => {
      const opened = draft.accounts.find((account) => account.taskId === task.taskId);
      if (opened) return approved(opened);
      const existing = draft.accounts.find((account) => account.applicantNikHash === inputs.applicantNikHash && account.businessKey === key);
      if (existing) {
        return {
          status: 'REJECTED',
          reason: `The applicant already holds a business account for ${existing.businessName} (account ending ${existing.accountNumber.slice(-4)}).`,
        };
      }
      const taken = new Set(draft.accounts.map((account) => account.accountNumber));
      let accountNumber = newAccountNumber();
      for (let tries = 0; taken.has(accountNumber); tries++) {
        if (tries > 100) throw new Error('could not draw an unused account number');
        accountNumber = newAccountNumber();
      }
      const account: BusinessAccount = {
        accountNumber,
        applicantNikHash: inputs.applicantNikHash,
        businessName: inputs.businessName,
        businessKey: key,
        taskId: task.taskId,
        applicationId: task.applicationId,
        openedAt: now().toISOString(),
      };
      draft.accounts.push(account);
      return approved(account);
    });
  };
}
