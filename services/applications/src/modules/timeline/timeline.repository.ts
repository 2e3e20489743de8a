import { and, asc, gt, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { applicationTimeline, type ApplicationsSchema, type ApplicationTimelineRow } from '../../db/schema';
import type { TimelineDraft } from './timeline-entry';

export function timelineRowOf(applicationId: string, entry: TimelineDraft): typeof applicationTimeline.$inferInsert {
  return {
    applicationId,
    occurredAt: entry.occurredAt,
    kind: entry.kind,
    taskId: entry.taskId ?? null,
    stepId: entry.stepId ?? null,
    participant: entry.participant ?? null,
    taskStatus: entry.taskStatus ?? null,
    applicationStatus: entry.applicationStatus ?? null,
    reason: entry.reason ?? null,
    documents: entry.documents ?? null,
  };
}

export async function insertTimeline(tx: Database<ApplicationsSchema>, applicationId: string, entries: readonly TimelineDraft[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(applicationTimeline).values(entries.map((entry) => timelineRowOf(applicationId, entry)));
}

/** The timelines of the applications, each oldest first, in one query. */
export async function findTimelinesOfApplications(db: Database<ApplicationsSchema>, applicationIds: readonly string[]): Promise<ApplicationTimelineRow[]> {
  if (applicationIds.length === 0) return [];
  return db
    .select()
    .from(applicationTimeline)
    .where(inArray(applicationTimeline.applicationId, [...applicationIds]))
    .orderBy(asc(applicationTimeline.sequence));
}

/** Entries of the applications after position `after` (the smallest position any watcher has seen). */
export async function findTimelineEntriesAfter(
  db: Database<ApplicationsSchema>,
  applicationIds: readonly string[],
  after: number,
): Promise<ApplicationTimelineRow[]> {
  if (applicationIds.length === 0) return [];
  return db
    .select()
    .from(applicationTimeline)
    .where(and(inArray(applicationTimeline.applicationId, [...applicationIds]), gt(applicationTimeline.sequence, after)))
    .orderBy(asc(applicationTimeline.sequence));
}
