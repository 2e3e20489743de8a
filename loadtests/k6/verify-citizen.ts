/**
 * A partner bank verifying claims with `verifyCitizen` at a constant arrival rate: the answer says
 * whether each claim matches, never the registered data. Run as a bank's client (the demo realm's
 * `bank-bpd`), purpose `legal-basis:CONTRACT_PERFORMANCE` by default. Environment: see simpul.ts,
 * plus FIXTURE (default ./fixtures/unified-citizen.json, whose `citizens` carry the true claims:
 * false claims would run into the per-NIK limit of failed verifications).
 *
 *   k6 run -e OIDC_ISSUER_URL=http://127.0.0.1:4010/realms/simpul -e CLIENT_ID=bank-bpd -e CLIENT_SECRET=bank-bpd-demo-secret loadtests/k6/verify-citizen.ts
 */
import { SharedArray } from 'k6/data';
import type { Options } from 'k6/options';
import { callerFromEnv, constantRate, graphql, type Caller } from './simpul';

interface Claims {
  nik: string;
  fullName: string;
  birthDate: string;
}

const FIXTURE_PATH = __ENV.FIXTURE || './fixtures/unified-citizen.json';
const citizens = new SharedArray<Claims>('verify-citizen claims', () => {
  const parsed = JSON.parse(open(FIXTURE_PATH)) as { citizens?: Claims[] };
  if (!parsed.citizens || parsed.citizens.length === 0) throw new Error(`${FIXTURE_PATH} has no citizens: regenerate it (node loadtests/dist/k6-fixtures.js)`);
  return parsed.citizens;
});

const VERIFY = `query VerifyCitizen($nik: String!, $claims: CitizenClaimsInput!) {
  verifyCitizen(nik: $nik, claims: $claims) { registered fullNameMatches birthDateMatches } }`;

export const options: Options = constantRate('verify_citizen', { rate: 50, p99Ms: 1000 });

export function setup(): Caller {
  return callerFromEnv('legal-basis:CONTRACT_PERFORMANCE');
}

interface Verification {
  verifyCitizen: { registered: boolean; fullNameMatches: boolean | null; birthDateMatches: boolean | null };
}

export default function verifyCitizen(caller: Caller): void {
  const citizen = citizens[(__VU * 7919 + __ITER) % citizens.length]!;
  graphql<Verification>(caller, 'VerifyCitizen', VERIFY, { nik: citizen.nik, claims: { fullName: citizen.fullName, birthDate: citizen.birthDate } }, (data) => {
    const answer = data.verifyCitizen;
    return answer.registered && answer.fullNameMatches === true && answer.birthDateMatches === true;
  });
}
