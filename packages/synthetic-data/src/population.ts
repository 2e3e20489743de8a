import { formatNikBirthSegment } from '@simpul/identifiers';
import { ageOn, dayNumberOf, isoDateOfDay, romanMonthOf, yearOf } from './calendar';
import { ADULT_AGE, randomDayBetween, type GenerationContext, type Household, type Resident } from './generation-context';
import { NAMING_TRADITIONS, type NamingTradition } from './person-names';
import type { Community, DistrictHome, Occupation, RegionalProfile } from './regional-profiles';
import type {
  Address,
  FamilyRelationship,
  MaritalStatus,
  Religion,
  Sex,
  SyntheticCitizen,
  SyntheticFamilyCard,
  SyntheticMarriage,
} from './types';
import { SerialCounter } from './unique-numbers';

export interface Population {
  residents: Resident[];
  households: Household[];
  marriages: SyntheticMarriage[];
}

interface MemberPlan {
  relationship: FamilyRelationship;
  sex: Sex;
  birthDay: number;
  maritalStatus: MaritalStatus;
  birthOrder: number;
  lineage: string | undefined;
}

const DAYS_PER_YEAR = 365.25;
/** Families get KK numbers issued from this day on (the electronic KK era). */
const EARLIEST_FAMILY_CARD_ISSUE = dayNumberOf('2005-01-01');
const MINIMUM_MARRIAGE_AGE = 19;
const MAXIMUM_AGE = 94;

function birthDayForAge(context: GenerationContext, age: number): number {
  const latest = context.todayDay - Math.ceil(age * DAYS_PER_YEAR);
  return Math.min(context.todayDay, context.random.int(latest - 364, latest));
}

function dayOfBirthday(birthDay: number, age: number): number {
  return birthDay + Math.ceil(age * DAYS_PER_YEAR);
}

function drawHeadAge(context: GenerationContext): number {
  const [from, to] = context.random.weighted<readonly [number, number]>([
    [[25, 34], 25],
    [[35, 44], 30],
    [[45, 54], 25],
    [[55, 64], 13],
    [[65, 75], 7],
  ]);
  return context.random.int(from, to);
}

function drawHeadStatus(context: GenerationContext, sex: Sex): MaritalStatus {
  return sex === 'MALE'
    ? context.random.weighted<MaritalStatus>([['MARRIED', 86], ['WIDOWED', 6], ['DIVORCED', 4], ['SINGLE', 4]])
    : context.random.weighted<MaritalStatus>([['WIDOWED', 55], ['DIVORCED', 30], ['SINGLE', 15]]);
}

function planHousehold(context: GenerationContext, tradition: NamingTradition, capacity: number, isSample: boolean): MemberPlan[] {
  const { random } = context;
  const headSex: Sex = isSample || random.chance(0.85) ? 'MALE' : 'FEMALE';
  const headAge = isSample ? random.int(30, 50) : drawHeadAge(context);
  let headStatus = isSample ? 'MARRIED' : drawHeadStatus(context, headSex);
  if (headStatus === 'MARRIED' && capacity < 2) headStatus = headAge > 50 ? 'WIDOWED' : 'SINGLE';
  const headLineage = tradition.drawLineage(random);
  const head: MemberPlan = {
    relationship: 'HEAD',
    sex: headSex,
    birthDay: birthDayForAge(context, headAge),
    maritalStatus: headStatus,
    birthOrder: random.int(1, 4),
    lineage: headLineage,
  };
  const plans = [head];

  let motherAge: number | undefined;
  if (headStatus === 'MARRIED') {
    const spouseAge = Math.max(MINIMUM_MARRIAGE_AGE + 1, headAge - random.int(-2, 8));
    motherAge = spouseAge;
    plans.push({
      relationship: 'SPOUSE',
      sex: 'FEMALE',
      birthDay: birthDayForAge(context, spouseAge),
      maritalStatus: 'MARRIED',
      birthOrder: random.int(1, 4),
      lineage: tradition.drawLineage(random),
    });
  } else if (headStatus !== 'SINGLE') {
    motherAge = headSex === 'FEMALE' ? headAge : headAge - random.int(0, 6);
  }

  if (motherAge !== undefined && motherAge >= 21) {
    const wanted = random.weighted([[0, 12], [1, 24], [2, 34], [3, 20], [4, 10]] as const);
    const childCount = Math.min(wanted, capacity - plans.length);
    const oldestPossible = Math.min(motherAge - 20, 28);
    const childLineage = headSex === 'MALE' ? headLineage : tradition.drawLineage(random);
    const childAges = Array.from({ length: childCount }, () => random.int(0, oldestPossible)).sort((a, b) => b - a);
    childAges.forEach((age, index) => {
      plans.push({
        relationship: 'CHILD',
        sex: random.chance(0.51) ? 'MALE' : 'FEMALE',
        birthDay: birthDayForAge(context, age),
        maritalStatus: 'SINGLE',
        birthOrder: index + 1,
        lineage: childLineage,
      });
    });
  }

  const parentAge = headAge + random.int(22, 32);
  if (plans.length < capacity && parentAge <= MAXIMUM_AGE && random.chance(0.1)) {
    const parentSex: Sex = random.chance(0.7) ? 'FEMALE' : 'MALE';
    plans.push({
      relationship: 'PARENT',
      sex: parentSex,
      birthDay: birthDayForAge(context, parentAge),
      maritalStatus: 'WIDOWED',
      birthOrder: random.int(1, 4),
      lineage: parentSex === 'MALE' && headSex === 'MALE' ? headLineage : tradition.drawLineage(random),
    });
  }
  return plans;
}

