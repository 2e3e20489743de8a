import { MIN_WEBHOOK_SECRET_LENGTH } from '@simpul/events';
import { EnvError, emptyAsUndefined } from '@simpul/service-kit';
import { z } from 'zod';
import type { ServiceCatalogue } from '../catalogue/service-catalogue';

/** A participant connected over signed HTTP webhooks (docs/participants.md, option 2). */
export interface WebhookParticipant {
  /** Its code in the service catalogue, e.g. `bank-bpd`. */
  code: string;
  /** Where its tasks are POSTed. */
  url: string;
  /** Signs the tasks Simpul sends and verifies the status reports it sends back. */
  secret: string;
}

/** How tasks are delivered; every participant gets the same treatment. */
export interface WebhookDelivery {
  /** Attempts of a task before it goes to `mpp.task.assigned.<participant>.v1.dlq`. */
  maxAttempts: number;
  /** Wait between attempts: from `initialMs`, doubling, at most `maxMs`. */
  backoff: { initialMs: number; maxMs: number };
  /** How long the participant has to answer one POST (docs/participants.md promises 10 s). */
  timeoutMs: number;
}

export interface WebhookConfig {
  /** By participant code; participants not listed here receive their tasks as events only. */
  participants: ReadonlyMap<string, WebhookParticipant>;
  delivery: WebhookDelivery;
}

export const DEFAULT_WEBHOOK_DELIVERY: WebhookDelivery = {
  // 1 + 2 + 4 + … capped at 60 s: about four minutes of retries before the DLQ.
  maxAttempts: 10,
  backoff: { initialMs: 1000, maxMs: 60_000 },
  timeoutMs: 10_000,
};

const PREFIX = 'WEBHOOK_';
const PARTICIPANT_VARIABLE = /^WEBHOOK_(URL|SECRET)_([A-Z0-9_]+)$/;

/** The tuning variables; every other `WEBHOOK_*` variable must name a participant. */
const deliveryShape = {
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(DEFAULT_WEBHOOK_DELIVERY.maxAttempts),
  WEBHOOK_BACKOFF_INITIAL_MS: z.coerce.number().int().min(1).max(600_000).default(DEFAULT_WEBHOOK_DELIVERY.backoff.initialMs),
  WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(3_600_000).default(DEFAULT_WEBHOOK_DELIVERY.backoff.maxMs),
};
const deliverySchema = z
  .object(deliveryShape)
  .refine((env) => env.WEBHOOK_BACKOFF_MAX_MS >= env.WEBHOOK_BACKOFF_INITIAL_MS, {
    message: 'must be at least WEBHOOK_BACKOFF_INITIAL_MS',
    path: ['WEBHOOK_BACKOFF_MAX_MS'],
  });

/** `bank-bpd` → `BANK_BPD`: the suffix of the participant's WEBHOOK_URL_… and WEBHOOK_SECRET_… variables. */
export function webhookVariableSuffix(participantCode: string): string {
  return participantCode.toUpperCase().replaceAll('-', '_');
}

export function webhookVariables(participantCode: string): { url: string; secret: string } {
  const suffix = webhookVariableSuffix(participantCode);
  return { url: `WEBHOOK_URL_${suffix}`, secret: `WEBHOOK_SECRET_${suffix}` };
}

/**
 * The webhook participants and delivery settings from the environment. `WEBHOOK_URL_<P>` makes the
 * catalogue participant `P` (upper snake case) a webhook participant, and then `WEBHOOK_SECRET_<P>`
 * is required. Throws EnvError listing every bad variable: a bad or (in production) plain-http URL,
 * a missing or short secret, a secret without a URL, a `WEBHOOK_*` variable naming no catalogue
 * participant (a typo would otherwise leave a participant silently without its tasks).
 * Empty values count as unset.
 */
export function loadWebhookConfig(source: NodeJS.ProcessEnv, catalogue: ServiceCatalogue): WebhookConfig {
  const problems: string[] = [];
  const value = (name: string) => emptyAsUndefined(source[name]) as string | undefined;

  const delivery = deliverySchema.safeParse(Object.fromEntries(Object.keys(deliveryShape).map((name) => [name, value(name)])));
  if (!delivery.success) problems.push(...delivery.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));

  const codeBySuffix = new Map([...catalogue.participants.keys()].map((code) => [webhookVariableSuffix(code), code]));
  const configured = new Set<string>();
  for (const name of Object.keys(source).sort()) {
    if (!name.startsWith(PREFIX) || name in deliveryShape || value(name) === undefined) continue;
    const match = PARTICIPANT_VARIABLE.exec(name);
    if (!match) {
      problems.push(`${name}: unknown variable; expected WEBHOOK_URL_<PARTICIPANT>, WEBHOOK_SECRET_<PARTICIPANT> or ${Object.keys(deliveryShape).join(', ')}`);
      continue;
    }
    const code = codeBySuffix.get(match[2]!);
    if (code === undefined) {
      problems.push(`${name}: the service catalogue has no participant ${match[2]} (it lists ${[...codeBySuffix.keys()].join(', ')})`);
      continue;
    }
    configured.add(code);
  }

  const production = source.NODE_ENV === 'production';
  const participants = new Map<string, WebhookParticipant>();
  for (const code of [...catalogue.participants.keys()].filter((c) => configured.has(c))) {
    const names = webhookVariables(code);
    const url = value(names.url);
    const secret = value(names.secret);
    if (url === undefined) {
      problems.push(`${names.secret}: set without ${names.url} (where ${code}'s tasks are sent)`);
      continue;
    }
    const urlProblem = problemOfUrl(url, production);
    if (urlProblem) problems.push(`${names.url}: ${urlProblem}`);
    const secretProblem = problemOfSecret(secret, names.url);
    if (secretProblem) problems.push(`${names.secret}: ${secretProblem}`);
    if (!urlProblem && !secretProblem) participants.set(code, { code, url, secret: secret! });
  }

  if (problems.length > 0 || !delivery.success) throw new EnvError(problems);
  return {
    participants,
    delivery: {
      maxAttempts: delivery.data.WEBHOOK_MAX_ATTEMPTS,
      backoff: { initialMs: delivery.data.WEBHOOK_BACKOFF_INITIAL_MS, maxMs: delivery.data.WEBHOOK_BACKOFF_MAX_MS },
      timeoutMs: DEFAULT_WEBHOOK_DELIVERY.timeoutMs,
    },
  };
}

function problemOfUrl(url: string, production: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http(s) URL';
  // Tasks may carry NIKs: signed is not enough, they must also be encrypted on the way.
  if (production && parsed.protocol !== 'https:') return 'must be https in production';
  if (parsed.username || parsed.password) return 'must not carry credentials (the signature authenticates Simpul)';
  return undefined;
}

function problemOfSecret(secret: string | undefined, urlVariable: string): string | undefined {
  if (secret === undefined) return `required when ${urlVariable} is set (a shared secret of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters)`;
  if (secret.length < MIN_WEBHOOK_SECRET_LENGTH) return `must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters`;
  // A pasted newline or space makes every signature fail on one side only: refuse it here.
  if (secret !== secret.trim()) return 'must not begin or end with whitespace';
  return undefined;
}
