import { createEvent, isCivilRegistryNumber, type ApplicationStatus, type SimpulEvent } from '@simpul/events';
import type { ApplicationRow } from '../../db/schema';
import type { ApplicationTypeDefinition, ServiceCatalogue } from '../catalogue/service-catalogue';
import { buildTaskInputs, type IssuedDocument } from '../task/task-inputs';
import type { FlowTask } from './application-flow';

/** The applications service's participant code: the `source` of the events it produces. */
export const EVENT_SOURCE = 'applications';

const HOUR_MS = 3_600_000;

export interface EventContext {
  catalogue: ServiceCatalogue;
  hashNik: (nik: string) => string;
  /** The W3C traceparent of the request or event that caused these events. */
  traceparent?: string;
  now: Date;
}

function meta(application: ApplicationRow, context: EventContext, subject = application.id) {
  return {
    source: EVENT_SOURCE,
    subject,
    correlationId: application.correlationId,
    traceparent: context.traceparent,
    occurredAt: context.now,
  };
}

/** `mpp.application.submitted.v1`: no personal data; the applicant is the subject as a NIK hash. */
export function applicationSubmittedEvent(application: ApplicationRow, type: ApplicationTypeDefinition, context: EventContext): SimpulEvent {
  return createEvent(
    'mpp.application.submitted',
    {
      applicationId: application.id,
      applicationType: type.code,
      mppOffice: application.mppOffice,
      submittedAt: application.submittedAt.toISOString(),
      participants: type.participantCodes,
      dueAt: new Date(application.submittedAt.getTime() + type.slaHours * HOUR_MS).toISOString(),
    },
    meta(application, context, context.hashNik(application.applicantNik)),
  );
}

/**
 * `mpp.task.assigned.<participant>.v1` for each released task, with the inputs its participant may
 * see (see buildTaskInputs) and the documents issued by the steps it depends on.
 */
export function taskAssignedEvents(
  application: ApplicationRow,
  type: ApplicationTypeDefinition,
  tasks: readonly FlowTask[],
  released: readonly FlowTask[],
  context: EventContext,
): SimpulEvent[] {
  const byStep = new Map(tasks.map((t) => [t.stepId, t]));
  return released.map((task) => {
    const step = type.stepsById.get(task.stepId)!;
    const issuedDocuments: IssuedDocument[] = step.dependsOn.flatMap((id) => byStep.get(id)?.documents ?? []);
    const participant = context.catalogue.participants.get(task.participant);
    if (!participant) throw new Error(`participant ${task.participant} of step ${task.stepId} is not in the service catalogue`);
    return createEvent(
      'mpp.task.assigned',
      {
        taskId: task.id,
        applicationId: application.id,
        applicationType: type.code,
        participant: task.participant,
        taskKind: task.taskKind,
        inputs: buildTaskInputs({
          type,
          step,
          participant,
          applicantNik: application.applicantNik,
          values: application.inputs,
          issuedDocuments,
          hashNik: context.hashNik,
        }),
        dueAt: task.dueAt!.toISOString(),
        attempt: 1,
      },
      meta(application, context),
    );
  });
}

/** `mpp.application.status.v1`: the derived status (or the SLA flag) changed. */
export function applicationStatusEvent(
  application: ApplicationRow,
  change: { status: ApplicationStatus; previousStatus: ApplicationStatus | null; slaBreached: boolean; tasks: readonly FlowTask[] },
  context: EventContext,
): SimpulEvent {
  return createEvent(
    'mpp.application.status',
    {
      applicationId: application.id,
      applicationType: application.type,
      status: change.status,
      previousStatus: change.previousStatus,
      slaBreached: change.slaBreached,
      tasks: change.tasks.map((task) => ({
        taskId: task.id,
        participant: task.participant,
        taskKind: task.taskKind,
        state: task.status,
        documents: task.documents.filter((document) => !carriesCivilRegistryNumber(document)),
      })),
    },
    meta(application, context),
  );
}

/**
 * `mpp.application.status.v1` goes to any subscriber (dashboards, integrators), none of them entitled
 * to NIKs: a document numbered with a 16-digit civil-registry number (a child's NIK, a KK number) is
 * left out of it. The counter still sees it through the graph, where access is decided per field.
 * (Participants report such numbers masked since they reach the shared status topic; this still
 * holds for reports stored before.)
 */
export function carriesCivilRegistryNumber(document: { number: string }): boolean {
  return isCivilRegistryNumber(document.number);
}