function drawOccupation(context: GenerationContext, profile: RegionalProfile, plan: MemberPlan, age: number, isSampleHead: boolean): Occupation {
  const { random } = context;
  if (isSampleHead) return 'WIRASWASTA';
  if (age < 5) return 'BELUM/TIDAK BEKERJA';
  if (age < 18) return 'PELAJAR/MAHASISWA';
  if (age <= 22 && plan.relationship === 'CHILD' && random.chance(0.6)) return 'PELAJAR/MAHASISWA';
  if (age >= 60) {
    const retired = random.weighted<Occupation | undefined>([['PENSIUNAN', 35], ['BELUM/TIDAK BEKERJA', 30], [undefined, 35]]);
    if (retired) return plan.sex === 'FEMALE' && retired === 'BELUM/TIDAK BEKERJA' ? 'MENGURUS RUMAH TANGGA' : retired;
  }
  if (plan.sex === 'FEMALE' && (plan.relationship === 'SPOUSE' || plan.relationship === 'PARENT') && random.chance(0.45)) {
    return 'MENGURUS RUMAH TANGGA';
  }
  if (random.chance(0.05)) return 'BELUM/TIDAK BEKERJA';
  return random.weighted(profile.occupations);
}

function drawBirthPlace(context: GenerationContext, profile: RegionalProfile, tradition: NamingTradition, localShare: number): string {
  return context.random.chance(localShare) ? context.random.weighted(profile.birthPlaces) : context.random.pick(tradition.originBirthPlaces);
}

function muslimCommunityOf(profile: RegionalProfile): Community {
  const muslim = profile.communities.find((community) => community.religions.some(([religion]) => religion === 'ISLAM'));
  if (!muslim) throw new Error(`${profile.regency.name} has no Muslim community for a sample family`);
  return muslim;
}

function drawAddress(
  context: GenerationContext,
  profile: RegionalProfile,
  homeWeights: readonly (readonly [DistrictHome, number])[],
): { address: Address; villageIndex: number } {
  const { random } = context;
  const { regency } = profile;
  const home = random.weighted(homeWeights);
  const district = regency.districts.find((candidate) => candidate.code === home.code);
  if (!district) throw new Error(`District ${home.code} is not in ${regency.name}`);
  const villageIndex = random.int(0, home.villages.length - 1);
  const address: Address = {
    street: `${random.pick(profile.streets)} No. ${random.int(1, 160)}`,
    rt: String(random.int(1, 15)).padStart(3, '0'),
    rw: String(random.int(1, 9)).padStart(3, '0'),
    village: home.villages[villageIndex] ?? home.villages[0] ?? '',
    districtCode: district.code,
    districtName: district.name,
    regencyCode: regency.code,
    regencyName: regency.name,
    provinceCode: regency.provinceCode,
    provinceName: regency.provinceName,
    postalCode: home.postalCode,
  };
  return { address, villageIndex };
}

function twoDigitDate(day: number): string {
  const iso = isoDateOfDay(day);
  return `${iso.slice(8, 10)}${iso.slice(5, 7)}${iso.slice(2, 4)}`;
}

/**
 * Families (one KK each) until `citizenCount` people exist. The first `sampleRegencies.length`
 * families are demo families: a married Muslim couple in each of those regencies.
 */
