import type { SyntheticCitizen } from '@simpul/synthetic-data';
import { classifyGraphQLResponse, type ResponseVerdict } from '../load/graphql-response-check';
import { shuffled } from './nik-rotation';

// The fan-out workload: BUSINESS_START applications filed through the gateway. Licensing issues the
// NIB, then tax (NPWP), bank-bpd (account, over a signed webhook) and PLN (connection, over events)
// act in parallel, every one of them automatically.

export const SUBMIT_APPLICATION_MUTATION = `mutation SubmitApplication($input: SubmitApplicationInput!) {
  submitApplication(input: $input) {
    id
    status
    tasks { id participant status }
  }
}`;

export const BUSINESS_START = 'BUSINESS_START';
/** A KBLI 2020 activity OSS registers (retail in a minimarket), so licensing approves. */
export const BUSINESS_START_KBLI = '47111';
const MPP_OFFICE = 'MPP Siak';
const MIN_AGE = 21;
const MAX_AGE = 60;
const YEAR_MS = 365.25 * 86_400_000;

/**
 * NIKs of the world's adults (21 to under 60 on `today`, so no participant refuses a minor), in a
 * seeded shuffled order so consecutive applications come from different families.
 */
export function businessOwners(citizens: readonly Pick<SyntheticCitizen, 'nik' | 'birthDate'>[], seed: number, today: Date): string[] {
  const adults = citizens.filter((citizen) => {
    const age = (today.getTime() - new Date(citizen.birthDate).getTime()) / YEAR_MS;
    return age >= MIN_AGE && age < MAX_AGE;
  });
  if (adults.length === 0) throw new Error(`the world has no citizens aged ${MIN_AGE}–${MAX_AGE} to start businesses`);
  return shuffled(
    adults.map((citizen) => citizen.nik),
    seed,
  );
}

/** Business names of the measured applications: `UD Uji Beban 1`, `UD Uji Beban 2`… */
export const MEASURED_BUSINESS_PREFIX = 'UD Uji Beban';

/**
 * The request body of application `n` (from 0), filed by `owners[n % length]` for a business named
 * `<prefix> <n + 1>` at an address of its own. Owners repeat once the list is used up, so each n
 * gets another name (licensing refuses a second active business of the same name for one owner, the
 * bank a second account for it) and another address (PLN refuses an address already connected for
 * someone else).
 */
export function businessStartBody(owners: readonly string[], n: number, prefix: string = MEASURED_BUSINESS_PREFIX): string {
  if (!Number.isInteger(n) || n < 0) throw new Error(`application number must be a whole number from 0, got ${n}`);
  const applicantNik = owners[n % owners.length];
  if (applicantNik === undefined) throw new Error('no business owners to file applications for');
  const inputs = {
    businessName: `${prefix} ${n + 1}`,
    kbli: BUSINESS_START_KBLI,
    businessAddress: `Ruko ${prefix} No. ${n + 1}, Siak Sri Indrapura`,
    businessScale: 'MICRO',
  };
  return JSON.stringify({
    query: SUBMIT_APPLICATION_MUTATION,
    operationName: 'SubmitApplication',
    variables: {
      input: {
        type: BUSINESS_START,
        applicantNik,
        mppOffice: MPP_OFFICE,
        inputs: Object.entries(inputs).map(([name, value]) => ({ name, value })),
      },
    },
  });
}

export interface SubmittedTask {
  id: string;
  participant: string;
  /** PENDING in the submit answer: it waits for earlier steps, so it is not released at submit. */
  waitsForEarlierSteps: boolean;
}

export type SubmitFailureKind = Exclude<ResponseVerdict, 'ok'> | 'timeout' | 'connection';

export type SubmitAnswer =
  | { ok: true; applicationId: string; tasks: SubmittedTask[] }
  | { ok: false; kind: SubmitFailureKind; /** What came back, shortened for the report. */ sample: string };

const SAMPLE_LENGTH = 300;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the gateway's answer to one submit: HTTP 200, JSON, no `errors`, and an application with an
 * id and at least one task — anything else is a failed submit.
 */
export function readSubmitAnswer(status: number, body: string): SubmitAnswer {
  const failed = (kind: SubmitFailureKind): SubmitAnswer => ({ ok: false, kind, sample: `${status} ${body.slice(0, SAMPLE_LENGTH)}` });
  const verdict = classifyGraphQLResponse(status, body, ['submitApplication']);
  if (verdict !== 'ok') return failed(verdict);
  const application = (JSON.parse(body) as { data: { submitApplication: unknown } }).data.submitApplication;
  if (!isRecord(application) || typeof application.id !== 'string' || !Array.isArray(application.tasks)) return failed('missing-data');
  const tasks = application.tasks.filter(
    (task): task is { id: string; participant: string; status: string } =>
      isRecord(task) && typeof task.id === 'string' && typeof task.participant === 'string' && typeof task.status === 'string',
  );
  if (tasks.length === 0 || tasks.length !== application.tasks.length) return failed('missing-data');
  return {
    ok: true,
    applicationId: application.id,
    tasks: tasks.map(({ id, participant, status }) => ({ id, participant, waitsForEarlierSteps: status === 'PENDING' })),
  };
}
