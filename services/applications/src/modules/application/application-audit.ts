import { appendServiceRecords, changesOf, CollectingAuditRecorder, type AuditField, type AuditOptions, type PersonalDataChange } from '@simpul/service-kit';
import type { ApplicationRow } from '../../db/schema';
import type { ApplicationTypeDefinition } from '../catalogue/service-catalogue';
import type { FlowChange, FlowTask } from './application-flow';
import type { InputValues } from './application-inputs';

/** The name the service's records carry (`service` of the audit batch). */
export const AUDIT_SERVICE = 'applications';

/** A field of the service's graph, `Type.field` (`Application.status`), as audit records name them. */
export type GraphField = AuditField;

/**
 * The citizens an application is about, by NIK: the applicant, then every other citizen its inputs
 * name (the type's inputs of kind NIK: groom and bride, mother and father…), each once. Inputs are
 * the validated values, so NIKs are 16 digits.
 */
export function applicationCitizens(type: ApplicationTypeDefinition | undefined, applicantNik: string, inputs: InputValues): string[] {
  const citizens = [applicantNik];
  for (const input of type?.inputs ?? []) {
    const nik = inputs[input.name];
    if (input.kind === 'NIK' && nik !== undefined && !citizens.includes(nik)) citizens.push(nik);
  }
  return citizens;
}

/** The same change, `Type.field` by `Type.field`, for every one of `citizens`. */
export function changesOfCitizens(citizens: readonly string[], fields: readonly GraphField[]): PersonalDataChange[] {
  return citizens.flatMap((nik) => changesOf(nik, fields));
}

/** The stored task properties, and the ApplicationTask fields of the graph that show them. */
const TASK_FIELDS: readonly (readonly [keyof FlowTask, GraphField])[] = [
  ['status', 'ApplicationTask.status'],
  ['assignedAt', 'ApplicationTask.assignedAt'],
  ['dueAt', 'ApplicationTask.dueAt'],
  ['completedAt', 'ApplicationTask.completedAt'],
  ['documents', 'ApplicationTask.documents'],
  ['reason', 'ApplicationTask.reason'],
];

const sameValue = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : JSON.stringify(a) === JSON.stringify(b));

/**
 * The fields of the graph a change of an application's tasks writes (a FlowChange of
 * applyTaskReport): the task properties that differ from `before` (status, documents, reason, the
 * SLA times), `Application.status` when it moved, and `Application.timeline` when entries were added.
 */
export function changedFields(before: readonly FlowTask[], change: Pick<FlowChange, 'changed' | 'timeline' | 'status' | 'previousStatus'>): GraphField[] {
  const fields = new Set<GraphField>();
  for (const task of change.changed) {
    const previous = before.find((t) => t.id === task.id);
    for (const [property, field] of TASK_FIELDS) {
      if (!previous || !sameValue(previous[property], task[property])) fields.add(field);
    }
  }
  if (change.status !== change.previousStatus) fields.add('Application.status');
  if (change.timeline.length > 0) fields.add('Application.timeline');
  return [...fields].sort();
}

/**
 * Appends CHANGE records of work the service does on its own (applying a participant's report),
 * inside the transaction that makes the change and before it commits: as the service's account
 * (serviceActor) acting for the application (purpose `application:<id>`), one record per citizen
 * of the application naming `fields`. Rejects when the audit log does not confirm (the caller's
 * transaction then rolls back, so the change is never made without its record). Without `audit`
 * (development without AUDIT_URL), records nothing.
 */
export async function recordOwnChanges(
  audit: AuditOptions | undefined,
  change: {
    application: Pick<ApplicationRow, 'id' | 'applicantNik' | 'inputs'>;
    type: ApplicationTypeDefinition | undefined;
    fields: readonly GraphField[];
    correlationId: string;
    occurredAt: Date;
  },
): Promise<void> {
  if (!audit || change.fields.length === 0) return;
  const recorder = new CollectingAuditRecorder();
  await recorder.recordChanges(changesOfCitizens(applicationCitizens(change.type, change.application.applicantNik, change.application.inputs), change.fields));
  await appendServiceRecords(audit, AUDIT_SERVICE, recorder, { purpose: `application:${change.application.id}`, correlationId: change.correlationId, occurredAt: change.occurredAt });
}
