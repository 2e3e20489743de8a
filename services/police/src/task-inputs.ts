import type { TransactionOf } from '@simpul/events';
import { parseNik, parsePlateNumber } from '@simpul/identifiers';
import type { Database } from '@simpul/service-kit';
import { z } from 'zod';
import type { PoliceSchema } from './db/schema';

/** The transaction a task handler decides in (shared with the inbox record and the outbox row). */
export type PoliceTransaction = TransactionOf<Database<PoliceSchema>>;

// The inputs of the tasks, read with parseTaskInputs (@simpul/events): the applications service
// validated them against the catalogue, so one that does not parse is dead-lettered, not rejected.

export const nikInput = z.string().transform((value, ctx) => {
  const parsed = parseNik(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.value.nik;
});

/** The normalised plate, 'BM 1234 AB'. */
export const plateNumberInput = z.string().transform((value, ctx) => {
  const parsed = parsePlateNumber(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.value.plateNumber;
});

/** Today's date in Indonesia (WIB), YYYY-MM-DD: the date printed on what the office issues. */
export function indonesianDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
