import { createClientCredentialsTokenSource } from './client-credentials';
import { EnvError } from './env';
/**
 * How a service asks another institution's data of the federated graph, through the gateway (never
 * a subgraph directly): KUA reads Dukcapil's marital status, the police read the tax office's PKB.
 * Every failure throws GatewayQueryError, which event handlers treat as transient (retried).
 */
export interface GatewayQueryOptions {
  /**
   * Why the data is read (`x-simpul-purpose`): `application:<id>` of the task being decided, or
   * `legal-basis:<CODE>`. Personal-data fields are refused without one.
   */
  purpose?: string;
}

export interface GatewayClient {
  query<TData>(query: string, variables?: Record<string, unknown>, options?: GatewayQueryOptions): Promise<TData>;
}

export class GatewayQueryError extends Error {
  constructor(
    message: string,
    readonly errors: readonly { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] = [],
  ) {
    super(message);
    this.name = 'GatewayQueryError';
  }
}

export interface GatewayClientOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql (env GATEWAY_URL). */
  url: string;
  timeoutMs?: number;
  /** Headers per request (e.g. a bearer token of the service's own client). */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  fetch?: typeof fetch;
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const fetchImpl = options.fetch ?? fetch;
  return {
    async query<TData>(query: string, variables: Record<string, unknown> = {}, queryOptions: GatewayQueryOptions = {}): Promise<TData> {
      let response: Response;
      try {
        response = await fetchImpl(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(queryOptions.purpose ? { 'x-simpul-purpose': queryOptions.purpose } : {}),
            ...(await options.headers?.()),
          },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new GatewayQueryError(`gateway ${options.url} unreachable: ${error instanceof Error ? error.message : String(error)}`);
      }
      const text = await response.text();
      let body: { data?: TData | null; errors?: GatewayQueryError['errors'] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new GatewayQueryError(`gateway answered ${response.status} with a non-JSON body`);
      }
      // Partial data is an error here: a rule decided on half the facts is a wrong decision.
      if (body.errors?.length || body.data == null) {
        throw new GatewayQueryError(`gateway query failed: ${(body.errors ?? []).map((e) => e.message).join('; ') || `HTTP ${response.status}`}`, body.errors ?? []);
      }
      return body.data;
    },
  };
}

/**
 * The gateway client of a service acting on its own behalf (an agency reading another institution's
 * data): with OIDC_ISSUER_URL, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET set, every query carries the
 * service's client-credentials token (its confidential client in the realm); with none of them set,
 * queries go without a token (a gateway that verifies none). Setting only some is an EnvError.
 */
export function createServiceGatewayClient(
  url: string,
  env: { OIDC_ISSUER_URL?: string; OIDC_CLIENT_ID?: string; OIDC_CLIENT_SECRET?: string },
  options: Omit<GatewayClientOptions, 'url' | 'headers'> = {},
): GatewayClient {
  const names = ['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const;
  const set = names.filter((name) => env[name]);
  if (set.length === 0) return createGatewayClient({ ...options, url });
  if (set.length < names.length) {
    throw new EnvError(names.filter((name) => !env[name]).map((name) => `${name}: required with ${set.join(' and ')} (the service's client in the identity provider)`));
  }
  const tokens = createClientCredentialsTokenSource({ issuerUrl: env.OIDC_ISSUER_URL!, clientId: env.OIDC_CLIENT_ID!, clientSecret: env.OIDC_CLIENT_SECRET! });
  return createGatewayClient({ ...options, url, headers: async () => ({ authorization: `Bearer ${await tokens.token()}` }) });
}
