/**
 * What every Simpul k6 script shares: where the gateway is, who calls it (a bearer token and a
 * purpose, as every request to the gateway needs) and one GraphQL call with its checks.
 *
 * Environment (`k6 run -e NAME=value …`):
 *   GATEWAY_URL      gateway GraphQL endpoint                        default http://127.0.0.1:4000/graphql
 *   TOKEN            an access token of the realm (e.g. `npm run simpul -- token petugas`)
 *   OIDC_ISSUER_URL, CLIENT_ID, CLIENT_SECRET
 *                    without TOKEN: setup() fetches one with client credentials (a confidential
 *                    client of the realm, e.g. bank-bpd / bank-bpd-demo-secret under npm start)
 *   PURPOSE          x-simpul-purpose                                 default: the script's own
 *
 * Tokens live five minutes in the demo realm: for a longer run, give a client (setup() runs once).
 */
import { check } from 'k6';
import http from 'k6/http';
import { Counter } from 'k6/metrics';

export const GATEWAY_URL = __ENV.GATEWAY_URL || 'http://127.0.0.1:4000/graphql';

export interface Caller {
  token: string;
  purpose: string;
}

/** For setup(): TOKEN, or a client-credentials token from the realm. */
export function callerFromEnv(defaultPurpose: string): Caller {
  const purpose = __ENV.PURPOSE || defaultPurpose;
  if (__ENV.TOKEN) return { token: __ENV.TOKEN, purpose };
  const issuer = __ENV.OIDC_ISSUER_URL;
  const clientId = __ENV.CLIENT_ID;
  const clientSecret = __ENV.CLIENT_SECRET;
  if (!issuer || !clientId || !clientSecret) {
    throw new Error('set TOKEN (an access token), or OIDC_ISSUER_URL, CLIENT_ID and CLIENT_SECRET to fetch one with client credentials');
  }
  const response = http.post(`${issuer.replace(/\/+$/, '')}/protocol/openid-connect/token`, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
  });
  if (response.status !== 200) throw new Error(`token request for ${clientId} answered ${response.status}: ${String(response.body).slice(0, 200)}`);
  const token = (JSON.parse(String(response.body)) as { access_token?: string }).access_token;
  if (!token) throw new Error(`token response for ${clientId} has no access_token`);
  return { token, purpose };
}

export const graphqlFailures = new Counter('graphql_failures');

/**
 * POSTs one operation as `caller` and checks it: HTTP 200, no `errors`, and `accept(data)`.
 * Returns the data (undefined when a check failed, counted in graphql_failures).
 */
export function graphql<T>(caller: Caller, operationName: string, query: string, variables: Record<string, unknown>, accept: (data: T) => boolean): T | undefined {
  const response = http.post(GATEWAY_URL, JSON.stringify({ query, operationName, variables }), {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'x-simpul-purpose': caller.purpose },
    tags: { name: operationName },
  });
  let body: { data?: T | null; errors?: unknown } | undefined;
  try {
    body = typeof response.body === 'string' ? JSON.parse(response.body) : undefined;
  } catch {
    body = undefined;
  }
  const data = body?.data ?? undefined;
  const passed = check(response, {
    'status is 200': (r) => r.status === 200,
    'no GraphQL errors': () => body !== undefined && body.errors === undefined,
    [`${operationName} answered`]: () => data !== undefined && accept(data),
  });
  if (!passed) graphqlFailures.add(1);
  return passed ? data : undefined;
}

export function numberFromEnv(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** A constant-arrival-rate scenario with the thresholds every script shares (RATE, DURATION, VUS, MAX_VUS, P99_MS). */
export function constantRate(name: string, defaults: { rate: number; p99Ms: number }) {
  return {
    scenarios: {
      [name]: {
        executor: 'constant-arrival-rate' as const,
        rate: numberFromEnv('RATE', defaults.rate),
        timeUnit: '1s',
        duration: __ENV.DURATION || '2m',
        preAllocatedVUs: numberFromEnv('VUS', 20),
        maxVUs: numberFromEnv('MAX_VUS', 100),
      },
    },
    thresholds: {
      http_req_duration: [`p(99)<${numberFromEnv('P99_MS', defaults.p99Ms)}`],
      checks: ['rate==1'],
      graphql_failures: ['count==0'],
      dropped_iterations: ['count==0'],
    },
    summaryTrendStats: ['avg', 'med', 'p(95)', 'p(99)', 'max'],
  };
}
