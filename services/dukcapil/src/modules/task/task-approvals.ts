import { eq } from 'drizzle-orm';
import type { AssignedTask, TaskDecision } from '@simpul/events';
import type { AuditRecorder } from '@simpul/service-kit';
import { taskApprovals } from '../../db/schema';
import type { DukcapilTaskHandler } from './task-handler';

/**
 * Reports, as READs, the personal data a stored approval tells the applications service again when
 * a re-sent task is answered from it (the handler does not run, but the answer still discloses it).
 */
export type ApprovalReadback = (task: AssignedTask, approval: Pick<typeof taskApprovals.$inferSelect, 'documents' | 'note'>, audit: AuditRecorder) => void;

/**
 * A task approved once stays approved with the same documents: a re-sent task (a new event, same
 * task id) must not issue a second KK or NIK. Rejections are decided again, since they changed
 * nothing and the facts may have been corrected since.
 */
export function approvingOnce<K extends string>(
  handlers: Record<K, DukcapilTaskHandler>,
  readbacks: Record<NoInfer<K>, ApprovalReadback>,
): Record<K, DukcapilTaskHandler> {
  return Object.fromEntries(
    (Object.entries(handlers) as [K, DukcapilTaskHandler][]).map(([kind, handler]): [K, DukcapilTaskHandler] => [
      kind,
      async (task, tx, audit) => {
        const [approved] = await tx.select().from(taskApprovals).where(eq(taskApprovals.taskId, task.taskId));
        if (approved) {
          readbacks[kind](task, approved, audit);
          return { status: 'APPROVED', documents: approved.documents, ...(approved.note ? { note: approved.note } : {}) };
        }
        const decision: TaskDecision = await handler(task, tx, audit);
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
  ) as Record<K, DukcapilTaskHandler>;
}
