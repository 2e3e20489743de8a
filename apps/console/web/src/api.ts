import type { TypedDocumentString } from './gql/graphql';

/** One GraphQL error as the gateway sends it: code, and for bad input the rule and the field. */
export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    rule?: string;
    argument?: string;
    field?: string;
    serviceName?: string;
    problems?: { field: string; rule: string; message: string }[];
  };
}

export interface GraphQLResult<T> {
  data: T | null | undefined;
  errors: GraphQLError[];
}

/** Thrown when the request itself failed (no GraphQL answer): network, 5xx, refused token after renewal. */
export class RequestFailed extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiAuth {
  token(): string | undefined;
  /** The gateway refused the token: renew it (or sign in again, leaving the page); the new token if any. */
  renew(): Promise<string | undefined>;
}

export const PURPOSE_HEADER = 'x-simpul-purpose';

/**
 * The typed GraphQL client: the operation's types come from the supergraph (graphql-codegen), the
 * request goes to the gateway's /graphql on this origin with the bearer token and the declared
 * purpose. Partial answers are answers: data and errors both come back.
 */
export function createApi(auth: ApiAuth) {
  async function post(body: string, purpose: string | undefined, token: string | undefined): Promise<Response> {
    return fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(purpose ? { [PURPOSE_HEADER]: purpose } : {}),
      },
      body,
    });
  }

  return async function request<TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
    purpose?: string,
  ): Promise<GraphQLResult<TResult>> {
    const body = JSON.stringify({ query: document.toString(), variables });
    let response = await post(body, purpose, auth.token()).catch(() => undefined);
    if (response?.status === 401) {
      const renewed = await auth.renew();
      if (!renewed) throw new RequestFailed('UNAUTHENTICATED', 'signing in again');
      response = await post(body, purpose, renewed).catch(() => undefined);
    }
    if (!response) throw new RequestFailed('NETWORK', 'the gateway cannot be reached');
    const json = (await response.json().catch(() => undefined)) as { data?: TResult | null; errors?: GraphQLError[] } | undefined;
    if (!json || (json.data === undefined && !json.errors)) throw new RequestFailed(`HTTP_${response.status}`, `the gateway answered ${response.status}`);
    return { data: json.data, errors: json.errors ?? [] };
  };
}

export type Api = ReturnType<typeof createApi>;
