import { changesOf as auditChangesOf, reportReads as reportAuditReads, type AuditRecorder, type PersonalDataChange } from '@simpul/service-kit';
import type { FamilyCardRow } from '../../db/schema';

/**
 * The fields of Dukcapil's SDL (modules/**\/*.graphql, all `@personalData`) that task handlers name
 * when they report what they read and changed, so a task's audit records read like a request's
 * (task-audit.spec.ts checks every one is in the SDL). What the SDL does not expose (dates of death,
 * moving certificates) has no name here: the handlers report the Citizen and FamilyCard fields those
 * records rest on or change. A birth certificate is the child's (Citizen.birthCertificate) once the
 * child has a NIK; until then it is no identified citizen's, as it would be to a request.
 */
export const AUDITED_FIELDS = [
  'Citizen.nik',
  'Citizen.fullName',
  'Citizen.birthPlace',
  'Citizen.birthDate',
  'Citizen.sex',
  'Citizen.religion',
  'Citizen.maritalStatus',
  'Citizen.occupation',
  'Citizen.address',
  'Citizen.familyCard',
  'Citizen.birthCertificate',
  'Citizen.childIdCard',
  'FamilyCard.number',
  'FamilyCard.issuedOn',
  'FamilyCard.address',
  'FamilyCard.head',
  'FamilyCard.members',
  'FamilyMember.nik',
  'FamilyMember.fullName',
  'FamilyMember.relationship',
  'BirthCertificate.number',
  'BirthCertificate.issuedOn',
  'BirthCertificate.fullName',
  'BirthCertificate.sex',
  'BirthCertificate.birthDate',
  'BirthCertificate.birthPlace',
  'BirthCertificate.mother',
  'BirthCertificate.father',
  'ChildIdCard.number',
  'ChildIdCard.issuedOn',
  'ChildIdCard.validUntil',
] as const;
export type AuditedField = (typeof AUDITED_FIELDS)[number];

/** What a new family card holds for each of its members. */
export const NEW_FAMILY_CARD_FIELDS: readonly AuditedField[] = ['FamilyCard.number', 'FamilyCard.issuedOn', 'FamilyCard.address', 'FamilyCard.head', 'FamilyCard.members'];
/** A birth certificate that becomes a citizen's: everything it holds is now theirs to see. */
export const BIRTH_CERTIFICATE_FIELDS: readonly AuditedField[] = [
  'Citizen.birthCertificate',
  'BirthCertificate.number',
  'BirthCertificate.issuedOn',
  'BirthCertificate.fullName',
  'BirthCertificate.sex',
  'BirthCertificate.birthDate',
  'BirthCertificate.birthPlace',
  'BirthCertificate.mother',
  'BirthCertificate.father',
];
/** What a card reissued with other members (someone joined or left) changes for each who stays on it. */
export const REISSUED_MEMBERS_FIELDS: readonly AuditedField[] = ['FamilyCard.members', 'FamilyCard.issuedOn'];

/** service-kit's reportReads, for Dukcapil's own fields only. */
export const reportReads: (audit: AuditRecorder, nik: string, fields: readonly AuditedField[]) => void = reportAuditReads;
/** service-kit's changesOf, for Dukcapil's own fields only. */
export const changesOf: (nik: string, fields: readonly AuditedField[]) => PersonalDataChange[] = auditChangesOf;

/**
 * A NIK looked up to be checked registered and alive (notRegisteredAlive): the answer says whether
 * it is registered (Citizen.nik, reported for an unknown NIK too, as `citizen(nik:)` is), and a
 * refusal for a death names the citizen (Citizen.fullName; the date of death is not in the SDL).
 */
export function reportRegistrationCheck(audit: AuditRecorder, nik: string, citizen: { diedOn: string | null } | undefined): void {
  reportReads(audit, nik, citizen?.diedOn ? ['Citizen.nik', 'Citizen.fullName'] : ['Citizen.nik']);
}

/** A family card found by its number: reported as its head's, as a `familyCard(number:)` query is. */
export function reportFamilyCardLookup(audit: AuditRecorder, card: Pick<FamilyCardRow, 'headNik'>, fields: readonly AuditedField[] = ['FamilyCard.number']): void {
  reportReads(audit, card.headNik, fields);
}
