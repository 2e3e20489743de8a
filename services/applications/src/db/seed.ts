import { sql } from 'drizzle-orm';
import { uuidv7 } from '@simpul/events';
import { insertInChunks, type Database, type SeedProgress } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { replayHistory } from '../modules/application/application-history';
import { DEFAULT_SERVICE_CATALOGUE_PATH, loadServiceCatalogue, type ServiceCatalogue } from '../modules/catalogue/service-catalogue';
import { isTaskOverdue } from '../modules/task/sla';
import { taskRowOf } from '../modules/task/task.repository';
import type { TimelineDraft } from '../modules/timeline/timeline-entry';
import { timelineRowOf } from '../modules/timeline/timeline.repository';
import { applications, applicationTasks, applicationTimeline, type ApplicationRow, type ApplicationsSchema } from './schema';

export async function hasData(db: Database<ApplicationsSchema>): Promise<boolean> {
  const rows = await db.select({ one: sql<number>`1` }).from(applications).limit(1);
  return rows.length > 0;
}

/**
 * The MPP's slice of the synthetic world: applications filed at its counters, each with the tasks
 * and timeline of its catalogue type replayed up to the status the world gives it (replayHistory).
 * A task that was already overdue when seeding has its breach recorded, as the SLA sweep would have.
 */
export async function seed(
  db: Database<ApplicationsSchema>,
  options: { citizens: number; seed: number; catalogue?: ServiceCatalogue },
  progress?: SeedProgress,
): Promise<void> {
  const catalogue = options.catalogue ?? loadServiceCatalogue(DEFAULT_SERVICE_CATALOGUE_PATH);
  const world = generateWorld(options);
  const seededAt = new Date();
  const applicationRows: ApplicationRow[] = [];
  const taskRows: (typeof applicationTasks.$inferInsert)[] = [];
  const timelineRows: (typeof applicationTimeline.$inferInsert)[] = [];

  for (const application of world.applications) {
    const submittedAt = new Date(application.submittedAt);
    const type = catalogue.applicationTypes.get(application.type);
    if (!type) throw new Error(`the service catalogue has no application type ${application.type}, which the synthetic world files`);
    const history = replayHistory(type, application.status, submittedAt, () => uuidv7(submittedAt.getTime()));
    const overdue = history.tasks.filter((task) => isTaskOverdue(task, seededAt));
    const breachedAt = overdue.length > 0 ? new Date(Math.min(...overdue.map((task) => task.dueAt!.getTime()))) : null;
    const breaches: TimelineDraft[] = overdue.map((task) => ({
      occurredAt: breachedAt!,
      kind: 'SLA_BREACHED',
      taskId: task.id,
      stepId: task.stepId,
      participant: task.participant,
      taskStatus: task.status,
      reason: `due at ${task.dueAt!.toISOString()}`,
    }));

    const timeline = [...history.timeline, ...breaches];
    applicationRows.push({
      id: application.id,
      type: application.type,
      applicantNik: application.applicantNik,
      status: history.status,
      submittedAt,
      mppOffice: application.mppOffice,
      // The world does not record what was entered at the counter.
      inputs: {},
      correlationId: application.id,
      slaBreachedAt: breachedAt,
      updatedAt: timeline.at(-1)!.occurredAt,
    });
    taskRows.push(...history.tasks.map((task) => taskRowOf(application.id, task)));
    timelineRows.push(...timeline.map((entry) => timelineRowOf(application.id, entry)));
  }

  await db.transaction(async (tx) => {
    await insertInChunks(applicationRows, (chunk) => tx.insert(applications).values(chunk), (done, total) => progress?.('application', done, total));
    await insertInChunks(taskRows, (chunk) => tx.insert(applicationTasks).values(chunk), (done, total) => progress?.('application_task', done, total));
    // Chunks go in order, so each application's entries are numbered in the order they happened.
    await insertInChunks(timelineRows, (chunk) => tx.insert(applicationTimeline).values(chunk), (done, total) =>
      progress?.('application_timeline', done, total),
    );
  });
}
