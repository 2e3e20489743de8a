import { BadUserInputError, type AuditRecorder } from '@simpul/service-kit';
import { parseFamilyCardNumber, parseNik } from '@simpul/identifiers';
import type { DukcapilLoaders } from '../../loaders';
import type { CitizenRecord } from './citizen.repository';
import { reportReads, type AuditedField } from '../task/task-audit';
import { admitVerificationAnswer, type VerificationLedger } from '../verification/verification.service';
import { regencyClaimMatches } from './regency-claim';

export function requireValidNik(nik: string, argument = 'nik'): string {
  const parsed = parseNik(nik);
  if (!parsed.ok) throw new BadUserInputError(parsed.message, { argument, rule: parsed.rule });
  return parsed.value.nik;
}

export async function findCitizen(loaders: DukcapilLoaders, nik: string): Promise<CitizenRecord | null> {
  return loaders.citizenByNik.load(requireValidNik(nik));
}

export interface CitizenClaims {
  fullName?: string | null;
  birthDate?: string | null;
  birthPlace?: string | null;
  familyCardNumber?: string | null;
  /** Kabupaten/kota of the registered address: Kemendagri code or name (see regencyClaimMatches). */
  addressRegency?: string | null;
}

export interface CitizenVerification {
  registered: boolean;
  fullNameMatches: boolean | null;
  birthDateMatches: boolean | null;
  birthPlaceMatches: boolean | null;
  familyCardNumberMatches: boolean | null;
  addressRegencyMatches: boolean | null;
}

const normaliseName = (value: string) => value.normalize('NFKC').replace(/\s+/g, ' ').trim().toUpperCase();

/** The field of the registry each claim is compared with: what a check reads, as its audit record names it. */
const CLAIM_FIELDS = {
  fullName: 'Citizen.fullName',
  birthDate: 'Citizen.birthDate',
  birthPlace: 'Citizen.birthPlace',
  familyCardNumber: 'Citizen.familyCard',
  addressRegency: 'Citizen.address',
} as const satisfies Record<keyof CitizenClaims, AuditedField>;

/** Who asks, for the limits (their client id) and the audit record of what was compared. */
export interface VerificationCaller {
  clientId: string;
  audit: AuditRecorder | undefined;
}

/**
 * Yes/no per claim, as Dukcapil answers its partners: the registered values never leave. Each check
 * is audited as a READ of the fields compared, and a client's wrong answers are limited
 * (admitVerificationAnswer): a `false` per claim, or an unregistered NIK, counts as a failed check.
 */
export async function verifyCitizen(
  loaders: DukcapilLoaders,
  ledger: VerificationLedger,
  caller: VerificationCaller,
  nik: string,
  claims: CitizenClaims,
): Promise<CitizenVerification> {
  if (claims.birthDate != null && !/^\d{4}-\d{2}-\d{2}$/.test(claims.birthDate)) {
    throw new BadUserInputError('claims.birthDate must be an ISO date (YYYY-MM-DD)', { argument: 'claims.birthDate', rule: 'ISO_DATE' });
  }
  if (claims.familyCardNumber != null) {
    const kk = parseFamilyCardNumber(claims.familyCardNumber);
    if (!kk.ok) throw new BadUserInputError(kk.message, { argument: 'claims.familyCardNumber', rule: kk.rule });
  }
  if (claims.addressRegency != null && claims.addressRegency.trim() === '') {
    throw new BadUserInputError('claims.addressRegency must name a regency (code or name)', { argument: 'claims.addressRegency', rule: 'REQUIRED' });
  }
  const validNik = requireValidNik(nik);
  const citizen = await findCitizen(loaders, validNik);
  const compare = <T>(claim: T | null | undefined, matches: (c: CitizenRecord, claim: T) => boolean) =>
    citizen && claim != null ? matches(citizen, claim) : null;
  const answer: CitizenVerification = {
    registered: citizen !== null,
    fullNameMatches: compare(claims.fullName, (c, v) => normaliseName(c.fullName) === normaliseName(v)),
    birthDateMatches: compare(claims.birthDate, (c, v) => c.birthDate === v),
    birthPlaceMatches: compare(claims.birthPlace, (c, v) => normaliseName(c.birthPlace) === normaliseName(v)),
    familyCardNumberMatches: compare(claims.familyCardNumber, (c, v) => c.familyCardNumber === v),
    addressRegencyMatches: compare(claims.addressRegency, (c, v) => regencyClaimMatches(c.familyCard, v)),
  };
  const { fullNameMatches, birthDateMatches, birthPlaceMatches, familyCardNumberMatches, addressRegencyMatches } = answer;
  const wrongClaims = [fullNameMatches, birthDateMatches, birthPlaceMatches, familyCardNumberMatches, addressRegencyMatches].filter((m) => m === false).length;
  await admitVerificationAnswer(ledger, { clientId: caller.clientId, nik: validNik, failedClaims: wrongClaims + (citizen ? 0 : 1) });
  // Only an answered check is recorded: a refused one tells the caller nothing of the citizen.
  if (citizen && caller.audit) {
    const compared = (Object.keys(CLAIM_FIELDS) as (keyof CitizenClaims)[]).filter((claim) => claims[claim] != null).map((claim) => CLAIM_FIELDS[claim]);
    reportReads(caller.audit, citizen.nik, ['Citizen.nik', ...compared]);
  }
  return answer;
}

/** Why `citizen` (looked up as `who`) cannot be served, or undefined when registered and alive. */
export function notRegisteredAlive(citizen: CitizenRecord | undefined, who: string): string | undefined {
  if (!citizen) return `Dukcapil has no citizen registered under ${who}'s NIK. Check the NIK against the e-KTP or KK; a resident not yet registered must register at Dukcapil first.`;
  if (citizen.diedOn) return `Dukcapil records ${who} (${citizen.fullName}) as deceased since ${citizen.diedOn}.`;
  return undefined;
}
