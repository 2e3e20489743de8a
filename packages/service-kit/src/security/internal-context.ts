import type { CryptoKey, JWK } from 'jose';
import { parsePurpose } from './purpose';

/**
 * The gateway → subgraph internal context (security contract): a compact JWS, EdDSA over Ed25519,
 * that the gateway signs for every subgraph fetch with INTERNAL_CONTEXT_PRIVATE_KEY and every
 * subgraph verifies with INTERNAL_CONTEXT_PUBLIC_KEY. It says who is calling (actor, client, roles,
 * the citizen's NIK for citizen users), why (purpose) and which request (correlation id), for one
 * minute. A subgraph with the public key configured serves nobody without one.
 */
export const INTERNAL_CONTEXT_HEADER = 'x-simpul-context';
export const INTERNAL_CONTEXT_ISSUER = 'simpul-gateway';
export const INTERNAL_CONTEXT_AUDIENCE = 'simpul-subgraph';
export const INTERNAL_CONTEXT_ALGORITHM = 'EdDSA';
/** exp − iat of every context the gateway signs; a verifier refuses longer-lived ones. */
export const INTERNAL_CONTEXT_LIFETIME_SECONDS = 60;
/** Clock skew a verifier accepts between gateway and subgraph hosts (both run NTP). */
export const INTERNAL_CONTEXT_CLOCK_TOLERANCE_SECONDS = 5;

/** The verified caller of a subgraph request: `context.caller`. */
export interface InternalCaller {
  /** `sub`: the user's or the client's service-account id at the identity provider. */
  subject: string;
  /** `azp`: the client the caller came through (mpp-console, agency-tax, bank-bpd…). */
  client: string;
  actorType: 'user' | 'client';
  roles: readonly string[];
  /** `application:<uuid>` or `legal-basis:<CODE>` (see purpose.ts); absent when the request declared none. */
  purpose?: string;
  /** `cid`: the gateway request's correlation id. */
  correlationId: string;
  /** Citizen users only: their own NIK (the `self` access rule compares it). */
  nik?: string;
  /**
   * `application:<uuid>` purposes only: the NIKs of the citizens the application is about, as the
   * gateway looked it up for this caller (purpose binding, gateway/src/subgraphs/application-purpose.ts);
   * empty when the application does not bind this caller (absent, closed too long, not theirs).
   * A subgraph serves personal data under such a purpose only about these citizens.
   */
  purposeParties?: readonly string[];
}

/** An Ed25519 key as a JWK (RFC 8037): public `{kty, crv, x}`, private with `d` as well. */
export interface Ed25519Jwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  d?: string;
  kid?: string;
}

/** A JWK object, or its JSON text as the environment holds it. */
export type InternalContextKey = Ed25519Jwk | string;

export type InternalContextProblem = 'MISSING' | 'MALFORMED' | 'SIGNATURE' | 'EXPIRED' | 'CLAIMS';

export class InternalContextError extends Error {
  constructor(
    readonly problem: InternalContextProblem,
    message: string,
  ) {
    super(message);
    this.name = 'InternalContextError';
  }
}

export class InternalContextKeyError extends Error {
  override name = 'InternalContextKeyError';
}

// jose is ESM-only. Node 24 requires it from CommonJS fine, but jest without
// --experimental-vm-modules cannot, and every package's tests import service-kit: load it only when
// a key is configured and something is signed or verified.
type Jose = typeof import('jose');
let jose: Promise<Jose> | undefined;
const loadJose = (): Promise<Jose> => (jose ??= import('jose'));

const BASE64URL_32_BYTES = /^[A-Za-z0-9_-]{43}$/;
const NIK = /^\d{16}$/;
const CORRELATION_ID = /^[\w.:-]{1,128}$/;
const MAX_ROLES = 64;
const MAX_PURPOSE_PARTIES = 64;

/**
 * An Ed25519 JWK from the environment's JSON (or an object), checked for the `kind` asked: a
 * subgraph given the private key, or the gateway given the public one, is a configuration error.
 */
