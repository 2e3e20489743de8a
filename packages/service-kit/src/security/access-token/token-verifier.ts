import type { Logger } from '../../logger';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey, type RemoteJWKSet } from 'jose';
import type { OidcSettings } from './auth-env';
import { principalFromClaims, type ClaimsProblem, type Principal } from './principal';

export type TokenProblem =
  | 'MALFORMED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'BAD_SIGNATURE'
  | 'WRONG_ISSUER'
  | 'WRONG_AUDIENCE'
  | 'ALGORITHM_NOT_ALLOWED'
  | 'UNKNOWN_KEY'
  | ClaimsProblem;

export type VerificationResult = { ok: true; principal: Principal } | { ok: false; reason: TokenProblem; message: string };

/** The token could not be checked because the identity provider (discovery or JWKS) did not answer. */
export class IdentityProviderUnavailableError extends Error {
  override name = 'IdentityProviderUnavailableError';
}

export interface TokenVerifierOptions {
  settings: OidcSettings;
  logger: Logger;
  /** First delay between discovery attempts; doubles on each failure up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** The key set is refetched in the background this often: a key removed from the JWKS stops verifying by then. */
  refreshIntervalMs?: number;
  /** Least time between two key-set fetches caused by tokens with an unknown `kid`. */
  unknownKeyCooldownMs?: number;
  /** Timeout of each discovery and JWKS request. */
  fetchTimeoutMs?: number;
}

export interface TokenVerifier {
  /** True once discovery succeeded and the first key set was fetched. */
  readonly ready: boolean;
  /** Resolves once ready, or once stopped before that. */
  whenReady(): Promise<void>;
  /** Never called before `ready`. Throws IdentityProviderUnavailableError when the keys cannot be fetched. */
  verify(token: string): Promise<VerificationResult>;
  stop(): void;
}

interface Discovered {
  jwksUri: URL;
}

export const DEFAULT_REFRESH_INTERVAL_MS = 5 * 60_000;
/** Most verified tokens remembered per process (≈1 KB each); the oldest goes first. */
export const MAX_REMEMBERED_TOKENS = 10_000;
export const DEFAULT_UNKNOWN_KEY_COOLDOWN_MS = 5_000;

