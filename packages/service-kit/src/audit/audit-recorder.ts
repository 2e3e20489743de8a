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

/** A change about to be made to a citizen's data (recordChanges). */
export type PersonalDataChange = Omit<PersonalDataAccess, 'kind'>;

export interface AuditRecorder {
  access(entry: PersonalDataAccess): void;
  /**
   * Records changes before they take effect. Call it inside the transaction that makes them, after
   * the last check that could refuse them and before the commit: it resolves once the audit log
   * holds their CHANGE record, and rejects (AUDIT_UNAVAILABLE) when it cannot — the transaction then
   * rolls back, so no change is ever made without its record. (A commit failing afterwards leaves a
   * record of a change that did not happen: the log errs on the side of recording too much.) Changes
   * recorded here are not recorded again when the response leaves.
   */
  recordChanges(changes: readonly PersonalDataChange[]): Promise<void>;
}

/** A field as audit records name it: `Type.field` of the service's SDL (`Citizen.address`). */
export type AuditField = `${string}.${string}`;

function fieldParts(field: AuditField): { typeName: string; fieldName: string } {
  const dot = field.indexOf('.');
  return { typeName: field.slice(0, dot), fieldName: field.slice(dot + 1) };
}

/** Reports to `audit` that these fields of the citizen `nik` were read. */
export function reportReads(audit: AuditRecorder, nik: string, fields: readonly AuditField[]): void {
  for (const field of fields) audit.access({ nik, ...fieldParts(field), kind: 'READ' });
}

/** The changes about to be made to these fields of the citizen `nik`, for `audit.recordChanges`. */
export function changesOf(nik: string, fields: readonly AuditField[]): PersonalDataChange[] {
  return fields.map((field) => ({ nik, ...fieldParts(field) }));
}
