import type { Database } from '@simpul/service-kit';
import type { AuditSchema } from './schema';

/** The audit log has no demo data: it fills as the stack is used. Reported present, so nothing is ever seeded. */
export async function hasData(_db: Database<AuditSchema>): Promise<boolean> {
  return true;
}

export async function seed(): Promise<void> {
  // Nothing to seed: fabricated audit records would be lies in a tamper-evident log.
}
