/**
 * What a subgraph records while it resolves one request: which personal-data fields of which
 * citizen it returned. The field-access layer (security/) calls `access()` for every resolved field
 * marked `@personalData`; the audit layer (audit/) turns one request's accesses into records
 * (actor, client, purpose, fields, NIK hash, time, correlation id) and appends them to the
 * hash-chained audit log before the response leaves — if that fails, the response carries no data
 * (fail closed).
 */
export interface PersonalDataAccess {
  /** The citizen whose data it is (plaintext here; the audit layer stores only hashNik(nik)). */
  nik: string;
  /** `Citizen.maritalStatus`, `Passport.number`… */
  typeName: string;
  fieldName: string;
  /** READ for queries, CHANGE for mutations and task effects. */
  kind: 'READ' | 'CHANGE';
}

export interface AuditRecorder {
  access(entry: PersonalDataAccess): void;
}