export function generatePopulation(
  context: GenerationContext,
  profiles: readonly RegionalProfile[],
  citizenCount: number,
  sampleRegencies: readonly RegionalProfile[],
): Population {
  const { random } = context;
  const profileWeights = profiles.map((profile) => [profile, profile.weight] as const);
  const nikSerials = new SerialCounter();
  const familyCardSerials = new SerialCounter();
  const marriageSerials = new SerialCounter();
  const residents: Resident[] = [];
  const households: Household[] = [];
  const marriages: SyntheticMarriage[] = [];
  const communityWeights = new Map(profiles.map((profile) => [profile, profile.communities.map((community) => [community, community.weight] as const)]));
  const homeWeights = new Map(profiles.map((profile) => [profile, profile.districtHomes.map((home) => [home, home.weight] as const)]));

  while (residents.length < citizenCount) {
    const sampleProfile = sampleRegencies[households.length];
    const isSample = sampleProfile !== undefined;
    const profile = sampleProfile ?? random.weighted(profileWeights);
    const community = isSample ? muslimCommunityOf(profile) : random.weighted(communityWeights.get(profile) ?? []);
    const religion: Religion = isSample ? 'ISLAM' : random.weighted(community.religions);
    const tradition = NAMING_TRADITIONS[community.id];
    const isNativeCommunity = profile.communities[0]?.id === community.id;
    // Sample families leave room for the sample couples still to come.
    const samplesStillToCome = Math.max(0, sampleRegencies.length - households.length - 1);
    const plans = planHousehold(context, tradition, citizenCount - residents.length - 2 * samplesStillToCome, isSample);
    const { address, villageIndex } = drawAddress(context, profile, homeWeights.get(profile) ?? []);

    const card: SyntheticFamilyCard = { number: '', headNik: '', issuedOn: '', address };
    const household: Household = { profile, community: community.id, card, villageIndex, members: [], isSample };

    for (const plan of plans) {
      const birthDate = isoDateOfDay(plan.birthDay);
      const ageYears = ageOn(birthDate, context.today);
      const localShare = plan.relationship === 'CHILD' ? 0.95 : isNativeCommunity ? 0.9 : plan.relationship === 'PARENT' ? 0.4 : 0.6;
      const nikPrefix = `${address.districtCode}${formatNikBirthSegment(birthDate, plan.sex)}`;
      const citizen: SyntheticCitizen = {
        nik: `${nikPrefix}${nikSerials.next(nikPrefix, 4)}`,
        fullName: tradition.fullName(random, { sex: plan.sex, birthYear: yearOf(birthDate), birthOrder: plan.birthOrder, lineage: plan.lineage }),
        birthPlace: drawBirthPlace(context, profile, tradition, localShare),
        birthDate,
        sex: plan.sex,
        religion,
        maritalStatus: plan.maritalStatus,
        occupation: drawOccupation(context, profile, plan, ageYears, isSample && plan.relationship === 'HEAD'),
        familyCardNumber: '',
        familyRelationship: plan.relationship,
        address: { ...address },
      };
      const resident: Resident = { citizen, household, ageYears, birthDay: plan.birthDay };
      household.members.push(resident);
      residents.push(resident);
    }

    const [head, spouse] = household.members;
    if (!head) throw new Error('A household always has a head');
    const children = household.members.filter((member) => member.citizen.familyRelationship === 'CHILD');
    let marriageDay: number | undefined;
    if (spouse?.citizen.familyRelationship === 'SPOUSE') {
      const earliest = Math.max(dayOfBirthday(head.birthDay, MINIMUM_MARRIAGE_AGE), dayOfBirthday(spouse.birthDay, MINIMUM_MARRIAGE_AGE));
      const latest = Math.min(context.todayDay, ...children.map((child) => child.birthDay - 300));
      marriageDay = randomDayBetween(context, Math.min(earliest, latest), latest);
      if (religion === 'ISLAM') {
        const registeredAt = isoDateOfDay(marriageDay);
        const yearKey = `${address.districtCode}/${yearOf(registeredAt)}`;
        const marriage: SyntheticMarriage = {
          id: random.uuid(),
          husbandNik: head.citizen.nik,
          wifeNik: spouse.citizen.nik,
          registeredAt,
          kuaOffice: `KUA Kecamatan ${address.districtName}`,
          // The district code stands in for the KUA's own code so numbers stay unique across regencies.
          certificateNumber: `${marriageSerials.next(yearKey, 4)}/${address.districtCode}/${romanMonthOf(registeredAt)}/${yearOf(registeredAt)}`,
        };
        marriages.push(marriage);
      }
    }

    // The KK is reissued whenever the family changes, so it is no older than its youngest member or the marriage.
    const issueFrom = Math.max(
      EARLIEST_FAMILY_CARD_ISSUE,
      dayOfBirthday(head.birthDay, ADULT_AGE),
      marriageDay ?? 0,
      ...household.members.map((member) => member.birthDay),
    );
    const issuedDay = randomDayBetween(context, Math.min(issueFrom, context.todayDay), context.todayDay);
    const cardPrefix = `${address.districtCode}${twoDigitDate(issuedDay)}`;
    card.number = `${cardPrefix}${familyCardSerials.next(cardPrefix, 4)}`;
    card.headNik = head.citizen.nik;
    card.issuedOn = isoDateOfDay(issuedDay);
    for (const member of household.members) member.citizen.familyCardNumber = card.number;
    households.push(household);
  }

  return { residents, households, marriages };
}
