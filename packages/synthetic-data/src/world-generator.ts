import { generateApplications } from './application-records';
import { generateBusinessRecords } from './business-records';
import { createGenerationContext, type Resident } from './generation-context';
import { generatePassports } from './passport-records';
import { generatePopulation } from './population';
import { generatePropertyTaxBills } from './property-tax-records';
import { createRandom, type Random } from './random';
import { createRegionalProfiles, type RegionalProfile } from './regional-profiles';
import { describeSampleCitizen } from './sample-citizens';
import type { World, WorldOptions } from './types';
import { generateVehicleRecords } from './vehicle-records';

/** MPP Banyuwangi's opening day. */
export const DEFAULT_SEED = 20171006;
export const DEFAULT_CITIZENS = 2000;
export const DEFAULT_TODAY = '2026-01-01';
const SAMPLE_COUNT = 3;
/** Each sample is a married couple, so the world needs room for three couples. */
export const MINIMUM_CITIZENS = SAMPLE_COUNT * 2;

/** Three regencies with a Muslim majority (so the sample couple can have a KUA marriage), in seed order. */
function pickSampleRegencies(random: Random, profiles: readonly RegionalProfile[]): RegionalProfile[] {
  const candidates = profiles.filter((profile) => profile.communities[0]?.religions.some(([religion]) => religion === 'ISLAM'));
  const picked: RegionalProfile[] = [];
  while (picked.length < SAMPLE_COUNT) {
    const candidate = random.pick(candidates);
    if (!picked.includes(candidate)) picked.push(candidate);
  }
  return picked;
}

function validateOptions(citizens: number, today: string): void {
  if (!Number.isInteger(citizens) || citizens < MINIMUM_CITIZENS) {
    throw new RangeError(`citizens must be an integer of at least ${MINIMUM_CITIZENS} (got ${citizens})`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    throw new RangeError(`today must be a YYYY-MM-DD date (got "${today}")`);
  }
}

/**
 * A deterministic synthetic MPP world: the same options always give a deep-equal world, and every
 * identifier in it passes its @simpul/identifiers parser.
 */
export function generateWorld(options: WorldOptions = {}): World {
  const seed = options.seed ?? DEFAULT_SEED;
  const citizenCount = options.citizens ?? DEFAULT_CITIZENS;
  const today = options.today ?? DEFAULT_TODAY;
  validateOptions(citizenCount, today);

  const random = createRandom(seed);
  const context = createGenerationContext(random, today);
  const profiles = createRegionalProfiles();
  const sampleRegencies = pickSampleRegencies(random, profiles);

  const population = generatePopulation(context, profiles, citizenCount, sampleRegencies);
  const sampleResidents = population.households
    .filter((household) => household.isSample)
    .map((household) => household.members[0])
    .filter((resident): resident is Resident => resident !== undefined);
  const sampleNiks = new Set(sampleResidents.map((resident) => resident.citizen.nik));

  const { businesses, taxpayers } = generateBusinessRecords(context, population.residents, sampleNiks);
  const propertyTaxBills = generatePropertyTaxBills(context, population.households);
  const { vehicles, vehicleTaxes, drivingLicences, vehicleKindsByOwner } = generateVehicleRecords(context, population.residents, sampleNiks);
  const passports = generatePassports(context, population.residents, sampleNiks);
  const applications = generateApplications(context, population.residents, sampleResidents, (resident) => ({
    ownsVehicle: vehicleKindsByOwner.has(resident.citizen.nik),
  }));

  const records = {
    marriages: population.marriages,
    businesses,
    taxpayers,
    propertyTaxBills,
    vehicles,
    vehicleTaxes,
    drivingLicences,
    passports,
    applications,
  };
  return {
    seed,
    regencies: profiles.map((profile) => profile.regency),
    citizens: population.residents.map((resident) => resident.citizen),
    familyCards: population.households.map((household) => household.card),
    ...records,
    samples: sampleResidents.map((resident) => describeSampleCitizen(resident, records)),
  };
}
