import { randomUUID } from 'node:crypto';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from '@simpul/service-kit';
import { CORRELATION_ID_HEADER } from '../subgraphs/subgraph-data-source';
import { checkAllowList, sha256Hex, type PersistedQueryList } from './persisted-queries';

export interface PersistedQueryMode {
  /** Allow-list mode: only these operations run. */
  allowList?: PersistedQueryList;
  /** Automatic persisted queries are on: a registration's hash must match its text. */
  apq?: boolean;
}

export interface RequestGuardOptions extends PersistedQueryMode {
  logger: Logger;
}

type Screened = { request: HTTPGraphQLRequest } | { status: number; message: string; extensions: Record<string, unknown> };

interface OperationFields {
  query: unknown;
  extensions: Record<string, unknown> | undefined;
  /** The request with the query replaced by `text` and the persisted-query extension removed. */
  withQuery(text: string): HTTPGraphQLRequest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutPersistedQuery(extensions: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!extensions) return undefined;
  const { persistedQuery: _persistedQuery, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function operationFieldsOf(request: HTTPGraphQLRequest): OperationFields | undefined {
  if (request.method === 'POST' && isRecord(request.body)) {
    const body = request.body;
    const extensions = isRecord(body.extensions) ? body.extensions : undefined;
    return {
      query: body.query,
      extensions,
      withQuery: (text) => {
        const { extensions: _extensions, ...rest } = body;
        const kept = withoutPersistedQuery(extensions);
        return { ...request, body: { ...rest, query: text, ...(kept ? { extensions: kept } : {}) } };
      },
    };
  }
  if (request.method === 'GET') {
    const params = new URLSearchParams(request.search);
    let extensions: Record<string, unknown> | undefined;
    const rawExtensions = params.get('extensions');
    if (rawExtensions !== null) {
      try {
        const parsed: unknown = JSON.parse(rawExtensions);
        if (isRecord(parsed)) extensions = parsed;
      } catch {
        // Left for Apollo Server to refuse if the request is not rewritten.
      }
    }
    return {
      query: params.get('query') ?? undefined,
      extensions,
      withQuery: (text) => {
        const rewritten = new URLSearchParams();
        rewritten.set('query', text);
        for (const name of ['operationName', 'variables']) {
          const value = params.get(name);
          if (value !== null) rewritten.set(name, value);
        }
        const kept = withoutPersistedQuery(extensions);
        if (kept) rewritten.set('extensions', JSON.stringify(kept));
        return { ...request, search: `?${rewritten.toString()}` };
      },
    };
  }
  return undefined;
}

const NOT_IN_LIST_MESSAGES = {
  UNKNOWN_ID: 'No operation with this id is on the gateway\'s persisted query list',
  NOT_LISTED: 'This operation is not on the gateway\'s persisted query list; send a listed operation or its id',
  ID_AND_TEXT_DIFFER: 'The query text differs from the listed operation with this id',
} as const;

/**
 * Checks a request before Apollo Server does any work on it (no context, parsing or planning):
 * a JSON array (a batch) is refused whatever the configuration, and in allow-list mode so is any
 * operation not on the list. A listed operation sent by id is rewritten to its listed text.
 * With automatic persisted queries, a registration whose hash is not its text's is refused.
 */
export function screenRequest(request: HTTPGraphQLRequest, mode: PersistedQueryMode): Screened {
  if (request.method === 'POST' && Array.isArray(request.body)) {
    return {
      status: 400,
      message: 'Batched requests are not accepted: send one operation per request (a JSON object, not an array)',
      extensions: { code: 'BAD_REQUEST', rule: 'BATCHED_REQUEST' },
    };
  }
  const { allowList } = mode;
  if (!allowList && !mode.apq) return { request };
  const fields = operationFieldsOf(request);
  if (!fields) return { request };
  const persistedQuery = fields.extensions?.persistedQuery;
  const id =
    persistedQuery === undefined ? undefined : isRecord(persistedQuery) && typeof persistedQuery.sha256Hash === 'string' ? persistedQuery.sha256Hash : '';
  if (!allowList) {
    // Apollo Server refuses this too, but without a code (so the error formatter would mask it).
    if (id !== undefined && typeof fields.query === 'string' && sha256Hex(fields.query) !== id) {
      return {
        status: 400,
        message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query',
        extensions: { code: 'BAD_REQUEST', rule: 'PERSISTED_QUERY_HASH_MISMATCH' },
      };
    }
    return { request };
  }
  const decision = checkAllowList(allowList, fields.query, id);
  if (!decision) return { request };
  if (!decision.allowed) {
    return {
      status: 400,
      message: NOT_IN_LIST_MESSAGES[decision.reason],
      extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', reason: decision.reason },
    };
  }
  return { request: fields.withQuery(decision.query) };
}

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

function refusal(request: HTTPGraphQLRequest, status: number, message: string, extensions: Record<string, unknown>): HTTPGraphQLResponse {
  const sent = request.headers.get(CORRELATION_ID_HEADER);
  return {
    status,
    headers: new HeaderMap([
      ['content-type', 'application/json; charset=utf-8'],
      ['cache-control', 'no-store'],
      [CORRELATION_ID_HEADER, sent && CORRELATION_ID.test(sent) ? sent : randomUUID()],
    ]),
    body: { kind: 'complete', string: JSON.stringify({ errors: [{ message, extensions }] }) },
  };
}

/**
 * Apollo Server as the HTTP handler sees it, with screenRequest in front of every request. Only
 * `executeHTTPGraphQLRequest` differs; everything else is the server itself.
 */
export function guardGraphQLRequests<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: RequestGuardOptions,
): ApolloServer<TContext> {
  const guarded = Object.create(server) as ApolloServer<TContext>;
  guarded.executeHTTPGraphQLRequest = async (args) => {
    const screened = screenRequest(args.httpGraphQLRequest, options);
    if ('request' in screened) return server.executeHTTPGraphQLRequest({ ...args, httpGraphQLRequest: screened.request });
    const level = screened.extensions.code === 'PERSISTED_QUERY_NOT_IN_LIST' ? 'info' : 'debug';
    options.logger[level]({ status: screened.status, ...screened.extensions }, 'request refused before execution');
    return refusal(args.httpGraphQLRequest, screened.status, screened.message, screened.extensions);
  };
  return guarded;
}
