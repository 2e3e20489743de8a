import type { AuditRecorder } from '@simpul/service-kit';

/** Reports to a task handler's `audit` that it read these fields of `typeName` (a type of the participant's SDL) of the citizen `nik`. */
export function reportRead(audit: AuditRecorder, nik: string, typeName: string, fieldNames: readonly string[]): void {
  for (const fieldName of fieldNames) audit.access({ nik, typeName, fieldName, kind: 'READ' });
}
