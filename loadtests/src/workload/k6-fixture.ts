import type { World } from '@simpul/synthetic-data';
import { nikRotation } from './nik-rotation';
import { UNIFIED_PROFILE_QUERY } from './unified-profile';

/** Citizens whose true claims the verification script checks (a wrong claim counts toward a per-NIK limit). */
const VERIFIED_CITIZENS = 500;
/** An applicant must be an adult (the catalogue's minimum age is at most this). */
const ADULT_YEARS = 18;

function isAdult(birthDate: string, today: Date): boolean {
  const adultFrom = new Date(`${birthDate}T00:00:00Z`);
  adultFrom.setUTCFullYear(adultFrom.getUTCFullYear() + ADULT_YEARS);
  return adultFrom.getTime() <= today.getTime() - 86_400_000;
}

/**
 * What the k6 scripts read (loadtests/k6): the unified-profile query and the NIK rotation the Node
 * runner measures, the adults among them (applicants), and synthetic citizens' true name and birth
 * date for verifyCitizen.
 */
export function k6Fixture(world: Pick<World, 'citizens' | 'seed'>, today = new Date()) {
  const niks = nikRotation(world);
  const adults = new Set(world.citizens.filter((citizen) => isAdult(citizen.birthDate, today)).map((citizen) => citizen.nik));
  return {
    world: { citizens: world.citizens.length, seed: world.seed },
    query: UNIFIED_PROFILE_QUERY,
    niks,
    /** Adults, in the same rotation: who may file an application. */
    applicants: niks.filter((nik) => adults.has(nik)),
    citizens: world.citizens.slice(0, VERIFIED_CITIZENS).map(({ nik, fullName, birthDate }) => ({ nik, fullName, birthDate })),
  };
}
