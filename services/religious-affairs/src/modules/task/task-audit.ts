import type { AuditRecorder, PersonalDataChange } from '@simpul/service-kit';

/**
 * The fields of the KUA's SDL (modules/**\/*.graphql, all `@personalData`) that task handlers name
 * when they report what they read and changed of the KUA's own register, so a task's audit records
 * read like a request's (task-audit.spec.ts checks every one is in the SDL). What the KUA asks
 * Dukcapil is audited by Dukcapil, under Dukcapil's fields.
 */
export const AUDITED_FIELDS = [
  'Citizen.marriages',
  'Marriage.id',
  'Marriage.registeredAt',
  'Marriage.kuaOffice',
  'Marriage.certificateNumber',
  'Marriage.husband',
  'Marriage.wife',
  'Marriage.spouse',
] as const;
export type AuditedField = (typeof AUDITED_FIELDS)[number];

const split = (field: AuditedField) => {
  const [typeName, fieldName] = field.split('.') as [string, string];
  return { typeName, fieldName };
};

export function reportReads(audit: AuditRecorder, nik: string, fields: readonly AuditedField[]): void {
  for (const field of fields) audit.access({ nik, ...split(field), kind: 'READ' });
}

/** The changes about to be made to `nik`'s data, for `audit.recordChanges`. */
export function changesOf(nik: string, fields: readonly AuditedField[]): PersonalDataChange[] {
  return fields.map((field) => ({ nik, ...split(field) }));
}
