import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Database } from '@simpul/service-kit';
import { applications, applicationTasks, taskStatusEnum, type ApplicationsSchema, type ApplicationTaskRow } from '../../db/schema';
import type { FlowTask } from '../application/application-flow';

/** The tasks of the applications, each application's in the order they were created (catalogue step order). */
export async function findTasksOfApplications(db: Database<ApplicationsSchema>, applicationIds: readonly string[]): Promise<ApplicationTaskRow[]> {
  if (applicationIds.length === 0) return [];
  return db
    .select()
    .from(applicationTasks)
    .where(inArray(applicationTasks.applicationId, [...applicationIds]))
    .orderBy(asc(applicationTasks.applicationId), asc(applicationTasks.id));
}

export function taskRowOf(applicationId: string, task: FlowTask): typeof applicationTasks.$inferInsert {
  return {
    id: task.id,
    applicationId,
    stepId: task.stepId,
    participant: task.participant,
    kind: task.taskKind,
    status: task.status,
    assignedAt: task.assignedAt,
    dueAt: task.dueAt,
    completedAt: task.completedAt,
    documents: task.documents,
    reason: task.reason,
  };
}

export function flowTaskOf(row: ApplicationTaskRow): FlowTask {
  return {
    id: row.id,
    stepId: row.stepId,
    participant: row.participant,
    taskKind: row.kind,
    status: row.status,
    assignedAt: row.assignedAt,
    dueAt: row.dueAt,
    completedAt: row.completedAt,
    documents: row.documents,
    reason: row.reason,
  };
}

export async function insertTasks(tx: Database<ApplicationsSchema>, applicationId: string, tasks: readonly FlowTask[]): Promise<void> {
  if (tasks.length === 0) return;
  await tx.insert(applicationTasks).values(tasks.map((task) => taskRowOf(applicationId, task)));
}

/** Stores the tasks' new states: one statement however many tasks changed (a step approved releases its dependents with it). */
export async function updateTasks(tx: Database<ApplicationsSchema>, tasks: readonly FlowTask[]): Promise<void> {
  if (tasks.length === 0) return;
  const { schema } = getTableConfig(applicationTasks);
  const statusType = sql.raw(`"${schema ?? 'public'}"."${taskStatusEnum.enumName}"`);
  const rows = tasks.map(
    (task) =>
      sql`(${task.id}::uuid, ${task.status}::${statusType}, ${task.assignedAt}::timestamptz, ${task.dueAt}::timestamptz, ${task.completedAt}::timestamptz, ${JSON.stringify(task.documents)}::jsonb, ${task.reason}::text)`,
  );
  const column = (name: keyof typeof applicationTasks._.columns) => sql.identifier(applicationTasks[name].name);
  await tx.execute(sql`
    update ${applicationTasks} set
      ${column('status')} = changed.status, ${column('assignedAt')} = changed.assigned_at, ${column('dueAt')} = changed.due_at,
      ${column('completedAt')} = changed.completed_at, ${column('documents')} = changed.documents, ${column('reason')} = changed.reason,
      ${column('updatedAt')} = ${new Date()}::timestamptz
    from (values ${sql.join(rows, sql`, `)}) as changed (id, status, assigned_at, due_at, completed_at, documents, reason)
    where ${applicationTasks.id} = changed.id`);
}

/** Applications with a task past its due time, still undecided, whose breach is not recorded yet. */
export async function findApplicationsWithOverdueTasks(db: Database<ApplicationsSchema>, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ id: applicationTasks.applicationId })
    .from(applicationTasks)
    .innerJoin(applications, eq(applications.id, applicationTasks.applicationId))
    .where(
      and(
        inArray(applicationTasks.status, ['ASSIGNED', 'RECEIVED', 'IN_REVIEW']),
        lt(applicationTasks.dueAt, now),
        isNull(applications.slaBreachedAt),
      ),
    )
    .limit(limit);
  return rows.map((r) => r.id);
}
