import { PermanentEventError, type AssignedTask } from '@simpul/events';
import { parseNik } from '@simpul/identifiers';
import { z } from 'zod';

// Task inputs are produced by the applications service from the catalogue: one that does not match
// is a contract bug, not something the citizen can fix, so it is a PermanentEventError (dead-lettered).

export const nikInput = z.string().transform((value, ctx) => {
  const parsed = parseNik(value);
  if (parsed.ok) return parsed.value.nik;
  ctx.addIssue({ code: 'custom', message: `${parsed.rule}: ${parsed.message}` });
  return z.NEVER;
});

export const isoDateInput = z.iso.date();

export function parseTaskInputs<S extends z.ZodType>(task: AssignedTask, schema: S): z.output<S> {
  const result = schema.safeParse(task.inputs);
  if (!result.success) {
    throw new PermanentEventError(`${task.taskKind} task ${task.taskId} has malformed inputs:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}
