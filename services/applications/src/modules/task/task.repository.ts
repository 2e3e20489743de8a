import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { applications, applicationTasks, type ApplicationsSchema, type ApplicationTaskRow } from '../../db/schema';
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

export async function updateTasks(tx: Database<ApplicationsSchema>, tasks: readonly FlowTask[]): Promise<void> {
  for (const task of tasks) {
    await tx
      .update(applicationTasks)
      .set({
        status: task.status,
        assignedAt: task.assignedAt,
        dueAt: task.dueAt,
        completedAt: task.completedAt,
        documents: task.documents,
        reason: task.reason,
      })
      .where(eq(applicationTasks.id, task.id));
  }
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
