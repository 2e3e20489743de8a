import { DomainError, type Database } from '@simpul/service-kit';
import type { DukcapilSchema } from '../../db/schema';
import { dailyLimitOf, type VerificationLimits } from './verification-limits';
import { addFailedClaimChecks, countFailedClaimChecks, lockClientVerifications } from './verification.repository';

/** What verifyCitizen needs to keep a partner's wrong answers within its limits. */
export interface VerificationLedger {
  db: Database<DukcapilSchema>;
  limits: VerificationLimits;
}

/**
 * Lets an answer about `nik` go to `clientId` only within the client's limits: refused (FORBIDDEN,
 * VERIFICATION_LIMIT) once the client has had its failed claim checks about this NIK in the window or
 * about anyone today; otherwise its `failedClaims` (claims answered `false`) are counted. Each yes/no
 * narrows what the registry holds: without a limit, a partner could guess a value (a birthplace, a
 * KK number) one answer at a time.
 *
 * An answer with no wrong claim counts nothing and needs a plain read (partners' ordinary checks never
 * wait on each other). One with wrong claims is checked and counted in one transaction under the
 * client's lock, so concurrent guesses, on any replica, cannot all pass before one is counted.
 */
export async function admitVerificationAnswer(ledger: VerificationLedger, answer: { clientId: string; nik: string; failedClaims: number }): Promise<void> {
  const { limits } = ledger;
  const query = { clientId: answer.clientId, nik: answer.nik, windowDays: limits.nikWindowDays };
  if (answer.failedClaims === 0) {
    refuseOverLimit(limits, answer.clientId, await countFailedClaimChecks(ledger.db, query));
    return;
  }
  await ledger.db.transaction(async (tx) => {
    await lockClientVerifications(tx, answer.clientId);
    refuseOverLimit(limits, answer.clientId, await countFailedClaimChecks(tx, query));
    await addFailedClaimChecks(tx, { ...query, failures: answer.failedClaims });
  });
}

function refuseOverLimit(limits: VerificationLimits, clientId: string, used: { ofNik: number; ofClientToday: number }): void {
  if (used.ofNik >= limits.failedClaimsPerNik) {
    throw new DomainError(
      'FORBIDDEN',
      `Verification limit reached: ${limits.failedClaimsPerNik} failed claim checks about this NIK in ${limits.nikWindowDays} days. Ask the citizen to confirm their data at a Dukcapil counter.`,
      { rule: 'VERIFICATION_LIMIT', limit: 'PER_NIK' },
    );
  }
  const daily = dailyLimitOf(limits, clientId);
  if (used.ofClientToday >= daily) {
    throw new DomainError('FORBIDDEN', `Verification limit reached: ${daily} failed claim checks today (WIB). The quota resets at midnight WIB.`, {
      rule: 'VERIFICATION_LIMIT',
      limit: 'PER_CLIENT_PER_DAY',
    });
  }
}
