import { npwpCheckDigit } from '@simpul/identifiers';
import { dayNumberOf, isoDateOfDay } from './calendar';
import { BUSINESS_ACTIVITIES, COMMON_BUSINESS_NAME_WORDS } from './business-activities';
import { ADULT_AGE, randomDayBetween, type GenerationContext, type Resident } from './generation-context';
import type { Occupation, RegionalProfile } from './regional-profiles';
import type { BusinessStatus, SyntheticBusiness, SyntheticTaxpayer } from './types';
import { drawUnique, randomDigits } from './unique-numbers';

/** OSS started issuing NIBs on 9 July 2018; OSS RBA took over on 4 August 2021. */
const OSS_LAUNCH = dayNumberOf('2018-07-09');
const OSS_RBA_LAUNCH = dayNumberOf('2021-08-04');
/** Since 1 July 2024 individuals register with their NIK as NPWP. */
const NIK_AS_NPWP_SINCE = dayNumberOf('2024-07-01');
const EARLIEST_NPWP_REGISTRATION = dayNumberOf('1995-01-01');

const BUSINESS_CHANCE_BY_OCCUPATION: Partial<Record<Occupation, number>> = {
  WIRASWASTA: 0.7,
  PEDAGANG: 0.6,
  'MENGURUS RUMAH TANGGA': 0.1,
  'PETANI/PEKEBUN': 0.08,
  'NELAYAN/PERIKANAN': 0.08,
  PENSIUNAN: 0.08,
  'KARYAWAN SWASTA': 0.04,
  'BURUH HARIAN LEPAS': 0.03,
  GURU: 0.03,
};

const TAXPAYER_CHANCE_BY_OCCUPATION: Partial<Record<Occupation, number>> = {
  'PEGAWAI NEGERI SIPIL': 0.95,
  'KARYAWAN BUMN': 0.95,
  GURU: 0.9,
  'KARYAWAN SWASTA': 0.7,
  'KARYAWAN HONORER': 0.4,
  WIRASWASTA: 0.35,
  PEDAGANG: 0.3,
  PENSIUNAN: 0.3,
  SOPIR: 0.15,
  'PETANI/PEKEBUN': 0.05,
  'NELAYAN/PERIKANAN': 0.05,
  'BURUH HARIAN LEPAS': 0.05,
};

// Activities people of an occupation tend to register, when their regency has them.
const PREFERRED_KBLI_BY_OCCUPATION: Partial<Record<Occupation, readonly string[]>> = {
  'PETANI/PEKEBUN': ['01262', '01270'],
  'NELAYAN/PERIKANAN': ['03111', '10213'],
  'MENGURUS RUMAH TANGGA': ['10792', '56102', '47112'],
};

function adultDay(resident: Resident): number {
  return resident.birthDay + Math.ceil(ADULT_AGE * 365.25);
}

function ownerNameWord(resident: Resident): string {
  const tokens = resident.citizen.fullName.split(' ');
  return tokens[tokens.length - 1] ?? resident.citizen.fullName;
}

function drawKbli(context: GenerationContext, profile: RegionalProfile, occupation: Occupation): string {
  const preferred = (PREFERRED_KBLI_BY_OCCUPATION[occupation] ?? []).filter((kbli) => profile.kbliWeights.some(([code]) => code === kbli));
  if (preferred.length > 0 && context.random.chance(0.7)) return context.random.pick(preferred);
  return context.random.weighted(profile.kbliWeights);
}

function drawNib(context: GenerationContext, issuedDay: number, taken: Set<string>): string {
  return drawUnique(taken, () => (issuedDay < OSS_RBA_LAUNCH ? `9120${randomDigits(context.random, 9)}` : `1${randomDigits(context.random, 12)}`));
}