/**
 * Verifies access tokens against the identity provider's published keys.
 *
 * Start: OIDC discovery (`<issuer>/.well-known/openid-configuration`), retried with exponential
 * backoff until it answers with the configured issuer; then the JWKS at its `jwks_uri` is fetched
 * (jose `createRemoteJWKSet`). Until both succeed the verifier is not ready (the gateway's /readyz
 * says 503).
 *
 * Keys: fetched again every `refreshIntervalMs` in the background, so requests never wait on the
 * identity provider and a briefly unreachable one does not fail requests whose key is cached; a key
 * withdrawn from the JWKS stops verifying at the next refresh. A token whose `kid` is unknown causes
 * one refetch (a key rotated in at the identity provider verifies without a restart); such refetches
 * are at least `unknownKeyCooldownMs` apart, and a token arriving inside that window waits for the
 * next one instead of being refused — that is what keeps a rotation from producing spurious 401s.
 * Concurrent unknown-`kid` tokens share one fetch.
 *
 * A token that verified is remembered (bounded, per process) until it expires or the key set is
 * fetched again, whichever comes first: the same token on the next request costs a map lookup, not
 * a signature check (a client sends one token for minutes), while a key withdrawn from the JWKS
 * still stops its tokens at the next refresh, and nothing else changes in what is accepted.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const { settings, logger } = options;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const refreshIntervalMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  const cooldownMs = options.unknownKeyCooldownMs ?? DEFAULT_UNKNOWN_KEY_COOLDOWN_MS;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;

  let stopped = false;
  let jwks: RemoteJWKSet | undefined;
  let refreshTimer: NodeJS.Timeout | undefined;
  const sleeper = cancellableSleeps();

  // Start time of the newest successful key-set fetch, and the fetch under way (or waiting out the cooldown).
  let fetchedStartedAt = -Infinity;
  let lastFetchStartedAt = -Infinity;
  let inFlight: { startedAt: number; done: Promise<void> } | undefined;
  // Bumped by every key-set fetch that succeeded: what was verified under an older set is checked again.
  let keySetVersion = 0;
  const remembered = new Map<string, { principal: Principal; validUntilMs: number; keySetVersion: number }>();

  /** Fetches the key set once, after the cooldown since the previous fetch; concurrent callers share it. */
  function fetchKeys(respectCooldown: boolean): { startedAt: number; done: Promise<void> } {
    if (inFlight) return inFlight;
    const startedAt = Math.max(Date.now(), respectCooldown ? lastFetchStartedAt + cooldownMs : 0);
    lastFetchStartedAt = startedAt;
    const current = {
      startedAt,
      done: sleeper
        .sleep(startedAt - Date.now())
        .then(() => (stopped ? undefined : jwks!.reload()))
        .then(() => {
          fetchedStartedAt = Math.max(fetchedStartedAt, startedAt);
          keySetVersion++;
        })
        .finally(() => {
          if (inFlight === current) inFlight = undefined;
        }),
    };
    inFlight = current;
    return current;
  }

  /**
   * Looks the token's key up; on a miss, waits for a key-set fetch and looks again, until a fetch that
   * started after the first miss has come back without the key (then jose's JWKSNoMatchingKey stands).
   */
  const getKey: JWTVerifyGetKey = async (header, token) => {
    const keys = jwks!;
    let unknownSince: number | undefined;
    for (;;) {
      try {
        return await keys(header, token);
      } catch (error) {
        if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
        if (unknownSince !== undefined && fetchedStartedAt >= unknownSince) throw error;
        unknownSince ??= Date.now();
      }
      // Joins a fetch under way (which may already bring the key) or schedules one after the cooldown.
      const fetch = fetchKeys(true);
      try {
        await fetch.done;
      } catch (cause) {
        if (fetch.startedAt >= unknownSince) {
          throw new IdentityProviderUnavailableError('The identity provider key set could not be fetched', { cause });
        }
      }
    }
  };

  async function start(): Promise<void> {
    let delay = retryDelayMs;
    for (let attempt = 1; !stopped; attempt++) {
      try {
        const discovered = await discover(settings.issuer, fetchTimeoutMs);
        const remote = createRemoteJWKSet(discovered.jwksUri, {
          // jose fetches nothing by itself: only fetchKeys() reloads, on schedule or for an unknown kid.
          cacheMaxAge: Infinity,
          cooldownDuration: Infinity,
          timeoutDuration: fetchTimeoutMs,
        });
        lastFetchStartedAt = Date.now();
        await remote.reload();
        fetchedStartedAt = lastFetchStartedAt;
        if (stopped) return;
        jwks = remote;
        refreshTimer = setInterval(() => {
          fetchKeys(false).done.catch((error: unknown) =>
            logger.warn({ err: error, jwksUri: discovered.jwksUri.href }, 'OIDC key set refresh failed; keeping the cached keys'),
          );
        }, refreshIntervalMs);
        refreshTimer.unref();
        logger.info(
          { issuer: settings.issuer, jwksUri: discovered.jwksUri.href, keys: remote.jwks()?.keys.length ?? 0, audience: settings.audience, algorithms: settings.algorithms },
          'OIDC token verification ready',
        );
        return;
      } catch (error) {
        if (stopped) return;
        logger.warn({ err: error, issuer: settings.issuer, attempt, retryInMs: delay }, 'OIDC discovery failed; retrying');
        await sleeper.sleep(delay);
        delay = Math.min(delay * 2, maxRetryDelayMs);
      }
    }
  }

  const started = start();

  return {
    get ready() {
      return jwks !== undefined && !stopped;
    },
    whenReady: () => started,
    async verify(token) {
      if (!jwks) throw new IdentityProviderUnavailableError('OIDC discovery has not completed');
      const known = remembered.get(token);
      if (known && known.keySetVersion === keySetVersion && Date.now() < known.validUntilMs) return { ok: true, principal: known.principal };
      if (known) remembered.delete(token);
      try {
        const versionAtStart = keySetVersion;
        const { payload } = await jwtVerify(token, getKey, {
          issuer: settings.issuer,
          audience: settings.audience,
          algorithms: settings.algorithms,
          clockTolerance: settings.clockToleranceSeconds,
          requiredClaims: ['exp', 'sub'],
        });
        const result = principalFromClaims(payload);
        // Only under the key set it was checked with, and no longer than jose would accept it.
        if (result.ok && versionAtStart === keySetVersion) {
          if (remembered.size >= MAX_REMEMBERED_TOKENS) remembered.delete(remembered.keys().next().value!);
          const principal = freezePrincipal(result.principal);
          remembered.set(token, { principal, validUntilMs: (payload.exp! + settings.clockToleranceSeconds) * 1000, keySetVersion });
          return { ok: true, principal };
        }
        return result;
      } catch (error) {
        const reason = problemOf(error);
        if (!reason) throw error;
        return { ok: false, reason, message: MESSAGES[reason] };
      }
    },
    stop() {
      stopped = true;
      clearInterval(refreshTimer);
      sleeper.cancelAll();
    },
  };
}

