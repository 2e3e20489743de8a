import { signWebhook, verifyWebhook } from './webhook-signature';

const secret = 'a-participant-secret-of-enough-length';
const body = '{"taskId":"x"}';
const at = new Date('2026-11-30T10:00:00Z');

describe('webhook signatures', () => {
  it('verifies what it signed', () => {
    expect(verifyWebhook(secret, body, signWebhook(secret, body, at), { now: at })).toEqual({ ok: true });
  });

  it('refuses another body, another secret, no header, a malformed header and an old timestamp', () => {
    const header = signWebhook(secret, body, at);
    expect(verifyWebhook(secret, body + ' ', header, { now: at })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhook(`${secret}x`, body, header, { now: at })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verifyWebhook(secret, body, undefined, { now: at })).toEqual({ ok: false, reason: 'MISSING_SIGNATURE' });
    expect(verifyWebhook(secret, body, 't=abc,v1=00', { now: at })).toEqual({ ok: false, reason: 'MALFORMED_SIGNATURE' });
    const later = new Date(at.getTime() + 301_000);
    expect(verifyWebhook(secret, body, header, { now: later })).toEqual({ ok: false, reason: 'STALE_TIMESTAMP' });
    expect(verifyWebhook(secret, body, header, { now: later, toleranceSeconds: 600 })).toEqual({ ok: true });
  });
});
