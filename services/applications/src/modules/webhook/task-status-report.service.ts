import {
  createEvent,
  enqueue,
  issuedDocumentSchema,
  newTraceparent,
  parseEvent,
  shareableDocument,
  TASK_STATUSES,
  taskStatusReasonSchema,
  TRACEPARENT_PATTERN,
  uuidSchema,
  uuidv7,
} from '@simpul/events';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { ApplicationsRuntime } from '../../context';
import { applications, applicationTasks, inbox, outbox } from '../../db/schema';
import { TASK_STATUS_CONSUMER_GROUP } from '../task/task-status.consumer';

/**
 * The body of `POST /participants/<code>/task-status` (docs/participants.md): the `data` of an
 * `mpp.task.status.v1` event without `participant` (the path names it, the signature proves it),
 * plus `eventId`, which makes a retried report idempotent. It becomes the event's id, so it must be
 * a UUIDv7 like every envelope id (`uuidv7()` of @simpul/events or any RFC 9562 library).
 */
export const taskStatusReportSchema = z
  .strictObject({
    taskId: uuidSchema,
    applicationId: uuidSchema,
    status: z.enum(TASK_STATUSES),
    reason: taskStatusReasonSchema.optional(),
    documents: z.array(issuedDocumentSchema).max(20).optional(),
    eventId: z.uuid({ version: 'v7', message: 'eventId must be a UUIDv7 (RFC 9562), like every event id' }).optional(),
  })
  .refine((report) => report.status !== 'REJECTED' || report.reason !== undefined, {
    message: 'a REJECTED task status needs a reason',
    path: ['reason'],
  });
export type TaskStatusReport = z.output<typeof taskStatusReportSchema>;

export type TaskStatusReportOutcome =
  /** In the outbox (now, or by an earlier request with the same eventId). */
  | { accepted: true; eventId: string; duplicate: boolean }
  | { accepted: false; code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'; message: string };

/**
 * Accepts a webhook participant's verified status report: checks the task is this participant's,
 * then enqueues the `mpp.task.status.v1` event into the outbox, so it reaches the status consumer
 * through the same topic as the reports of events-mode participants and is applied there (inbox,
 * ordering per application, DLQ). The correlation id is the application's. Nothing of the
 * application changes here: the consumer applies the report, and records that change in the audit
 * log before it commits (retrying while the log is unavailable), as for every participant.
 *
 * A report with an `eventId` already in the outbox (or already applied) is accepted again without a
 * second event; the same `eventId` for a different report (another task or status) is a CONFLICT.
 */
export async function acceptTaskStatusReport(
  runtime: ApplicationsRuntime,
  participant: string,
  report: TaskStatusReport,
  options: { traceparent?: string } = {},
): Promise<TaskStatusReportOutcome> {
  const [task] = await runtime.db
    .select({ participant: applicationTasks.participant, applicationId: applicationTasks.applicationId, correlationId: applications.correlationId })
    .from(applicationTasks)
    .innerJoin(applications, eq(applications.id, applicationTasks.applicationId))
    .where(eq(applicationTasks.id, report.taskId));
  if (!task || task.applicationId !== report.applicationId) {
    return { accepted: false, code: 'NOT_FOUND', message: `no task ${report.taskId} in application ${report.applicationId}` };
  }
  if (task.participant !== participant) {
    return { accepted: false, code: 'FORBIDDEN', message: `task ${report.taskId} belongs to another participant; ${participant} cannot report on it` };
  }

  if (report.eventId) {
    const earlier = await earlierReport(runtime, report.eventId);
    if (earlier) return outcomeOfRepeat(earlier, participant, report);
  }

  const event = createEvent(
    'mpp.task.status',
    {
      taskId: report.taskId,
      applicationId: report.applicationId,
      participant,
      status: report.status,
      reason: report.reason,
      // The status topic is shared by every participant: a civil-registry number goes on it masked.
      documents: (report.documents ?? []).map(shareableDocument),
    },
    {
      id: report.eventId ?? uuidv7(),
      source: participant,
      subject: report.applicationId,
      correlationId: task.correlationId,
      traceparent: options.traceparent && TRACEPARENT_PATTERN.test(options.traceparent) ? options.traceparent : newTraceparent(),
      occurredAt: runtime.now(),
    },
  );
  try {
    // One INSERT, its own transaction: the relay publishes the row once it is committed.
    await enqueue(runtime.db, outbox, [event]);
  } catch (error) {
    // The same eventId sent twice at once: the outbox's unique event id lets one through.
    if (!report.eventId || !isUniqueViolation(error)) throw error;
    const earlier = await earlierReport(runtime, report.eventId);
    if (!earlier) throw error;
    return outcomeOfRepeat(earlier, participant, report);
  }
  runtime.afterCommit();
  return { accepted: true, eventId: event.id, duplicate: false };
}

/** What is known of an event already accepted under this id: the outbox row, else the inbox record. */
type EarlierReport = { type: string; source?: string; taskId?: string; status?: string };

async function earlierReport(runtime: ApplicationsRuntime, eventId: string): Promise<EarlierReport | undefined> {
  const [row] = await runtime.db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.eventId, eventId));
  if (row) {
    const parsed = parseEvent(row.payload);
    if (!parsed.ok) return { type: 'unparseable' };
    const data = parsed.event.data as { taskId?: string; status?: string };
    return { type: parsed.event.type, source: parsed.event.source, taskId: data.taskId, status: data.status };
  }
  // Published and pruned from the outbox, but applied: the inbox still knows it.
  const [applied] = await runtime.db
    .select({ type: inbox.eventType })
    .from(inbox)
    .where(and(eq(inbox.consumerGroup, TASK_STATUS_CONSUMER_GROUP), eq(inbox.eventId, eventId)));
  return applied ? { type: applied.type } : undefined;
}

function outcomeOfRepeat(earlier: EarlierReport, participant: string, report: TaskStatusReport & { eventId?: string }): TaskStatusReportOutcome {
  const same =
    earlier.type === 'mpp.task.status' &&
    (earlier.source === undefined || (earlier.source === participant && earlier.taskId === report.taskId && earlier.status === report.status));
  if (same) return { accepted: true, eventId: report.eventId!, duplicate: true };
  return { accepted: false, code: 'CONFLICT', message: `eventId ${report.eventId} was already used for another report; use a new eventId for a new report` };
}

/** Postgres `unique_violation`, wrapped or not by drizzle. */
function isUniqueViolation(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
