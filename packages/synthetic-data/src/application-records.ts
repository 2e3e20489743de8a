import { ADULT_AGE, type GenerationContext, type Resident } from './generation-context';
import type { ApplicationStatus, ApplicationType, SyntheticApplication } from './types';

const APPLICATION_SHARE = 0.1;
const SUBMISSION_WINDOW_DAYS = 90;
const MILLISECONDS_PER_DAY = 86_400_000;

export interface ApplicantFacts {
  ownsVehicle: boolean;
}

function eligibleTypes(applicant: Resident, facts: ApplicantFacts): (readonly [ApplicationType, number])[] {
  const { citizen, ageYears } = applicant;
  const types: (readonly [ApplicationType, number])[] = [
    ['BUSINESS_START', 20],
    ['ADDRESS_CHANGE', 15],
    ['PASSPORT_APPLICATION', 15],
  ];
  if (citizen.maritalStatus === 'SINGLE' && ageYears >= 19) types.push(['MARRIAGE_REGISTRATION', 12]);
  if (citizen.maritalStatus === 'MARRIED' && ageYears < 45) types.push(['BIRTH_REGISTRATION', 15]);
  if (facts.ownsVehicle) types.push(['VEHICLE_ANNUAL_RENEWAL', 25]);
  return types;
}

/** A weekday moment during MPP opening hours (08:00–15:30 local time) within the last 90 days. */
function submissionTimestamp(context: GenerationContext, applicant: Resident): { submittedAt: string; daysAgo: number } {
  const { random } = context;
  let daysAgo = random.int(1, SUBMISSION_WINDOW_DAYS);
  const weekday = new Date((context.todayDay - daysAgo) * MILLISECONDS_PER_DAY).getUTCDay();
  if (weekday === 6) daysAgo += 1;
  if (weekday === 0) daysAgo += 2;
  const localMinutes = random.int(8 * 60, 15 * 60 + 30);
  const utcMilliseconds =
    (context.todayDay - daysAgo) * MILLISECONDS_PER_DAY + (localMinutes - applicant.household.profile.utcOffsetHours * 60) * 60_000 + random.int(0, 59) * 1000;
  return { submittedAt: new Date(utcMilliseconds).toISOString(), daysAgo };
}

function applicationStatus(context: GenerationContext, daysAgo: number): ApplicationStatus {
  if (daysAgo <= 3) return context.random.weighted<ApplicationStatus>([['SUBMITTED', 60], ['IN_PROGRESS', 40]]);
  return context.random.weighted<ApplicationStatus>([
    ['SUBMITTED', 5],
    ['IN_PROGRESS', 25],
    ['COMPLETED', 50],
    ['PARTIALLY_REJECTED', 8],
    ['REJECTED', 12],
  ]);
}

export function createApplication(context: GenerationContext, applicant: Resident, facts: ApplicantFacts): SyntheticApplication {
  const { random } = context;
  const { submittedAt, daysAgo } = submissionTimestamp(context, applicant);
  return {
    id: random.uuid(),
    type: random.weighted(eligibleTypes(applicant, facts)),
    applicantNik: applicant.citizen.nik,
    status: applicationStatus(context, daysAgo),
    submittedAt,
    mppOffice: `MPP ${applicant.household.profile.regency.name}`,
  };
}

/** Applications filed at the MPP counters: one for about every tenth citizen, each by an adult. */
export function generateApplications(
  context: GenerationContext,
  residents: readonly Resident[],
  sampleResidents: readonly Resident[],
  factsOf: (resident: Resident) => ApplicantFacts,
): SyntheticApplication[] {
  const adults = residents.filter((resident) => resident.ageYears >= ADULT_AGE);
  const count = Math.max(sampleResidents.length, Math.round(residents.length * APPLICATION_SHARE));
  const applications = sampleResidents.map((sample) => createApplication(context, sample, factsOf(sample)));
  while (applications.length < count) {
    const applicant = context.random.pick(adults);
    applications.push(createApplication(context, applicant, factsOf(applicant)));
  }
  // Newest first, as a counter's queue is usually shown.
  return applications.sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : a.submittedAt > b.submittedAt ? -1 : 0));
}
