import { enqueue, PermanentEventError, type EventOf, type SimpulEvent } from '@simpul/events';
import type { Database } from '@simpul/service-kit';
import type { ApplicationsRuntime } from '../../context';
import { outbox, type ApplicationsSchema } from '../../db/schema';
import { changedFields, recordOwnChanges } from '../application/application-audit';
import { applicationStatusEvent, taskAssignedEvents } from '../application/application-events';
import { applyTaskReport } from '../application/application-flow';
import { lockApplication, updateApplication } from '../application/application.repository';
import { insertTimeline } from '../timeline/timeline.repository';
import { isApplicationSlaBreached } from './sla';
import { findTasksOfApplications, flowTaskOf, updateTasks } from './task.repository';

/** The consumer group of the applications service on `mpp.task.status.v1`. */
export const TASK_STATUS_CONSUMER_GROUP = 'applications.task-status';

/**
 * Applies a participant's `mpp.task.status.v1` in the consumer's transaction (which also records the
 * event in the inbox): updates the task, appends to the timeline, releases the steps whose
 * dependencies are now all approved, cancels those depending on a rejected one, and when the derived
 * status changes, stores it and enqueues `mpp.application.status.v1`; released tasks get their
 * `mpp.task.assigned.<participant>.v1`.
 *
 * A report that cannot apply to any task of ours (unknown application or task, another
 * participant's task) is a PermanentEventError: retrying cannot help, it goes to the DLQ. A report
 * that arrives late or twice (the task already moved on) is logged and changes nothing.
 *
 * Times (completion, release, SLA start) are this service's processing time, not the participant's
 * `occurredAt`: one clock decides due times and breaches.
 *
 * What a report changes is personal data of the application's citizens: before the transaction
 * commits, the audit log records it (the fields changed, for the applicant and every citizen the
 * inputs name) as the service's account acting for the application. If the log does not confirm,
 * the transaction rolls back and the event is retried.
 */
export function handleTaskStatus(runtime: ApplicationsRuntime) {
  return async (event: EventOf<'mpp.task.status'>, tx: Database<ApplicationsSchema>): Promise<void> => {
    const { data } = event;
    const application = await lockApplication(tx, data.applicationId);
    if (!application) throw new PermanentEventError(`no application ${data.applicationId}`);
    const type = runtime.catalogue.applicationTypes.get(application.type);
    if (!type) throw new PermanentEventError(`application ${application.id} has type ${application.type}, which the service catalogue no longer lists`);
    const rows = await findTasksOfApplications(tx, [application.id]);
    const task = rows.find((t) => t.id === data.taskId);
    if (!task) throw new PermanentEventError(`task ${data.taskId} is not a task of application ${application.id}`);
    if (task.participant !== data.participant) {
      throw new PermanentEventError(`task ${task.id} belongs to ${task.participant}; ${data.participant} cannot report on it`);
    }

    const now = runtime.now();
    const before = rows.map(flowTaskOf);
    const change = applyTaskReport(
      type,
      { status: application.status, tasks: before },
      { taskId: task.id, status: data.status, reason: data.reason, documents: data.documents },
      now,
    );
    if (!change.outcome.applied) {
      runtime.logger.info(
        { eventId: event.id, applicationId: application.id, taskId: task.id, taskStatus: task.status, reported: data.status, reason: change.outcome.reason },
        'task status report does not apply; ignored',
      );
      return;
    }

    await updateTasks(tx, change.changed);
    await insertTimeline(tx, application.id, change.timeline);
    const updated = { ...application, status: change.status };
    const context = { catalogue: runtime.catalogue, hashNik: runtime.hashNik, traceparent: event.traceparent, now };
    const events: SimpulEvent[] = taskAssignedEvents(updated, type, change.tasks, change.released, context);
    if (change.status !== application.status) {
      await updateApplication(tx, application.id, { status: change.status });
      const slaBreached = isApplicationSlaBreached(application, change.tasks, now);
      events.push(applicationStatusEvent(updated, { ...change, slaBreached }, context));
    }
    await enqueue(tx, outbox, events);
    // Before the consumer commits: no record, no change (the event is retried, and dead-lettered after its attempts).
    await recordOwnChanges(runtime.audit, {
      application,
      type,
      fields: changedFields(before, change),
      correlationId: event.correlationId,
      occurredAt: now,
    });
  };
}
