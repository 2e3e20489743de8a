import { createPrivateKey, sign } from 'node:crypto';
import { generateSigningKey, type KeyFile } from '../keys/key-store';
import { AccessTokenError, verifyOwnAccessToken } from './access-token-verifier';

const ISSUER = 'http://127.0.0.1:4010/realms/simpul';
const key = generateSigningKey();
const other = generateSigningKey();
const keys: KeyFile = { signingKeys: [key], cookieKeys: ['x'.repeat(43)] };

function jwt(claims: Record<string, unknown>, signer = key, header: Record<string, unknown> = {}): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${encode(claims)}`;
  const privateKey = createPrivateKey({ key: signer, format: 'jwk' });
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

const valid = { iss: ISSUER, sub: 'u1', exp: Math.floor(Date.now() / 1000) + 60, scope: 'openid' };

describe('verifyOwnAccessToken', () => {
  it('returns the claims of a token signed with a published key', () => {
    expect(verifyOwnAccessToken(jwt(valid), keys, ISSUER)).toMatchObject({ sub: 'u1' });
  });

  it.each([
    ['signed by another key under our kid', () => jwt(valid, other), /invalid signature/],
    ['with an unknown kid', () => jwt(valid, key, { kid: 'nope' }), /unknown signing key/],
    ['with alg none', () => `${Buffer.from(JSON.stringify({ alg: 'none', kid: key.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(valid)).toString('base64url')}.`, /malformed|algorithm/],
    ['of another issuer', () => jwt({ ...valid, iss: 'https://elsewhere/realms/simpul' }), /another issuer/],
    ['that expired', () => jwt({ ...valid, exp: Math.floor(Date.now() / 1000) - 1 }), /expired/],
    ['with a tampered payload', () => {
      const [header, , signature] = jwt(valid).split('.');
      return `${header}.${Buffer.from(JSON.stringify({ ...valid, sub: 'admin' })).toString('base64url')}.${signature}`;
    }, /invalid signature/],
    ['that is not a JWS', () => 'abc', /malformed/],
  ])('refuses a token %s', (_what, make, message) => {
    expect(() => verifyOwnAccessToken(make(), keys, ISSUER)).toThrow(AccessTokenError);
    expect(() => verifyOwnAccessToken(make(), keys, ISSUER)).toThrow(message);
  });
});
