import type { Database } from '@simpul/service-kit';
import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { verificationFailures, type DukcapilSchema } from '../../db/schema';

/** Today in WIB (UTC+7, no daylight saving), on the database's clock: one clock for every replica. */
const TODAY = sql`((now() at time zone 'UTC') + interval '7 hours')::date`;
const windowStart = (days: number) => sql`${TODAY} - ${days}::int`;

/**
 * Serialises one client's verifications (a transaction-scoped advisory lock), so that concurrent
 * requests, on any replica, cannot all pass the check before any of them is counted.
 */
export async function lockClientVerifications(tx: Database<DukcapilSchema>, clientId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`dukcapil.verify-citizen:${clientId}`}, 0))`);
}

/** The client's failed claim checks about `nik` within the window, and about anyone today. */
export async function countFailedClaimChecks(
  tx: Database<DukcapilSchema>,
  query: { clientId: string; nik: string; windowDays: number },
): Promise<{ ofNik: number; ofClientToday: number }> {
  const [row] = await tx
    .select({
      ofNik: sql<number>`coalesce(sum(${verificationFailures.failures}) filter (where ${verificationFailures.nik} = ${query.nik}), 0)::int`,
      ofClientToday: sql<number>`coalesce(sum(${verificationFailures.failures}) filter (where ${verificationFailures.day} = ${TODAY}), 0)::int`,
    })
    .from(verificationFailures)
    .where(and(eq(verificationFailures.clientId, query.clientId), gt(verificationFailures.day, windowStart(query.windowDays))));
  return { ofNik: row?.ofNik ?? 0, ofClientToday: row?.ofClientToday ?? 0 };
}

/** Counts failed claim checks against today, and forgets the client's days that left the window. */
export async function addFailedClaimChecks(tx: Database<DukcapilSchema>, entry: { clientId: string; nik: string; failures: number; windowDays: number }): Promise<void> {
  await tx
    .insert(verificationFailures)
    .values({ clientId: entry.clientId, nik: entry.nik, day: TODAY, failures: entry.failures })
    .onConflictDoUpdate({
      target: [verificationFailures.clientId, verificationFailures.nik, verificationFailures.day],
      set: { failures: sql`${verificationFailures.failures} + excluded.failures` },
    });
  await tx.delete(verificationFailures).where(and(eq(verificationFailures.clientId, entry.clientId), lte(verificationFailures.day, windowStart(entry.windowDays))));
}