export function createBusiness(context: GenerationContext, owner: Resident, takenNibs: Set<string>, forceActive: boolean): SyntheticBusiness {
  const { random } = context;
  const { profile } = owner.household;
  const activity = BUSINESS_ACTIVITIES[drawKbli(context, profile, owner.citizen.occupation as Occupation)];
  if (!activity) throw new Error('Every KBLI in a regional profile has a business activity');
  const issuedDay = randomDayBetween(context, Math.max(OSS_LAUNCH, adultDay(owner)), context.todayDay);
  const nameWord = random.chance(0.4) ? ownerNameWord(owner) : random.pick([...profile.businessNameWords, ...COMMON_BUSINESS_NAME_WORDS]);
  const status: BusinessStatus = forceActive ? 'ACTIVE' : random.weighted<BusinessStatus>([['ACTIVE', 92], ['SUSPENDED', 5], ['REVOKED', 3]]);
  return {
    nib: drawNib(context, issuedDay, takenNibs),
    ownerNik: owner.citizen.nik,
    name: random.pick(activity.nameTemplates).replace('{}', nameWord),
    kbli: activity.kbli,
    kbliTitle: activity.title,
    riskLevel: activity.riskLevel,
    status,
    issuedOn: isoDateOfDay(issuedDay),
  };
}

function legacyNpwpTypeDigit(context: GenerationContext, occupation: Occupation, ownsBusiness: boolean): number {
  // Second digit of a legacy NPWP: 4/6 entrepreneurs, 5 civil servants, 7–9 employees.
  if (ownsBusiness || occupation === 'WIRASWASTA' || occupation === 'PEDAGANG') return context.random.pick([4, 6]);
  if (occupation === 'PEGAWAI NEGERI SIPIL' || occupation === 'GURU') return 5;
  return context.random.pick([7, 8, 9]);
}

export function createTaxpayer(context: GenerationContext, resident: Resident, ownsBusiness: boolean, takenNpwps: Set<string>): SyntheticTaxpayer {
  const { random } = context;
  const registeredDay = randomDayBetween(context, Math.max(EARLIEST_NPWP_REGISTRATION, adultDay(resident)), context.todayDay);
  const registeredOn = isoDateOfDay(registeredDay);
  if (registeredDay >= NIK_AS_NPWP_SINCE) {
    takenNpwps.add(resident.citizen.nik);
    return { npwp: resident.citizen.nik, nik: resident.citizen.nik, registeredOn };
  }
  const typeDigit = legacyNpwpTypeDigit(context, resident.citizen.occupation as Occupation, ownsBusiness);
  const npwp = drawUnique(takenNpwps, () => {
    const firstEight = `${random.int(0, 9)}${typeDigit}${String(random.int(1, 999_999)).padStart(6, '0')}`;
    return `${firstEight}${npwpCheckDigit(firstEight)}${resident.household.profile.taxOfficeCode}000`;
  });
  return { npwp, nik: resident.citizen.nik, registeredOn };
}

export interface BusinessRecords {
  businesses: SyntheticBusiness[];
  taxpayers: SyntheticTaxpayer[];
}

export function generateBusinessRecords(context: GenerationContext, residents: readonly Resident[], sampleNiks: ReadonlySet<string>): BusinessRecords {
  const { random } = context;
  const businesses: SyntheticBusiness[] = [];
  const taxpayers: SyntheticTaxpayer[] = [];
  const takenNibs = new Set<string>();
  const takenNpwps = new Set<string>();
  for (const resident of residents) {
    if (resident.ageYears < ADULT_AGE) continue;
    const occupation = resident.citizen.occupation as Occupation;
    const isSample = sampleNiks.has(resident.citizen.nik);
    const ownsBusiness = isSample || random.chance(BUSINESS_CHANCE_BY_OCCUPATION[occupation] ?? 0.02);
    if (ownsBusiness) {
      businesses.push(createBusiness(context, resident, takenNibs, isSample));
      if (random.chance(0.06)) businesses.push(createBusiness(context, resident, takenNibs, false));
    }
    if (ownsBusiness || random.chance(TAXPAYER_CHANCE_BY_OCCUPATION[occupation] ?? 0.02)) {
      taxpayers.push(createTaxpayer(context, resident, ownsBusiness, takenNpwps));
    }
  }
  return { businesses, taxpayers };
}