/** A remembered principal is handed to many requests: none may change it. */
function freezePrincipal(principal: Principal): Principal {
  for (const value of Object.values(principal)) if (typeof value === 'object' && value !== null) Object.freeze(value);
  return Object.freeze(principal);
}

export const MESSAGES: Record<TokenProblem, string> = {
  MALFORMED: 'The access token is not a well-formed signed JWT',
  EXPIRED: 'The access token has expired',
  NOT_YET_VALID: 'The access token is not valid yet',
  BAD_SIGNATURE: 'The access token signature is invalid',
  WRONG_ISSUER: 'The access token was not issued by the trusted identity provider',
  WRONG_AUDIENCE: 'The access token was not issued for this gateway',
  ALGORITHM_NOT_ALLOWED: 'The access token signing algorithm is not allowed',
  UNKNOWN_KEY: 'The access token was signed with an unknown key',
  WRONG_TOKEN_TYPE: 'Only access tokens are accepted',
  INVALID_CLAIMS: 'The access token claims are invalid',
};

/** Maps jose's verification errors to a reason; undefined for errors that say nothing about the token. */
export function problemOf(error: unknown): TokenProblem | undefined {
  if (error instanceof IdentityProviderUnavailableError || error instanceof errors.JWKSTimeout) return undefined;
  if (error instanceof errors.JWTExpired) return 'EXPIRED';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'WRONG_ISSUER';
      case 'aud':
        return 'WRONG_AUDIENCE';
      case 'nbf':
        return 'NOT_YET_VALID';
      default:
        return 'INVALID_CLAIMS';
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'BAD_SIGNATURE';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'ALGORITHM_NOT_ALLOWED';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return 'UNKNOWN_KEY';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) return 'MALFORMED';
  return undefined;
}

/** OpenID Connect Discovery 1.0 §4: the document must name exactly the issuer it was fetched for. */
async function discover(issuer: string, timeoutMs: number): Promise<Discovered> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
  if (response.status !== 200) throw new Error(`${url} answered HTTP ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (metadata.issuer !== issuer) {
    throw new Error(`${url} names issuer ${JSON.stringify(metadata.issuer)}, expected ${JSON.stringify(issuer)} (OIDC_ISSUER_URL)`);
  }
  if (typeof metadata.jwks_uri !== 'string' || !URL.canParse(metadata.jwks_uri)) throw new Error(`${url} has no valid jwks_uri`);
  const jwksUri = new URL(metadata.jwks_uri);
  if (jwksUri.protocol !== 'https:' && jwksUri.protocol !== 'http:') throw new Error(`${url}: jwks_uri must be http(s)`);
  return { jwksUri };
}

function cancellableSleeps() {
  const pending = new Map<NodeJS.Timeout, () => void>();
  return {
    sleep(ms: number): Promise<void> {
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        timer.unref();
        pending.set(timer, resolve);
      });
    },
    cancelAll() {
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve();
      }
      pending.clear();
    },
  };
}
