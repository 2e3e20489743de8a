import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed HTTP webhooks between Simpul and a participant, both ways (tasks to the participant, status
 * back to Simpul). The sender signs `<unix seconds>.<raw body>` with HMAC-SHA256 and the secret
 * both sides share, like Stripe's and GitHub's webhooks:
 *
 *   x-simpul-signature: t=1764500000,v1=5257a869e7…
 *
 * The receiver recomputes it over the raw body, compares in constant time and refuses a timestamp
 * more than `toleranceSeconds` away from its clock (a replayed old request).
 */
export const WEBHOOK_HEADERS = {
  signature: 'x-simpul-signature',
  /** The participant a status callback comes from (its secret verifies the signature). */
  participant: 'x-simpul-participant',
  eventId: 'x-simpul-event-id',
} as const;

export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;
/** Secrets shorter than this are refused: an HMAC is only as strong as its key. */
export const MIN_WEBHOOK_SECRET_LENGTH = 24;

export function signWebhook(secret: string, body: string, now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type WebhookVerification = { ok: true } | { ok: false; reason: 'MISSING_SIGNATURE' | 'MALFORMED_SIGNATURE' | 'STALE_TIMESTAMP' | 'BAD_SIGNATURE' };

export function verifyWebhook(
  secret: string,
  body: string,
  header: string | undefined,
  options: { now?: Date; toleranceSeconds?: number } = {},
): WebhookVerification {
  if (!header) return { ok: false, reason: 'MISSING_SIGNATURE' };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'MALFORMED_SIGNATURE' };
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS)) return { ok: false, reason: 'STALE_TIMESTAMP' };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? { ok: true } : { ok: false, reason: 'BAD_SIGNATURE' };
}

function hmac(secret: string, t: number, body: string): string {
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}
