import { PermanentEventError, type AssignedTask, type TransactionOf } from '@simpul/events';
import { parseNik, parsePlateNumber } from '@simpul/identifiers';
import type { AuditRecorder, Database } from '@simpul/service-kit';
import { z } from 'zod';
import type { PoliceSchema } from './db/schema';

/** The transaction a task handler decides in (shared with the inbox record and the outbox row). */
export type PoliceTransaction = TransactionOf<Database<PoliceSchema>>;

// Task inputs were validated by the applications service against the catalogue: one that does not
// parse here is a contract bug between the two, never the citizen's mistake, so it is permanent.

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

/** The task's inputs as `schema` describes them; malformed ones throw PermanentEventError (dead-lettered, not retried). */
export function parseTaskInputs<S extends z.ZodType>(task: AssignedTask, schema: S): z.output<S> {
  const result = schema.safeParse(task.inputs);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(inputs)'}: ${issue.message}`).join('; ');
  throw new PermanentEventError(`${task.taskKind} task ${task.taskId} has malformed inputs: ${problems}`);
}

/** Reports that the handler read these fields of `typeName` (the police's SDL) of the citizen `nik`. */
export function reportRead(audit: AuditRecorder, nik: string, typeName: string, fieldNames: readonly string[]): void {
  for (const fieldName of fieldNames) audit.access({ nik, typeName, fieldName, kind: 'READ' });
}

/** Today's date in Indonesia (WIB), YYYY-MM-DD: the date printed on what the office issues. */
export function indonesianDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
