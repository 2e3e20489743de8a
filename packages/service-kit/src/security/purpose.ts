/**
 * Why personal data is processed. Every request that touches personal data declares one (the client
 * sends `x-simpul-purpose`, the gateway forwards it in the signed internal context); a subgraph
 * refuses personal-data fields without it (FORBIDDEN, rule PURPOSE_REQUIRED). Two forms:
 *
 * - `application:<uuid>` — the MPP application being served (its id in the applications service);
 * - `legal-basis:<CODE>` — one of LEGAL_BASES below, when no application is involved.
 */
export const PURPOSE_HEADER = 'x-simpul-purpose';

/**
 * The listed legal bases, after UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi (UU PDP).
 * Pasal 20 ayat (2) names the lawful grounds for processing (huruf a–f); the last three codes are
 * the situations of this platform those grounds are most often invoked for, named so that an audit
 * record says more than "public task". A deployment that needs another basis adds it here (and to
 * its documentation): the list is closed on purpose, so a typo is refused rather than recorded.
 */
export const LEGAL_BASES = {
  /** Pasal 20 ayat (2) huruf a: the data subject's explicit, valid consent for this purpose. */
  EXPLICIT_CONSENT: 'Explicit consent of the data subject (UU PDP Pasal 20 ayat (2) huruf a)',
  /** Huruf b: performing a contract with the data subject, e.g. a bank opening the citizen's account. */
  CONTRACT_PERFORMANCE: 'Performance of a contract with the data subject, or steps at their request before one (Pasal 20 ayat (2) huruf b)',
  /** Huruf c: a legal obligation of the controller, e.g. reporting the law requires. */
  LEGAL_OBLIGATION: "Fulfilment of the controller's legal obligation (Pasal 20 ayat (2) huruf c)",
  /** Huruf d: protecting the data subject's vital interests (an emergency). */
  VITAL_INTEREST: "Protection of the data subject's vital interests (Pasal 20 ayat (2) huruf d)",
  /** Huruf e: a public service or the exercise of a public authority given by law: the MPP counter's work. */
  PUBLIC_SERVICE_DELIVERY: 'Public interest, public service or the exercise of authority under the law (Pasal 20 ayat (2) huruf e)',
  /** Huruf f: another legitimate interest, weighed against the data subject's rights. */
  LEGITIMATE_INTEREST: 'Legitimate interest, balanced against the rights of the data subject (Pasal 20 ayat (2) huruf f)',
  /**
   * The data subject asking for their own data, e.g. in a citizen portal: their right of access and
   * copy (Pasal 7), which the controller must answer with the data and its processing trail (Pasal 32).
   */
  CITIZEN_OWN_DATA_REQUEST: "The data subject's request for access to their own personal data and its processing trail (UU PDP Pasal 7, Pasal 32)",
  /**
   * Checking how personal data was processed: internal audit, inspectorate, the PDP supervisory
   * institution, reading the record of processing the controller must keep (Pasal 31).
   */
  AUDIT_OVERSIGHT: 'Oversight of the processing itself, from the record of processing: audit, inspectorate or the supervisory institution (UU PDP Pasal 31)',
  /**
   * Law enforcement. Its ground is a legal obligation or authority (Pasal 20 ayat (2) huruf c or e);
   * Pasal 15 ayat (1) huruf b then exempts some data subjects' rights (not the right of access of
   * Pasal 7). Named apart so such processing stands out in the audit log.
   */
  LAW_ENFORCEMENT: 'Law enforcement proceedings under a legal obligation or authority (UU PDP Pasal 20 ayat (2) huruf c/e; rights limited by Pasal 15 ayat (1) huruf b)',
} as const;

export type LegalBasisCode = keyof typeof LEGAL_BASES;

/**
 * Who may invoke each legal basis, as `@access` role entries (access-rules.ts): a caller needs one
 * of them, on top of the field's own `@access`. Refused: FORBIDDEN, rule PURPOSE_NOT_ALLOWED_FOR_ROLE.
 * `self` is a citizen, and then only for data whose every subject is their own NIK. The same table
 * is in docs/security.md ("Purpose binding").
 */
export const LEGAL_BASIS_ROLES: Readonly<Record<LegalBasisCode, readonly string[]>> = {
  // Consent is collected where the citizen is served: at the counter, by the agency or the participant.
  EXPLICIT_CONSENT: ['officer', 'supervisor', 'agency:*', 'participant:*'],
  // A contract with the citizen: a bank's account, PLN's connection.
  CONTRACT_PERFORMANCE: ['participant:*'],
  LEGAL_OBLIGATION: ['officer', 'supervisor', 'agency:*', 'participant:*'],
  VITAL_INTEREST: ['officer', 'supervisor', 'agency:*'],
  // The platform's own work: every role of the contract serves the public; the field's @access decides what it sees.
  PUBLIC_SERVICE_DELIVERY: ['officer', 'supervisor', 'auditor', 'admin', 'citizen', 'integrator', 'agency:*', 'participant:*'],
  LEGITIMATE_INTEREST: ['participant:*'],
  CITIZEN_OWN_DATA_REQUEST: ['self'],
  AUDIT_OVERSIGHT: ['auditor', 'supervisor'],
  LAW_ENFORCEMENT: ['agency:police', 'participant:police'],
};

/**
 * An `application:<uuid>` purpose binds a request only to the application's citizens, for a caller
 * with a part in it (officer or supervisor, a participant with a task in it, the applicant), while
 * it is open or closed at most this many days (the gateway's PURPOSE_CLOSED_APPLICATION_DAYS default).
 */
