import { enqueue, TRACEPARENT_PATTERN, uuidv7 } from '@simpul/events';
import { parseUuid } from '@simpul/identifiers';
import { BadUserInputError, type AuditRecorder } from '@simpul/service-kit';
import type { ApplicationsRuntime } from '../../context';
import { applications, outbox, type ApplicationRow } from '../../db/schema';
import { insertTasks } from '../task/task.repository';
import { insertTimeline } from '../timeline/timeline.repository';
import { applicationCitizens, changesOfCitizens } from './application-audit';
import { applicationStatusEvent, applicationSubmittedEvent, taskAssignedEvents } from './application-events';
import { startApplication } from './application-flow';
import { validateApplicationInputs, type GivenInput } from './application-inputs';
import { checkApplicationCitizens } from './civil-registry';

export interface SubmitApplicationInput {
  type: string;
  applicantNik: string;
  mppOffice: string;
  inputs: readonly GivenInput[];
}

/** The request that files the application: its correlation id and trace carry into every event. */
export interface SubmitRequest {
  correlationId: string;
  traceparent?: string;
  /** The request's audit recorder (`context.audit`): the submission is recorded as a change of every citizen it names. */
  audit: AuditRecorder;
}

/**
 * Files an application. Validation comes first and nothing is written when it fails: the inputs,
 * then every citizen they name against Dukcapil's register (registered, alive, of age). Then, in ONE
 * transaction: the application, a task per step (those without dependencies ASSIGNED), the timeline,
 * and in the outbox `mpp.application.submitted.v1`, `mpp.task.assigned.<participant>.v1` per
 * released task and `mpp.application.status.v1` (SUBMITTED). The relay publishes them after commit,
 * so a broker outage delays the tasks but never fails or loses the submission.
 *
 * Before that transaction commits, the audit log records the change (`Mutation.submitApplication`)
 * for the applicant and every other citizen the inputs name (groom and bride, mother and father…);
 * when it cannot (AUDIT_UNAVAILABLE), the transaction rolls back and nothing is filed.
 */
export async function submitApplication(runtime: ApplicationsRuntime, input: SubmitApplicationInput, request: SubmitRequest): Promise<ApplicationRow> {
  const type = runtime.catalogue.applicationTypes.get(input.type);
  if (!type) {
    const known = [...runtime.catalogue.applicationTypes.keys()].join(', ');
    throw new BadUserInputError(`Unknown application type "${input.type}"; the service catalogue has ${known}`, {
      argument: 'input',
      field: 'type',
      rule: 'APPLICATION_TYPE_UNKNOWN',
    });
  }
  const now = runtime.now();
  const validated = validateApplicationInputs(type, input, now);
  if (!validated.ok) {
    const [first] = validated.problems;
    throw new BadUserInputError(`${first!.field}: ${first!.message}`, { argument: 'input', field: first!.field, rule: first!.rule, problems: validated.problems });
  }
  if (runtime.civilRegistry) await checkApplicationCitizens(runtime.civilRegistry, type, validated, now);

  const id = uuidv7(now.getTime());
  const correlation = parseUuid(request.correlationId);
  const application: ApplicationRow = {
    id,
    type: type.code,
    applicantNik: validated.applicantNik,
    status: 'SUBMITTED',
    submittedAt: now,
    mppOffice: validated.mppOffice,
    inputs: validated.values,
    // Events need a UUID; a caller's correlation id in another format stays in the logs only.
    correlationId: correlation.ok ? correlation.value : id,
    slaBreachedAt: null,
    updatedAt: now,
  };
  const started = startApplication(type, now, () => uuidv7(now.getTime()));
  const context = {
    catalogue: runtime.catalogue,
    hashNik: runtime.hashNik,
    traceparent: request.traceparent && TRACEPARENT_PATTERN.test(request.traceparent) ? request.traceparent : undefined,
    now,
  };
  const events = [
    applicationSubmittedEvent(application, type, context),
    ...taskAssignedEvents(application, type, started.tasks, started.released, context),
    applicationStatusEvent(application, { ...started, slaBreached: false }, context),
  ];

  const citizens = applicationCitizens(type, application.applicantNik, application.inputs);
  await runtime.db.transaction(async (tx) => {
    await tx.insert(applications).values(application);
    await insertTasks(tx, id, started.tasks);
    await insertTimeline(tx, id, started.timeline);
    await enqueue(tx, outbox, events);
    // Last, once nothing else can refuse the submission: a record of a change that then fails is the lesser evil.
    await request.audit.recordChanges(changesOfCitizens(citizens, ['Mutation.submitApplication']));
  });
  runtime.afterCommit();
  runtime.logger.info(
    { applicationId: id, type: type.code, correlationId: application.correlationId, assigned: started.released.map((t) => t.participant) },
    'application submitted',
  );
  return application;
}
