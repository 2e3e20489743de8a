import { ageOn, indonesianDate } from '@simpul/identifiers';
import { BadUserInputError, DomainError, GatewayQueryError, type GatewayClient } from '@simpul/service-kit';
import { APPLICANT_NIK_INPUT, type ApplicationTypeDefinition } from '../catalogue/service-catalogue';
import type { InputProblem, InputValues } from './application-inputs';

/** What the applications service needs to know of a registered citizen. */
export interface RegisteredCitizen {
  nik: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** `YYYY-MM-DD` of the death Dukcapil recorded; null while alive. */
  diedOn: string | null;
}

/** Dukcapil's register, asked for the citizens an application names. */
export interface CivilRegistry {
  /** The registered ones among `niks`, by NIK; a NIK Dukcapil does not know is absent. */
  lookUp(niks: readonly string[]): Promise<ReadonlyMap<string, RegisteredCitizen>>;
  /** The NIKs of every member of these family cards (KK numbers); an unknown card adds none. */
  familyMembers(cardNumbers: readonly string[]): Promise<string[]>;
}

/** No application exists yet when its citizens are checked: the counter's public task is the basis. */
const REGISTRY_PURPOSE = 'legal-basis:PUBLIC_SERVICE_DELIVERY';

/** Dukcapil through the gateway, as the service's own account: one query for all the NIKs. */
export function gatewayCivilRegistry(gateway: GatewayClient): CivilRegistry {
  return {
    async lookUp(niks) {
      const registered = new Map<string, RegisteredCitizen>();
      if (niks.length === 0) return registered;
      const variables = Object.fromEntries(niks.map((nik, i) => [`nik${i}`, nik]));
      const query = `query CitizensOfApplication(${niks.map((_, i) => `$nik${i}: String!`).join(', ')}) { ${niks
        .map((_, i) => `citizen${i}: citizen(nik: $nik${i}) { nik birthDate diedOn }`)
        .join(' ')} }`;
      const data = await gateway.query<Record<string, RegisteredCitizen | null>>(query, variables, { purpose: REGISTRY_PURPOSE });
      for (const citizen of Object.values(data)) if (citizen) registered.set(citizen.nik, citizen);
      return registered;
    },
    async familyMembers(cardNumbers) {
      if (cardNumbers.length === 0) return [];
      const variables = Object.fromEntries(cardNumbers.map((number, i) => [`kk${i}`, number]));
      const query = `query MembersOfCards(${cardNumbers.map((_, i) => `$kk${i}: String!`).join(', ')}) { ${cardNumbers
        .map((_, i) => `card${i}: familyCard(number: $kk${i}) { members { nik } }`)
        .join(' ')} }`;
      const data = await gateway.query<Record<string, { members: { nik: string }[] } | null>>(query, variables, { purpose: REGISTRY_PURPOSE });
      return [...new Set(Object.values(data).flatMap((card) => card?.members.map((member) => member.nik) ?? []))];
    },
  };
}

/** A citizen an application names: the applicant or a NIK input, with the age the type asks of them. */
interface NamedCitizen {
  field: string;
  label: string;
  nik: string;
  minimumAge?: number;
}

function namedCitizens(type: ApplicationTypeDefinition, applicantNik: string, values: InputValues): NamedCitizen[] {
  const named: NamedCitizen[] = [{ field: APPLICANT_NIK_INPUT, label: 'The applicant', nik: applicantNik, minimumAge: type.applicantMinimumAge }];
  for (const input of type.inputs) {
    const nik = values[input.name];
    if (input.kind === 'NIK' && nik !== undefined) named.push({ field: `inputs.${input.name}`, label: input.label, nik, minimumAge: input.minimumAge });
  }
  return named;
}

/**
 * Every citizen the application names must be registered with Dukcapil (NIK_NOT_REGISTERED), alive
 * (CITIZEN_DECEASED) and as old as the type asks (CITIZEN_UNDER_AGE) on `today` (`YYYY-MM-DD`).
 */
export function eligibilityProblems(named: readonly NamedCitizen[], registered: ReadonlyMap<string, RegisteredCitizen>, today: string): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const { field, label, nik, minimumAge } of named) {
    const citizen = registered.get(nik);
    if (!citizen) {
      problems.push({ field, rule: 'NIK_NOT_REGISTERED', message: `${label}: NIK ${nik} is not registered with Dukcapil` });
    } else if (citizen.diedOn !== null) {
      problems.push({ field, rule: 'CITIZEN_DECEASED', message: `${label}: Dukcapil records the citizen as deceased since ${citizen.diedOn}` });
    } else if (minimumAge !== undefined && ageOn(citizen.birthDate, today) < minimumAge) {
      problems.push({ field, rule: 'CITIZEN_UNDER_AGE', message: `${label} must be at least ${minimumAge} years old` });
    }
  }
  return problems;
}

/**
 * Refuses (BAD_USER_INPUT naming the first problem's field and rule, every problem in `problems`)
 * an application naming a citizen Dukcapil does not know, a deceased one or one too young for the
 * type. A registry that cannot be asked is SERVICE_UNAVAILABLE: nothing is filed unchecked.
 */
export async function checkApplicationCitizens(
  registry: CivilRegistry,
  type: ApplicationTypeDefinition,
  application: { applicantNik: string; values: InputValues },
  now: Date,
): Promise<void> {
  const named = namedCitizens(type, application.applicantNik, application.values);
  let registered: ReadonlyMap<string, RegisteredCitizen>;
  try {
    registered = await registry.lookUp([...new Set(named.map((citizen) => citizen.nik))]);
  } catch (error) {
    if (!(error instanceof GatewayQueryError)) throw error;
    throw new DomainError('SERVICE_UNAVAILABLE', 'The civil registry (Dukcapil) cannot be asked now; nothing was filed, try again', {
      rule: 'CIVIL_REGISTRY_UNAVAILABLE',
    });
  }
  const problems = eligibilityProblems(named, registered, indonesianDate(now));
  const [first] = problems;
  if (first) throw new BadUserInputError(`${first.field}: ${first.message}`, { argument: 'input', field: first.field, rule: first.rule, problems });
}
