import { isListedRegency, parseFreeText } from '@simpul/identifiers';
import { BadUserInputError, DomainError } from '@simpul/service-kit';
import type { ParticipantContact } from '../../db/schema';

export const PARTICIPANT_KINDS = ['AGENCY', 'BUMN', 'BANK', 'INTEGRATOR'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

export const PARTICIPANT_STATUSES = ['REGISTERED', 'SANDBOX', 'ACTIVE', 'SUSPENDED', 'RETIRED'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

export type ConnectionKind = 'EVENTS' | 'WEBHOOK';

/**
 * Where a participant may go from each status. REGISTERED: known, with credentials; SANDBOX:
 * rehearsing on test applications; ACTIVE: live; SUSPENDED: stopped at once (its client disabled),
 * may be reinstated; RETIRED: gone for good (its client disabled, its code never reused).
 */
export const LIFECYCLE: Readonly<Record<ParticipantStatus, readonly ParticipantStatus[]>> = {
  REGISTERED: ['SANDBOX', 'RETIRED'],
  SANDBOX: ['ACTIVE', 'SUSPENDED', 'RETIRED'],
  ACTIVE: ['SUSPENDED', 'RETIRED'],
  SUSPENDED: ['ACTIVE', 'SANDBOX', 'RETIRED'],
  RETIRED: [],
};

/** Statuses in which the participant's client may get tokens. */
export function clientEnabledIn(status: ParticipantStatus): boolean {
  return status !== 'SUSPENDED' && status !== 'RETIRED';
}

/** Refuses a move the lifecycle does not allow (CONFLICT, rule ILLEGAL_TRANSITION), naming the allowed ones. */
export function checkTransition(code: string, from: ParticipantStatus, to: ParticipantStatus): void {
  if (LIFECYCLE[from].includes(to)) return;
  const allowed = LIFECYCLE[from];
  throw new DomainError(
    'CONFLICT',
    `Participant ${code} is ${from}: it cannot become ${to}${allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ' (a retired participant stays retired)'}`,
    { rule: 'ILLEGAL_TRANSITION', from, to, allowed: [...allowed] },
  );
}

const CODE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{5,19}$/;

export interface RegistrationInput {
  code: string;
  name: string;
  kind: ParticipantKind;
  regionsServed: string[];
  contacts: ParticipantContact[];
  connection: { kind: ConnectionKind; webhookUrl?: string | null };
}

export interface Registration extends RegistrationInput {
  /** The client at the identity provider, and the realm roles its service account gets. */
  clientId: string;
  roles: string[];
  webhookUrl: string | null;
}

/** A participant's code: lower-kebab, 2–40 characters (it becomes a role, a client id and a topic name). */
export function parseParticipantCode(raw: string, argument = 'code'): string {
  const code = raw.trim();
  if (code.length < 2 || code.length > 40 || !CODE.test(code)) {
    throw new BadUserInputError('A participant code is 2–40 lowercase letters, digits and single hyphens, starting with a letter (e.g. bank-riau-kepri)', { argument, rule: 'PARTICIPANT_CODE_FORMAT' });
  }
  return code;
}

/** Where tasks are posted: an absolute http(s) URL without credentials in it. */
export function parseWebhookUrl(raw: string, argument = 'connection.webhookUrl'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BadUserInputError('The webhook URL is not an absolute URL', { argument, rule: 'WEBHOOK_URL_FORMAT' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new BadUserInputError(`The webhook URL must be http(s), not ${url.protocol.replace(/:$/, '')}`, { argument, rule: 'WEBHOOK_URL_SCHEME' });
  }
  if (url.username || url.password) {
    throw new BadUserInputError('The webhook URL must not carry credentials: Simpul signs its calls instead', { argument, rule: 'WEBHOOK_URL_CREDENTIALS' });
  }
  return url.toString();
}

function text(raw: string, argument: string, maxLength: number | 'NAME' | 'LINE'): string {
  const parsed = parseFreeText(raw, { maxLength });
  if (!parsed.ok) throw new BadUserInputError(`${argument} ${parsed.message}`, { argument, rule: parsed.rule });
  return parsed.value;
}

/** The client and the realm roles of a participant: its role names it in every subgraph's `@access`. */
export function credentialsOf(code: string, kind: ParticipantKind): { clientId: string; roles: string[] } {
  switch (kind) {
    case 'AGENCY':
      return { clientId: `agency-${code}`, roles: [`agency:${code}`, `participant:${code}`] };
    case 'INTEGRATOR':
      return { clientId: `integrator-${code}`, roles: ['integrator'] };
    default:
      return { clientId: `participant-${code}`, roles: [`participant:${code}`] };
  }
}

/** Every field of a registration checked, the first problem refused with its rule; nothing is stored before. */
export function parseRegistration(input: RegistrationInput): Registration {
  const code = parseParticipantCode(input.code);
  const name = text(input.name, 'name', 'NAME');
  if (!PARTICIPANT_KINDS.includes(input.kind)) throw new BadUserInputError(`Unknown kind ${input.kind}`, { argument: 'kind', rule: 'PARTICIPANT_KIND' });
  if (input.regionsServed.length === 0) {
    throw new BadUserInputError('Name at least one regency it serves (Kemendagri code, e.g. 1405 for Siak)', { argument: 'regionsServed', rule: 'REGIONS_REQUIRED' });
  }
  const regionsServed = [...new Set(input.regionsServed.map((region) => region.trim()))];
  for (const region of regionsServed) {
    if (!/^\d{4}$/.test(region) || !isListedRegency(region)) {
      throw new BadUserInputError(`${region} is not a Kemendagri regency code`, { argument: 'regionsServed', rule: 'REGION_UNKNOWN', region });
    }
  }
  if (input.contacts.length === 0) throw new BadUserInputError('Name at least one contact', { argument: 'contacts', rule: 'CONTACT_REQUIRED' });
  const contacts = input.contacts.map((contact, index) => {
    const at = `contacts[${index}]`;
    const email = contact.email.trim();
    if (!EMAIL.test(email) || email.length > 254) throw new BadUserInputError(`${at}.email is not an e-mail address`, { argument: `${at}.email`, rule: 'CONTACT_EMAIL' });
    const phone = contact.phone?.trim();
    if (phone && !PHONE.test(phone)) throw new BadUserInputError(`${at}.phone is not a phone number`, { argument: `${at}.phone`, rule: 'CONTACT_PHONE' });
    return { name: text(contact.name, `${at}.name`, 'NAME'), email, ...(phone ? { phone } : {}), role: text(contact.role, `${at}.role`, 60) };
  });
  const { kind: connectionKind, webhookUrl: rawUrl } = input.connection;
  let webhookUrl: string | null = null;
  if (connectionKind === 'WEBHOOK') {
    if (!rawUrl) throw new BadUserInputError('A webhook connection needs its URL', { argument: 'connection.webhookUrl', rule: 'WEBHOOK_URL_REQUIRED' });
    webhookUrl = parseWebhookUrl(rawUrl);
  } else if (rawUrl) {
    throw new BadUserInputError('An events connection has no webhook URL', { argument: 'connection.webhookUrl', rule: 'WEBHOOK_URL_UNEXPECTED' });
  }
  return { code, name, kind: input.kind, regionsServed, contacts, connection: { kind: connectionKind, webhookUrl }, webhookUrl, ...credentialsOf(code, input.kind) };
}
