import { dayNumberOf, isoDateOfDay, yearOf } from './calendar';
import type { Random } from './random';
import type { RegionalProfile } from './regional-profiles';
import type { CommunityId } from './person-names';
import type { SyntheticCitizen, SyntheticFamilyCard } from './types';

export interface GenerationContext {
  random: Random;
  /** `YYYY-MM-DD`. */
  today: string;
  todayDay: number;
  todayYear: number;
}

export function createGenerationContext(random: Random, today: string): GenerationContext {
  const todayDay = dayNumberOf(today);
  return { random, today: isoDateOfDay(todayDay), todayDay, todayYear: yearOf(today) };
}

/** A random day in [fromDay, toDay]; `toDay` when the range is empty. */
export function randomDayBetween(context: GenerationContext, fromDay: number, toDay: number): number {
  if (fromDay >= toDay) return toDay;
  return context.random.int(fromDay, toDay);
}

export interface Household {
  profile: RegionalProfile;
  community: CommunityId;
  card: SyntheticFamilyCard;
  /** Index of the village within the district's village list (used for NOP village codes). */
  villageIndex: number;
  members: Resident[];
  /** One of the three families whose head is a demo citizen with data in every subgraph. */
  isSample: boolean;
}

export interface Resident {
  citizen: SyntheticCitizen;
  household: Household;
  ageYears: number;
  birthDay: number;
}

export const ADULT_AGE = 17;
