import type { World } from '@simpul/synthetic-data';
import { shuffled } from './nik-rotation';

/** A partner bank's main call: yes/no answers about a customer's claims, no registered data. */
export const VERIFY_CITIZEN_QUERY = `query VerifyCitizen($nik: String!, $claims: CitizenClaimsInput!) {
  verifyCitizen(nik: $nik, claims: $claims) { registered fullNameMatches birthDateMatches }
}`;

/** The data field a verifyCitizen response must carry (non-null) to count as a success. */
export const VERIFY_CITIZEN_REQUIRED_FIELDS = ['verifyCitizen'];

/** The bank's confidential client in the demo realm (client credentials). */
export const BANK_CLIENT = 'bank-bpd';

/**
 * What the bank declares: it verifies a customer to open their account, a contract with the data
 * subject (UU PDP Pasal 20 ayat (2) huruf b).
 */
export const BANK_PURPOSE = 'legal-basis:CONTRACT_PERFORMANCE';

/**
 * One request body per citizen, in a seeded shuffled order, claiming their registered name and
 * birth date (so every answer says registered and matching: the full path through Dukcapil).
 */
export function citizenVerificationBodies(world: Pick<World, 'citizens' | 'seed'>): string[] {
  return shuffled(world.citizens, world.seed).map(({ nik, fullName, birthDate }) =>
    JSON.stringify({ query: VERIFY_CITIZEN_QUERY, operationName: 'VerifyCitizen', variables: { nik, claims: { fullName, birthDate } } }),
  );
}