export const DEFAULT_CLOSED_APPLICATION_PURPOSE_DAYS = 30;

export type Purpose =
  | { kind: 'application'; applicationId: string; value: string }
  | { kind: 'legal-basis'; code: LegalBasisCode; value: string };

export type PurposeParseResult =
  | { ok: true; purpose: Purpose }
  /** `rule`: PURPOSE_FORMAT, PURPOSE_APPLICATION_ID or PURPOSE_LEGAL_BASIS. */
  | { ok: false; rule: string; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_LENGTH = 128;

export function isLegalBasisCode(code: string): code is LegalBasisCode {
  return Object.prototype.hasOwnProperty.call(LEGAL_BASES, code);
}

/** `application:<uuid>` (the id lower-cased) or `legal-basis:<CODE>` (a code of LEGAL_BASES), nothing else. */
export function parsePurpose(raw: string): PurposeParseResult {
  const value = raw.trim();
  const expected = `Expected ${PURPOSE_HEADER} as application:<uuid> or legal-basis:<CODE> (${Object.keys(LEGAL_BASES).join(', ')})`;
  if (value.length === 0 || value.length > MAX_LENGTH) return { ok: false, rule: 'PURPOSE_FORMAT', message: expected };
  const separator = value.indexOf(':');
  const kind = separator < 0 ? value : value.slice(0, separator);
  const rest = separator < 0 ? '' : value.slice(separator + 1);
  if (kind === 'application') {
    if (!UUID.test(rest)) {
      return { ok: false, rule: 'PURPOSE_APPLICATION_ID', message: `The purpose's application id must be a UUID: ${JSON.stringify(rest)}` };
    }
    const applicationId = rest.toLowerCase();
    return { ok: true, purpose: { kind: 'application', applicationId, value: `application:${applicationId}` } };
  }
  if (kind === 'legal-basis') {
    if (!isLegalBasisCode(rest)) {
      return {
        ok: false,
        rule: 'PURPOSE_LEGAL_BASIS',
        message: `Unknown legal basis ${JSON.stringify(rest)}: one of ${Object.keys(LEGAL_BASES).join(', ')}`,
      };
    }
    return { ok: true, purpose: { kind: 'legal-basis', code: rest, value: `legal-basis:${rest}` } };
  }
  return { ok: false, rule: 'PURPOSE_FORMAT', message: expected };
}

/**
 * The caller the gateway signs its own purpose look-ups with (`GET /purposes/applications/<id>` on
 * the applications service): no roles, so it can read nothing of the graph; the route serves only it.
 */
export const PURPOSE_LOOKUP_CALLER = { subject: 'simpul-gateway', client: 'simpul-gateway', actorType: 'client', roles: [] } as const;

/** What the applications service says about an application for binding a purpose to it. */
export interface ApplicationPurposeFacts {
  id: string;
  status: string;
  /** When its last task was decided (ISO 8601), null while some task is open. */
  closedAt: string | null;
  mppOffice: string;
  /**
   * The citizens it is about, by NIK, as its catalogue type defines them: the applicant, every NIK
   * input (spouses, mother and father…) and every whole NIK its tasks reported issuing.
   */
  parties: string[];
  /** The participant codes with a task in it (`dukcapil`, `bank-bpd`…). */
  participants: string[];
}

/** Who is asking, as the purpose binding needs it (a gateway principal or an InternalCaller). */
export interface PurposeClaimant {
  actorType: 'user' | 'client';
  roles: readonly string[];
  nik?: string;
  /** An officer's MPP office (the token's `mpp_office`). */
  mppOffice?: string;
}

/** Office names compared as people write them: case and spacing aside. */
const sameOffice = (a: string, b: string) => a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

export type ApplicationPurposeBinding = { applicable: true; parties: string[] } | { applicable: false; reason: string };

/**
 * Whether `application:<id>` is a purpose `claimant` may declare, from the application's `facts`
 * (undefined: no such application): open, or closed at most `closedDays` ago; and the claimant has
 * a part in it: a supervisor, an officer of the MPP office that handles it (the token's
 * `mpp_office`; an officer without one has no office), a participant or agency with a task in it,
 * or a citizen who is one of its parties. Applicable: the parties whose data it covers.
 */
export function bindApplicationPurpose(
  facts: ApplicationPurposeFacts | undefined,
  claimant: PurposeClaimant,
  options: { closedDays: number; now: Date },
): ApplicationPurposeBinding {
  if (!facts) return { applicable: false, reason: 'no such application' };
  if (facts.closedAt !== null && options.now.getTime() - Date.parse(facts.closedAt) > options.closedDays * 86_400_000) {
    return { applicable: false, reason: `closed more than ${options.closedDays} days ago` };
  }
  const roles = claimant.roles;
  const user = claimant.actorType === 'user';
  const officerHere = roles.includes('officer') && claimant.mppOffice !== undefined && sameOffice(claimant.mppOffice, facts.mppOffice);
  const staff = user && (roles.includes('supervisor') || officerHere);
  const taskHolder = facts.participants.some((code) => roles.includes(`participant:${code}`) || roles.includes(`agency:${code}`));
  const party = user && roles.includes('citizen') && claimant.nik !== undefined && facts.parties.includes(claimant.nik);
  if (!staff && !taskHolder && !party) return { applicable: false, reason: 'the caller has no part in it' };
  return { applicable: true, parties: [...facts.parties] };
}
