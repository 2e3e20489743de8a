import { changesOf as auditChangesOf, reportReads as reportAuditReads, type AuditRecorder, type PersonalDataChange } from '@simpul/service-kit';

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

/** service-kit's reportReads, for the KUA's own fields only. */
export const reportReads: (audit: AuditRecorder, nik: string, fields: readonly AuditedField[]) => void = reportAuditReads;
/** service-kit's changesOf, for the KUA's own fields only. */
export const changesOf: (nik: string, fields: readonly AuditedField[]) => PersonalDataChange[] = auditChangesOf;
