import { createPublicKey, verify } from 'node:crypto';
import type { KeyFile } from '../keys/key-store';

export class AccessTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

function decodeSegment(segment: string | undefined, what: string): Record<string, unknown> {
  if (!segment) throw new AccessTokenError(`malformed token (no ${what})`);
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new AccessTokenError(`malformed token (${what} is not a JSON object)`);
}

/**
 * Verifies an access token this IdP signed (RS256 with one of its published keys) and returns its
 * claims: the user-info endpoint's check. Resource servers verify with a JOSE library against the JWKS.
 */
export function verifyOwnAccessToken(token: string, keys: KeyFile, issuer: string, now = Date.now()): Record<string, unknown> {
  const [headerPart, payloadPart, signaturePart, ...rest] = token.split('.');
  if (rest.length || !signaturePart) throw new AccessTokenError('malformed token (not a compact JWS)');
  const header = decodeSegment(headerPart, 'header');
  if (header.alg !== 'RS256') throw new AccessTokenError('unexpected algorithm');
  const jwk = keys.signingKeys.find((key) => key.kid === header.kid);
  if (!jwk) throw new AccessTokenError('unknown signing key');
  const publicKey = createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  const valid = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), publicKey, Buffer.from(signaturePart, 'base64url'));
  if (!valid) throw new AccessTokenError('invalid signature');
  const claims = decodeSegment(payloadPart, 'payload');
  if (claims.iss !== issuer) throw new AccessTokenError('issued by another issuer');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) throw new AccessTokenError('token expired');
  return claims;
}
