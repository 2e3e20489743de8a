import type { Database } from '@simpul/service-kit';
import type { ParticipantsSchema } from './schema';

/**
 * The registry has no demo data: a participant exists once an administrator registers it (which
 * also creates its client at the identity provider). The example participants of `npm start` (PLN,
 * Bank BPD) come with the realm export and are not in the registry (docs/onboarding.md).
 */
export async function hasData(_db: Database<ParticipantsSchema>): Promise<boolean> {
  return true;
}

export async function seed(): Promise<void> {
  // Nothing to seed.
}
