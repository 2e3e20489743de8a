import { eq } from 'drizzle-orm';
import { jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import type { AuditRecorder } from '@simpul/service-kit';
import type { IssuedDocument } from '../contracts/common';
import type { PgExecutor } from '../db';
import type { AssignedTask, TaskDecision, TaskHandler } from './task-worker';

/**
 * The tasks a participant approved, with what it issued, so a task sent again gets the same answer
 * (approvingOnce). Spread it into the service's schema next to its tables:
 *
 *   export const taskApprovals = taskApprovalTable(dukcapilDbSchema);
 */
export function taskApprovalTable(schema: PgSchema) {
  return schema.table('task_approval', {
    taskId: uuid('task_id').primaryKey(),
    applicationId: uuid('application_id').notNull(),
    taskKind: text('task_kind').notNull(),
    documents: jsonb('documents').$type<IssuedDocument[]>().notNull(),
    note: text('note'),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  });
}

export type TaskApprovalTable = ReturnType<typeof taskApprovalTable>;

/** What a stored approval answers a re-sent task with. */
export type StoredApproval = Pick<TaskApprovalTable['$inferSelect'], 'documents' | 'note'>;

/**
 * Reports, as READs, the personal data a stored approval tells the applications service again when
 * a re-sent task is answered from it (the handler does not run, but the answer still discloses it).
 */
export type ApprovalReadback = (task: AssignedTask, approval: StoredApproval, audit: AuditRecorder) => void;

/**
 * A task approved once stays approved with the same documents: a re-sent task (a new event, same
 * task id) must not issue a second document. Rejections are decided again, since they changed
 * nothing and the facts may have been corrected since. `approvals` is the participant's own
 * taskApprovalTable; `readbacks` has one per task kind.
 */
export function approvingOnce<K extends string, TTx extends PgExecutor>(
  approvals: TaskApprovalTable,
  handlers: Record<K, TaskHandler<TTx>>,
  readbacks: Record<NoInfer<K>, ApprovalReadback>,
): Record<K, TaskHandler<TTx>> {
  return Object.fromEntries(
    (Object.entries(handlers) as [K, TaskHandler<TTx>][]).map(([kind, handler]): [K, TaskHandler<TTx>] => [
      kind,
      async (task, tx, audit) => {
        const [approved] = await tx.select().from(approvals).where(eq(approvals.taskId, task.taskId));
        if (approved) {
          readbacks[kind](task, approved, audit);
          return { status: 'APPROVED', documents: approved.documents, ...(approved.note ? { note: approved.note } : {}) };
        }
        const decision: TaskDecision = await handler(task, tx, audit);
        if (decision.status === 'APPROVED') {
          await tx.insert(approvals).values({
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
  ) as Record<K, TaskHandler<TTx>>;
}
