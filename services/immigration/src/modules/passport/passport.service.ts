import { BadUserInputError } from '@simpul/service-kit';
import { parsePassportNumber } from '@simpul/identifiers';
import type { PassportRow } from '../../db/schema';
import type { ImmigrationLoaders } from '../../loaders';

export function requireValidPassportNumber(number: string, argument = 'number'): string {
  const parsed = parsePassportNumber(number);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value;
}

export async function findPassport(loaders: ImmigrationLoaders, number: string): Promise<PassportRow | null> {
  return loaders.passportByNumber.load(requireValidPassportNumber(number));
}

/** A holder's passports; each is also remembered by number so a later lookup in the request costs no query. */
export async function findPassportsOfHolder(loaders: ImmigrationLoaders, nik: string): Promise<PassportRow[]> {
  const held = await loaders.passportsByNik.load(nik);
  for (const passport of held) loaders.passportByNumber.prime(passport.number, passport);
  return held;
}
