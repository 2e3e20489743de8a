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
 * Runs one claim check for `clientId` about `nik` within the client's limits: refused (FORBIDDEN,
 * VERIFICATION_LIMIT) once the client has had its failed claim checks about this NIK in the window or
 * about anyone today, else run, and each claim it answers `false` counted. Each yes/no narrows what
 * the registry holds: without a limit, a partner could guess a value (a birthplace, a KK number) one
 * answer at a time.
 */
export async function checkWithinVerificationLimits<T>(
  ledger: VerificationLedger,
  who: { clientId: string; nik: string },
  check: () => Promise<{ answer: T; failedClaims: number }>,
): Promise<T> {
  const { limits } = ledger;
  return ledger.db.transaction(async (tx) => {
    await lockClientVerifications(tx, who.clientId);
    const used = await countFailedClaimChecks(tx, { ...who, windowDays: limits.nikWindowDays });
    if (used.ofNik >= limits.failedClaimsPerNik) {
      throw new DomainError(
        'FORBIDDEN',
        `Verification limit reached: ${limits.failedClaimsPerNik} failed claim checks about this NIK in ${limits.nikWindowDays} days. Ask the citizen to confirm their data at a Dukcapil counter.`,
        { rule: 'VERIFICATION_LIMIT', limit: 'PER_NIK' },
      );
    }
    const daily = dailyLimitOf(limits, who.clientId);
    if (used.ofClientToday >= daily) {
      throw new DomainError('FORBIDDEN', `Verification limit reached: ${daily} failed claim checks today (WIB). The quota resets at midnight WIB.`, {
        rule: 'VERIFICATION_LIMIT',
        limit: 'PER_CLIENT_PER_DAY',
      });
    }
    const { answer, failedClaims } = await check();
    if (failedClaims > 0) await addFailedClaimChecks(tx, { ...who, failures: failedClaims, windowDays: limits.nikWindowDays });
    return answer;
  });
}
