import type { z } from 'zod';
import { PermanentEventError } from '../consumer/event-consumer';
import type { AssignedTask } from './task-worker';

export interface ParseTaskInputsOptions {
  /**
   * The error a mismatch throws, given its problems (`path: message`, one per issue). Default: a
   * PermanentEventError naming them all. Keep it permanent: another attempt cannot repair the inputs.
   */
  error?: (problems: readonly string[]) => PermanentEventError;
}

/**
 * The task's inputs as `schema` describes them. The applications service produced them from the
 * catalogue, so a mismatch is a broken contract between the two, never the citizen's mistake: it
 * throws a PermanentEventError naming the problems (the task is dead-lettered, not retried nor
 * rejected).
 */
export function parseTaskInputs<S extends z.ZodType>(task: AssignedTask, schema: S, options: ParseTaskInputsOptions = {}): z.output<S> {
  const parsed = schema.safeParse(task.inputs);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(inputs)'}: ${issue.message}`);
  throw options.error?.(problems) ?? new PermanentEventError(`${task.taskKind} task ${task.taskId} has malformed inputs: ${problems.join('; ')}`);
}
