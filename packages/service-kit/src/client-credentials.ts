/**
 * An access token of the service's own confidential client (OAuth 2.0 client credentials), for
 * calling the gateway as an agency or participant: KUA, the police, a bank. The token endpoint
 * comes from OIDC discovery of the issuer (Keycloak or the embedded IdP); a token is reused until
 * shortly before it expires, then fetched again on the next call.
 *
 *   const tokens = createClientCredentialsTokenSource({ issuerUrl, clientId, clientSecret });
 *   createGatewayClient({ url, headers: async () => ({ authorization: `Bearer ${await tokens.token()}` }) });
 */

export type ClientCredentialsErrorCode =
  /** Discovery failed or its document is unusable (wrong issuer, no token endpoint). */
  | 'DISCOVERY_FAILED'
  /** The token endpoint could not be reached or answered with a server error. */
  | 'TOKEN_ENDPOINT_UNAVAILABLE'
  /** The IdP does not accept the client id and secret (`invalid_client`). */
  | 'INVALID_CLIENT'
  /** The IdP refused the request for another reason (`unauthorized_client`, `invalid_scope`…). */
  | 'TOKEN_REQUEST_REJECTED'
  /** A 2xx answer that is not a usable token response. */
  | 'INVALID_TOKEN_RESPONSE';

const TRANSIENT: ReadonlySet<ClientCredentialsErrorCode> = new Set(['DISCOVERY_FAILED', 'TOKEN_ENDPOINT_UNAVAILABLE', 'INVALID_TOKEN_RESPONSE']);

export class ClientCredentialsError extends Error {
  /** Worth retrying later (network, IdP down); false when the configuration is wrong. */
  readonly transient: boolean;

  constructor(
    readonly code: ClientCredentialsErrorCode,
    message: string,
    readonly details: { status?: number; oauthError?: string; oauthErrorDescription?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClientCredentialsError';
    this.transient = TRANSIENT.has(code);
  }
}

export interface ClientCredentialsTokenSourceOptions {
  /** e.g. https://keycloak.example.go.id/realms/simpul (OIDC_ISSUER_URL). */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for; none by default (the client's default scopes). */
  scope?: string;
  /** How long before expiry a token counts as expired (default 30 s; at most half its lifetime). */
  refreshSkewSeconds?: number;
  /** Per HTTP request (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export interface ClientCredentialsTokenSource {
  /** A valid access token: the cached one, or a new one when it is about to expire. */
  token(): Promise<string>;
  /** Forgets the cached token (e.g. after the gateway answered 401), so the next call fetches one. */
  invalidate(): void;
}

interface CachedToken {
  value: string;
  /** When to stop using it, in the clock of `now`. */
  refreshAt: number;
}

function basicAuthorization(clientId: string, clientSecret: string): string {
  // RFC 6749 §2.3.1: client id and secret are form-urlencoded before base64.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function createClientCredentialsTokenSource(options: ClientCredentialsTokenSourceOptions): ClientCredentialsTokenSource {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const skewSeconds = options.refreshSkewSeconds ?? 30;
  const issuer = options.issuerUrl.replace(/\/+$/, '');
  let tokenEndpoint: string | undefined;
  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;

  async function discoverTokenEndpoint(): Promise<string> {
    if (tokenEndpoint) return tokenEndpoint;
    const url = `${issuer}/.well-known/openid-configuration`;
    let document: unknown;
    try {
      const response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      document = await response.json();
    } catch (error) {
      throw new ClientCredentialsError('DISCOVERY_FAILED', `OIDC discovery at ${url} failed: ${describe(error)}`, {}, { cause: error });
    }
    if (!isObject(document) || typeof document.token_endpoint !== 'string') {
      throw new ClientCredentialsError('DISCOVERY_FAILED', `OIDC discovery at ${url} has no token_endpoint`);
    }
    // OpenID Connect Discovery §4.3: the document must be the issuer's own.
    if (document.issuer !== issuer) {
      throw new ClientCredentialsError('DISCOVERY_FAILED', `OIDC discovery at ${url} names issuer ${String(document.issuer)}, expected ${issuer}`);
    }
    tokenEndpoint = document.token_endpoint;
    return tokenEndpoint;
  }

  async function requestToken(): Promise<string> {
    const endpoint = await discoverTokenEndpoint();
    const requestedAt = now();
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: basicAuthorization(options.clientId, options.clientSecret),
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', ...(options.scope ? { scope: options.scope } : {}) }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new ClientCredentialsError('TOKEN_ENDPOINT_UNAVAILABLE', `token endpoint ${endpoint} unreachable: ${describe(error)}`, {}, { cause: error });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const oauthError = isObject(body) && typeof body.error === 'string' ? body.error : undefined;
      const oauthErrorDescription = isObject(body) && typeof body.error_description === 'string' ? body.error_description : undefined;
      const details = { status: response.status, oauthError, oauthErrorDescription };
      const reason = `${oauthError ?? `HTTP ${response.status}`}${oauthErrorDescription ? ` (${oauthErrorDescription})` : ''}`;
      if (oauthError === 'invalid_client' || response.status === 401) {
        throw new ClientCredentialsError('INVALID_CLIENT', `the identity provider rejected client ${options.clientId}: ${reason}`, details);
      }
      if (response.status >= 500 || response.status === 429 || !oauthError) {
        throw new ClientCredentialsError('TOKEN_ENDPOINT_UNAVAILABLE', `token endpoint ${endpoint} answered ${reason}`, details);
      }
      throw new ClientCredentialsError('TOKEN_REQUEST_REJECTED', `token request of client ${options.clientId} refused: ${reason}`, details);
    }
    if (!isObject(body) || typeof body.access_token !== 'string' || !body.access_token) {
      throw new ClientCredentialsError('INVALID_TOKEN_RESPONSE', `token endpoint ${endpoint} answered without an access_token`, { status: response.status });
    }
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
      throw new ClientCredentialsError('INVALID_TOKEN_RESPONSE', `token endpoint ${endpoint} issued a ${body.token_type} token, not Bearer`, { status: response.status });
    }
    // expires_in counts from the answer, on our clock: no dependence on the IdP's clock.
    const lifetimeSeconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    const skew = Math.min(skewSeconds, lifetimeSeconds / 2);
    cached = { value: body.access_token, refreshAt: requestedAt + (lifetimeSeconds - skew) * 1000 };
    return body.access_token;
  }

  return {
    token() {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.value);
      // Concurrent callers share one request.
      inFlight ??= requestToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