export function parseInternalContextKey(key: InternalContextKey, kind: 'public' | 'private'): Ed25519Jwk {
  let value: unknown = key;
  if (typeof key === 'string') {
    try {
      value = JSON.parse(key);
    } catch {
      throw new InternalContextKeyError(`the internal context ${kind} key is not JSON: expected an Ed25519 JWK ({"kty":"OKP","crv":"Ed25519",…})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InternalContextKeyError(`the internal context ${kind} key must be a JWK object`);
  }
  const jwk = value as Record<string, unknown>;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') {
    throw new InternalContextKeyError(`the internal context ${kind} key must be an Ed25519 JWK (kty OKP, crv Ed25519)`);
  }
  if (typeof jwk.x !== 'string' || !BASE64URL_32_BYTES.test(jwk.x)) {
    throw new InternalContextKeyError(`the internal context ${kind} key has no valid "x" (32 bytes, base64url)`);
  }
  const kid = typeof jwk.kid === 'string' && jwk.kid.length > 0 ? { kid: jwk.kid } : {};
  if (kind === 'public') {
    if ('d' in jwk) {
      throw new InternalContextKeyError('the internal context public key holds a private key ("d"): give subgraphs the public JWK only');
    }
    return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, ...kid };
  }
  if (typeof jwk.d !== 'string' || !BASE64URL_32_BYTES.test(jwk.d)) {
    throw new InternalContextKeyError('the internal context private key has no valid "d": the gateway needs the private JWK');
  }
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, ...kid };
}

/** The public half of a private JWK (what the subgraphs are given). */
export function publicInternalContextKey(privateKey: InternalContextKey): Ed25519Jwk {
  const { d: _d, ...publicKey } = parseInternalContextKey(privateKey, 'private');
  return publicKey;
}

/** A fresh Ed25519 key pair as JWKs, `kid` its RFC 7638 thumbprint: for `simpul` key set-up and tests. */
export async function generateInternalContextKeys(): Promise<{ publicKey: Ed25519Jwk; privateKey: Ed25519Jwk }> {
  const { calculateJwkThumbprint, exportJWK, generateKeyPair } = await loadJose();
  const pair = await generateKeyPair(INTERNAL_CONTEXT_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(pair.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    publicKey: parseInternalContextKey({ ...(publicJwk as Ed25519Jwk), kid }, 'public'),
    privateKey: parseInternalContextKey({ ...((await exportJWK(pair.privateKey)) as Ed25519Jwk), kid }, 'private'),
  };
}

/** What the gateway vouches for; see InternalCaller. */
export type InternalContextClaims = InternalCaller;

function checkClaims(claims: InternalContextClaims): void {
  const problems: string[] = [];
  if (!claims.subject) problems.push('subject is empty');
  if (!claims.client) problems.push('client is empty');
  if (claims.actorType !== 'user' && claims.actorType !== 'client') problems.push('actorType must be user or client');
  if (claims.roles.length > MAX_ROLES || claims.roles.some((role) => typeof role !== 'string' || role.length === 0)) {
    problems.push(`roles must be at most ${MAX_ROLES} non-empty strings`);
  }
  if (!CORRELATION_ID.test(claims.correlationId)) problems.push('correlationId must be 1–128 of [A-Za-z0-9_.:-]');
  if (claims.nik !== undefined && !NIK.test(claims.nik)) problems.push('nik must be 16 digits');
  if (claims.purpose !== undefined) {
    const purpose = parsePurpose(claims.purpose);
    if (!purpose.ok) problems.push(purpose.message);
  }
  if (claims.purposeParties !== undefined && (claims.purposeParties.length > MAX_PURPOSE_PARTIES || !claims.purposeParties.every((nik) => typeof nik === 'string' && NIK.test(nik)))) {
    problems.push(`purposeParties must be at most ${MAX_PURPOSE_PARTIES} NIKs of 16 digits`);
  }
  if (problems.length > 0) throw new InternalContextError('CLAIMS', `internal context claims: ${problems.join('; ')}`);
}

export interface InternalContextSigner {
  /** A context valid for INTERNAL_CONTEXT_LIFETIME_SECONDS from `now` (default: the clock). */
  sign(claims: InternalContextClaims, options?: { now?: Date }): Promise<string>;
}

/** Signs with `privateKey`, imported once. Throws InternalContextKeyError at once for a bad key. */
export function createInternalContextSigner(privateKey: InternalContextKey): InternalContextSigner {
  const jwk = parseInternalContextKey(privateKey, 'private');
  let key: Promise<CryptoKey> | undefined;
  return {
    async sign(claims, options = {}) {
      checkClaims(claims);
      const { SignJWT, importJWK } = await loadJose();
      key ??= importJWK(jwk as JWK, INTERNAL_CONTEXT_ALGORITHM) as Promise<CryptoKey>;
      const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
      const payload: Record<string, unknown> = {
        azp: claims.client,
        act: claims.actorType,
        roles: [...claims.roles],
        cid: claims.correlationId,
      };
      if (claims.purpose !== undefined) payload.purpose = claims.purpose;
      if (claims.nik !== undefined) payload.nik = claims.nik;
      if (claims.purposeParties !== undefined) payload.parties = [...claims.purposeParties];
      return new SignJWT(payload)
        .setProtectedHeader({ alg: INTERNAL_CONTEXT_ALGORITHM, typ: 'JWT', ...(jwk.kid ? { kid: jwk.kid } : {}) })
        .setIssuer(INTERNAL_CONTEXT_ISSUER)
        .setAudience(INTERNAL_CONTEXT_AUDIENCE)
        .setSubject(claims.subject)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + INTERNAL_CONTEXT_LIFETIME_SECONDS)
        .sign(await key);
    },
  };
}

export interface InternalContextVerifier {
  /** The caller, or an InternalContextError saying what is wrong with the token. */
  verify(token: string | undefined, options?: { now?: Date }): Promise<InternalCaller>;
}

const optionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string';

/**
 * Verifies with `publicKey`, imported once: signature (EdDSA only), `iss`, `aud`, `iat` and `exp`
 * (INTERNAL_CONTEXT_CLOCK_TOLERANCE_SECONDS of skew, at most INTERNAL_CONTEXT_LIFETIME_SECONDS of
 * lifetime, so a leaked context is useless within a minute) and every claim's shape.
 */
export function createInternalContextVerifier(
  publicKey: InternalContextKey,
  options: { clockToleranceSeconds?: number } = {},
): InternalContextVerifier {
  const jwk = parseInternalContextKey(publicKey, 'public');
  const tolerance = options.clockToleranceSeconds ?? INTERNAL_CONTEXT_CLOCK_TOLERANCE_SECONDS;
  let key: Promise<CryptoKey> | undefined;
  return {
    async verify(token, verifyOptions = {}) {
      if (!token) throw new InternalContextError('MISSING', `no ${INTERNAL_CONTEXT_HEADER}`);
      const { errors, importJWK, jwtVerify } = await loadJose();
      key ??= importJWK(jwk as JWK, INTERNAL_CONTEXT_ALGORITHM) as Promise<CryptoKey>;
      const now = verifyOptions.now ?? new Date();
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(token, await key, {
          algorithms: [INTERNAL_CONTEXT_ALGORITHM],
          issuer: INTERNAL_CONTEXT_ISSUER,
          audience: INTERNAL_CONTEXT_AUDIENCE,
          clockTolerance: tolerance,
          currentDate: now,
          requiredClaims: ['iat', 'exp', 'sub'],
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new InternalContextError('EXPIRED', 'the internal context has expired');
        if (error instanceof errors.JWSSignatureVerificationFailed) throw new InternalContextError('SIGNATURE', 'the internal context signature does not verify');
        if (error instanceof errors.JWTClaimValidationFailed) throw new InternalContextError('CLAIMS', `the internal context is not for this service: ${error.message}`);
        throw new InternalContextError('MALFORMED', `the internal context is not a valid JWS: ${error instanceof Error ? error.message : String(error)}`);
      }
      const { iat, exp, sub, azp, act, roles, purpose, cid, nik, parties } = payload;
      const nowSeconds = Math.floor(now.getTime() / 1000);
      if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > INTERNAL_CONTEXT_LIFETIME_SECONDS || iat > nowSeconds + tolerance) {
        throw new InternalContextError('CLAIMS', `the internal context must be issued in the past and live at most ${INTERNAL_CONTEXT_LIFETIME_SECONDS} s`);
      }
      if (
        typeof sub !== 'string' ||
        typeof azp !== 'string' ||
        (act !== 'user' && act !== 'client') ||
        !Array.isArray(roles) ||
        !roles.every((role) => typeof role === 'string') ||
        typeof cid !== 'string' ||
        !optionalString(purpose) ||
        !optionalString(nik) ||
        (parties !== undefined && !(Array.isArray(parties) && parties.every((party) => typeof party === 'string')))
      ) {
        throw new InternalContextError('CLAIMS', 'the internal context claims have the wrong shape');
      }
      const caller: InternalCaller = { subject: sub, client: azp, actorType: act, roles: roles as string[], correlationId: cid };
      if (purpose !== undefined) caller.purpose = purpose;
      if (nik !== undefined) caller.nik = nik;
      if (parties !== undefined) caller.purposeParties = parties as string[];
      checkClaims(caller);
      return caller;
    },
  };
}

/** One-off signing (tests, tools); a long-lived signer imports the key once (createInternalContextSigner). */
export function signInternalContext(claims: InternalContextClaims, privateKey: InternalContextKey, options?: { now?: Date }): Promise<string> {
  return createInternalContextSigner(privateKey).sign(claims, options);
}

/** One-off verification; a subgraph keeps one verifier (createInternalContextVerifier). */
export function verifyInternalContext(token: string | undefined, publicKey: InternalContextKey, options?: { now?: Date }): Promise<InternalCaller> {
  return createInternalContextVerifier(publicKey).verify(token, options);
}
