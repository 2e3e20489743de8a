/**
 * Counter officers filing applications (ADDRESS_CHANGE: one Dukcapil task) through the gateway at a
 * constant arrival rate; each submission fans out to the participants over events. Run as an officer
 * (TOKEN from `npm run simpul -- token petugas`, who works at MPP Siak), purpose
 * `legal-basis:PUBLIC_SERVICE_DELIVERY` by default. Environment: see simpul.ts, plus FIXTURE and
 * MPP_OFFICE (default MPP Siak). Default rate 5/s: every submission is a fan-out.
 */
import { SharedArray } from 'k6/data';
import type { Options } from 'k6/options';
import { callerFromEnv, constantRate, graphql, type Caller } from './simpul';

const FIXTURE_PATH = __ENV.FIXTURE || './fixtures/unified-citizen.json';
const MPP_OFFICE = __ENV.MPP_OFFICE || 'MPP Siak';
// Adults only: a minor's application is refused (CITIZEN_UNDER_AGE).
const niks = new SharedArray<string>('submit-application applicants', () => {
  const parsed = JSON.parse(open(FIXTURE_PATH)) as { applicants?: string[] };
  if (!parsed.applicants || parsed.applicants.length === 0) throw new Error(`${FIXTURE_PATH} has no applicants: regenerate it (node loadtests/dist/k6-fixtures.js)`);
  return parsed.applicants;
});

const SUBMIT = `mutation SubmitApplication($input: SubmitApplicationInput!) { submitApplication(input: $input) { id status } }`;

export const options: Options = constantRate('submit_application', { rate: 5, p99Ms: 2000 });

export function setup(): Caller {
  return callerFromEnv('legal-basis:PUBLIC_SERVICE_DELIVERY');
}

export default function submitApplication(caller: Caller): void {
  const applicantNik = niks[(__VU * 7919 + __ITER) % niks.length]!;
  const movingDate = new Date().toISOString().slice(0, 10);
  const input = {
    type: 'ADDRESS_CHANGE',
    applicantNik,
    mppOffice: MPP_OFFICE,
    inputs: [
      { name: 'newAddress', value: `Jl. Sultan Syarif Kasim No. ${(__ITER % 200) + 1}, Kab. Siak 28773` },
      { name: 'movingDate', value: movingDate },
    ],
  };
  graphql<{ submitApplication: { id: string; status: string } }>(caller, 'SubmitApplication', SUBMIT, { input }, (data) => typeof data.submitApplication.id === 'string');
}
