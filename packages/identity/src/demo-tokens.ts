import { createHash, randomBytes } from 'node:crypto';
import { DEMO_CREDENTIALS, type DemoCredentials } from './demo-credentials';

/**
 * Getting tokens from the IdP (embedded or Keycloak) the way real clients do, for tests and demos:
 * client credentials for the confidential clients; for users, the console's authorization code
 * flow with PKCE, driven over HTTP through the login form (no password grant exists for them).
 */

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

export class DemoTokenError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: string,
  ) {
    super(message);
    this.name = 'DemoTokenError';
  }
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(issuer: string, fetchImpl: typeof fetch): Promise<Discovery> {
  const response = await fetchImpl(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new DemoTokenError(`discovery of ${issuer} answered ${response.status}`, response.status, await response.text());
  return (await response.json()) as Discovery;
}

async function tokenRequest(tokenEndpoint: string, form: Record<string, string>, headers: Record<string, string>, fetchImpl: typeof fetch): Promise<TokenResponse> {
  const response = await fetchImpl(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new DemoTokenError(`token endpoint answered ${response.status}: ${text}`, response.status, text);
  return JSON.parse(text) as TokenResponse;
}

function basicAuthorization(clientId: string, clientSecret: string): string {
  // RFC 6749 §2.3.1: each part form-urlencoded before base64.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

export interface ClientCredentialsOptions {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  fetch?: typeof fetch;
}

export async function fetchClientCredentialsToken(options: ClientCredentialsOptions): Promise<TokenResponse> {
  const fetchImpl = options.fetch ?? fetch;
  const { token_endpoint } = await discover(options.issuer, fetchImpl);
  return tokenRequest(
    token_endpoint,
    { grant_type: 'client_credentials', ...(options.scope ? { scope: options.scope } : {}) },
    { authorization: basicAuthorization(options.clientId, options.clientSecret) },
    fetchImpl,
  );
}

/** Cookies of one origin, as a browser would keep them for the IdP (paths ignored: all go back). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const separator = pair.indexOf('=');
      if (separator < 1) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = '', date = ''] = attribute.trim().split('=');
        return (key.toLowerCase() === 'expires' && Date.parse(date) <= Date.now()) || (key.toLowerCase() === 'max-age' && Number(date) <= 0);
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
  }
}

export interface PasswordLoginOptions {
  issuer: string;
  username: string;
  password: string;
  /** Default `mpp-console`. */
  clientId?: string;
  /** Must be allowed for the client; default http://127.0.0.1:4000/console/callback. */
  redirectUri?: string;
  /** Default `openid`. */
  scope?: string;
  fetch?: typeof fetch;
}

const MAX_REDIRECTS = 10;
const withoutQuery = (url: string) => url.split(/[?#]/)[0];

/**
 * Signs a user in as a browser would: authorization request with PKCE (S256), the login form,
 * the redirect back with the code, and the code exchange. Returns the token response.
 */
export async function loginWithPassword(options: PasswordLoginOptions): Promise<TokenResponse> {
  const fetchImpl = options.fetch ?? fetch;
  const clientId = options.clientId ?? 'mpp-console';
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:4000/console/callback';
  const discovery = await discover(options.issuer, fetchImpl);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: options.scope ?? 'openid',
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const jar = new CookieJar();
  const request = async (url: string, init: RequestInit = {}) => {
    const response = await fetchImpl(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...jar.header() } });
    jar.take(response);
    return response;
  };

  // Follow the IdP's redirects until it shows the login form or sends the browser back to the client.
  let url = authorize.href;
  let posted = false;
  for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
    if (withoutQuery(url) === withoutQuery(redirectUri)) {
      const back = new URL(url);
      const error = back.searchParams.get('error');
      if (error) throw new DemoTokenError(`authorization failed: ${error} ${back.searchParams.get('error_description') ?? ''}`.trim());
      if (back.searchParams.get('state') !== state) throw new DemoTokenError('authorization response state mismatch');
      const code = back.searchParams.get('code');
      if (!code) throw new DemoTokenError('authorization response without a code');
      return tokenRequest(
        discovery.token_endpoint,
        { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier },
        {},
        fetchImpl,
      );
    }
    const response = await request(url);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      if (!location) throw new DemoTokenError(`redirect without location from ${url}`);
      url = new URL(location, url).href;
      await response.arrayBuffer();
      continue;
    }
    const page = await response.text();
    if (response.status !== 200 || posted || !page.includes('name="password"')) {
      throw new DemoTokenError(`unexpected answer ${response.status} from ${url}`, response.status, page);
    }
    const submitted = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: options.username, password: options.password }).toString(),
    });
    posted = true;
    if (submitted.status === 401) throw new DemoTokenError(`login refused for ${options.username}`, 401, await submitted.text());
    const location = submitted.headers.get('location');
    if (submitted.status < 300 || submitted.status >= 400 || !location) {
      throw new DemoTokenError(`login answered ${submitted.status}`, submitted.status, await submitted.text());
    }
    await submitted.arrayBuffer();
    url = new URL(location, url).href;
  }
  throw new DemoTokenError(`more than ${MAX_REDIRECTS} redirects`);
}

/**
 * An access token of a demo identity: a confidential client id (client credentials with its demo
 * secret) or a demo username (console login with its demo password).
 */
export async function fetchDemoToken(
  issuer: string,
  who: string,
  options: { credentials?: DemoCredentials; fetch?: typeof fetch; redirectUri?: string } = {},
): Promise<string> {
  const credentials = options.credentials ?? DEMO_CREDENTIALS;
  const client = credentials.clients.find((candidate) => candidate.clientId === who);
  if (client) {
    return (await fetchClientCredentialsToken({ issuer, clientId: client.clientId, clientSecret: client.clientSecret, fetch: options.fetch })).access_token;
  }
  const user = credentials.users.find((candidate) => candidate.username === who);
  if (user) {
    return (await loginWithPassword({ issuer, username: user.username, password: user.password, fetch: options.fetch, redirectUri: options.redirectUri })).access_token;
  }
  throw new DemoTokenError(`${who} is neither a demo client nor a demo user`);
}
