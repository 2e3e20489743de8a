import { BadUserInputError } from '@simpul/service-kit';
import type { ApplicationRow } from '../../db/schema';
import type { ApplicationsLoaders } from '../../loaders';
import { parseUuid } from '@simpul/identifiers';

export async function findApplication(loaders: ApplicationsLoaders, id: string, argument = 'id'): Promise<ApplicationRow | null> {
  const parsed = parseUuid(id, 'Application id');
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return loaders.applicationById.load(parsed.value);
}

/** Entity references come from the gateway, not a person: one that cannot exist is simply not found. */
export async function resolveApplicationReference(loaders: ApplicationsLoaders, id: string): Promise<ApplicationRow | null> {
  const parsed = parseUuid(id);
  return parsed.ok ? loaders.applicationById.load(parsed.value) : null;
}
