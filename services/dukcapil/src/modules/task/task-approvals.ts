import { eq } from 'drizzle-orm';
import type { TaskDecision } from '@simpul/events';
import { taskApprovals } from '../../db/schema';
import type { DukcapilTaskHandler } from './task-handler';

/**
 * A task approved once stays approved with the same documents: a re-sent task (a new event, same
 * task id) must not issue a second KK or NIK. Rejections are decided again, since they changed
 * nothing and the facts may have been corrected since.
 */
export function approvingOnce(handlers: Record<string, DukcapilTaskHandler>): Record<string, DukcapilTaskHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([kind, handler]): [string, DukcapilTaskHandler] => [
      kind,
      async (task, tx) => {
        const [approved] = await tx.select().from(taskApprovals).where(eq(taskApprovals.taskId, task.taskId));
        if (approved) return { status: 'APPROVED', documents: approved.documents, ...(approved.note ? { note: approved.note } : {}) };
        const decision: TaskDecision = await handler(task, tx);
        if (decision.status === 'APPROVED') {
          await tx.insert(taskApprovals).values({
            taskId: task.taskId,
            applicationId: task.applicationId,
            taskKind: task.taskKind,
            documents: decision.documents ?? [],
            note: decision.note ?? null,
          });
        }
        return decision;
      },
    ]),
  );
}
