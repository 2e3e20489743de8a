import { addYears, dayNumberOf, isoDateOfDay } from './calendar';
import { ADULT_AGE, randomDayBetween, type GenerationContext, type Resident } from './generation-context';
import type { PassportStatus, SyntheticPassport } from './types';
import { drawUnique, randomDigits } from './unique-numbers';

/** Adult passports issued from 12 October 2022 are valid for ten years instead of five. */
const TEN_YEAR_PASSPORTS_SINCE = dayNumberOf('2022-10-12');

function passportLetter(context: GenerationContext, issuedOn: string): string {
  const year = Number(issuedOn.slice(0, 4));
  if (year >= 2014 && context.random.chance(0.25)) return 'E';
  return year < 2014 ? 'A' : year < 2020 ? 'B' : 'C';
}

export function createPassport(context: GenerationContext, holder: Resident, takenNumbers: Set<string>, keepValid: boolean): SyntheticPassport {
  const { random } = context;
  const earliest = Math.max(holder.birthDay + Math.ceil(ADULT_AGE * 365.25), context.todayDay - (keepValid ? 3 : 12) * 365);
  const issuedDay = randomDayBetween(context, earliest, context.todayDay);
  const issuedOn = isoDateOfDay(issuedDay);
  const expiresOn = addYears(issuedOn, issuedDay >= TEN_YEAR_PASSPORTS_SINCE ? 10 : 5);
  const number = drawUnique(takenNumbers, () => `${passportLetter(context, issuedOn)}${randomDigits(random, 7)}`);
  const status: PassportStatus = keepValid
    ? 'VALID'
    : random.weighted<PassportStatus | undefined>([['LOST', 2], ['REVOKED', 1], [undefined, 97]]) ??
      (dayNumberOf(expiresOn) >= context.todayDay ? 'VALID' : 'EXPIRED');
  return { number, nik: holder.citizen.nik, status, issuedOn, expiresOn, issuingOffice: holder.household.profile.immigrationOffice };
}

/** About 8% of adults have had a passport. */
export function generatePassports(context: GenerationContext, residents: readonly Resident[], sampleNiks: ReadonlySet<string>): SyntheticPassport[] {
  const passports: SyntheticPassport[] = [];
  const takenNumbers = new Set<string>();
  for (const resident of residents) {
    if (resident.ageYears < ADULT_AGE) continue;
    const isSample = sampleNiks.has(resident.citizen.nik);
    if (isSample || context.random.chance(0.08)) passports.push(createPassport(context, resident, takenNumbers, isSample));
  }
  return passports;
}
