import { BadUserInputError } from '@simpul/service-kit';
import type { ReligiousAffairsLoaders } from '../../loaders';
import { parseUuid } from '@simpul/identifiers';
import type { MarriageView } from './marriage.repository';

export async function findMarriage(loaders: ReligiousAffairsLoaders, id: string, argument = 'id'): Promise<MarriageView | null> {
  const parsed = parseUuid(id, 'Marriage id');
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return loaders.marriageById.load(parsed.value);
}

/** Entity references come from the gateway, not a person: one that cannot exist is simply not found. */
export async function resolveMarriageReference(loaders: ReligiousAffairsLoaders, id: string): Promise<MarriageView | null> {
  const parsed = parseUuid(id);
  return parsed.ok ? loaders.marriageById.load(parsed.value) : null;
}

/** The other party relative to the citizen the marriage was reached through; null without one. */
export function spouseNikOf(marriage: MarriageView): string | null {
  if (marriage.reachedThroughNik === marriage.husbandNik) return marriage.wifeNik;
  if (marriage.reachedThroughNik === marriage.wifeNik) return marriage.husbandNik;
  return null;
}
