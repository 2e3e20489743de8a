/** What a GraphQL endpoint answered, or why it could not be asked (a sentence for the terminal). */
export type OperationOutcome<TBody> = { answered: true; status: number; body: TBody } | { answered: false; problem: string };

/**
 * One GraphQL operation POSTed to the gateway (or a subgraph) by an operator command, with the
 * operator's bearer token: the commands' one way to ask a running stack.
 */
export async function postOperation<TBody>(options: { url: string; token?: string; query: string; variables?: Record<string, unknown>; timeoutMs: number }): Promise<OperationOutcome<TBody>> {
  const { url, token } = options;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: options.query, ...(options.variables ? { variables: options.variables } : {}) }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    try {
      return { answered: true, status: response.status, body: JSON.parse(text) as TBody };
    } catch {
      return { answered: false, problem: `${url} answered HTTP ${response.status} with something other than GraphQL: ${text.slice(0, 200)}` };
    }
  } catch (error) {
    return { answered: false, problem: `could not ask ${url}: ${(error as Error).message}\nIs the stack running (npm start)?` };
  }
}
