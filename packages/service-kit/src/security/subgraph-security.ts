import { requestUrl } from '../http-route';
import type { IncomingMessage } from 'node:http';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { EnvError } from '../env';
import type { Logger } from '../logger';
import {
  INTERNAL_CONTEXT_HEADER,
  InternalContextError,
  createInternalContextVerifier,
  graphqlRequestHash,
  httpRequestHash,
  type InternalCaller,
  type InternalContextKey,
  type InternalContextVerifier,
} from './internal-context';

/** The env variable holding the gateway's public JWK (JSON) that a subgraph verifies the context with. */
export const INTERNAL_CONTEXT_PUBLIC_KEY_VARIABLE = 'INTERNAL_CONTEXT_PUBLIC_KEY';

/**
 * The verifier of subgraph `audience` (its name: contexts signed for another service are refused)
 * from `key` (the parsed INTERNAL_CONTEXT_PUBLIC_KEY); undefined (no verification: development and
 * tests, as before issue 4) without one. The service's env schema (defineServiceEnv) is what
 * refuses to start without a key in production.
 */
export function internalContextVerifierFor(key: InternalContextKey | undefined, audience: string): InternalContextVerifier | undefined {
  if (key === undefined || key === '') return undefined;
  try {
    return createInternalContextVerifier(key, { audience });
  } catch (error) {
    throw new EnvError([`${INTERNAL_CONTEXT_PUBLIC_KEY_VARIABLE}: ${error instanceof Error ? error.message : String(error)}`]);
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * The caller of a request from its `x-simpul-context`, or a 401 UNAUTHENTICATED GraphQLError (thrown
 * from a request's context function, Apollo answers it before parsing anything).
 */
export async function authenticateInternalContext(
  verifier: InternalContextVerifier,
  header: string | string[] | undefined,
  logger?: Logger,
): Promise<InternalCaller> {
  const token = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (!token) throw unauthenticated(`Only the gateway may call this service: the request has no ${INTERNAL_CONTEXT_HEADER}`);
  try {
    return await verifier.verify(token);
  } catch (error) {
    const problem = error instanceof InternalContextError ? error.problem : 'MALFORMED';
    logger?.warn({ problem, err: error }, 'request refused: invalid internal context');
    throw unauthenticated(`The request's ${INTERNAL_CONTEXT_HEADER} is not valid (${problem})`);
  }
}

/**
 * `authenticateInternalContext` of a GraphQL request over node:http (what createSubgraph's handler
 * does); the request binding (`rqh` over query and variables) is checked once the body is parsed,
 * by internalContextPlugin.
 */
export function authenticateSubgraphRequest(verifier: InternalContextVerifier, req: IncomingMessage, logger?: Logger): Promise<InternalCaller> {
  return authenticateInternalContext(verifier, req.headers[INTERNAL_CONTEXT_HEADER], logger);
}

/**
 * `authenticateInternalContext` of a plain HTTP route beside `/graphql` (the live status stream, the
 * purpose lookup): the context must be bound to this method and path (`rqh`, httpRequestHash), so one
 * signed for a GraphQL fetch or for another route's request opens nothing here.
 */
export async function authenticateRouteRequest(verifier: InternalContextVerifier, req: IncomingMessage, logger?: Logger): Promise<InternalCaller> {
  const caller = await authenticateInternalContext(verifier, req.headers[INTERNAL_CONTEXT_HEADER], logger);
  const path = requestUrl(req).pathname;
  if (caller.requestHash !== httpRequestHash(req.method ?? 'GET', path)) {
    logger?.warn({ problem: 'REQUEST' }, 'request refused: internal context signed for another request');
    throw unauthenticated(`The request's ${INTERNAL_CONTEXT_HEADER} was signed for another request (REQUEST)`);
  }
  return caller;
}

const enforcing = new WeakSet<ApolloServer<never>>();

/** Whether `apollo` (built by createSubgraph) refuses requests without a valid internal context. */
export function enforcesInternalContext(apollo: ApolloServer<never>): boolean {
  return enforcing.has(apollo);
}

/** Marks an Apollo server whose requests pass internalContextPlugin with a verifier. */
export function markEnforcing<TContext extends object>(apollo: ApolloServer<TContext>): void {
  enforcing.add(apollo as unknown as ApolloServer<never>);
}

/**
 * The second line, inside Apollo, for every HTTP handler built on the server (createSubgraph's
 * own verifies in its context function already; a service's handler with extra routes may not):
 * a context without `caller` is verified here from the request's header, and an operation without
 * a valid one is refused with 401 UNAUTHENTICATED once parsed, before anything executes. A context
 * bound to a request (`rqh`, which the gateway always signs) serves only that query with those
 * variables: one captured from another fetch is refused.
 */
export function internalContextPlugin<TContext extends { caller?: InternalCaller }>(
  verifier: InternalContextVerifier,
  logger?: Logger,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      let refusal: unknown;
      try {
        contextValue.caller ??= await authenticateInternalContext(verifier, request.http?.headers.get(INTERNAL_CONTEXT_HEADER), logger);
        const bound = contextValue.caller.requestHash;
        if (bound !== undefined && bound !== graphqlRequestHash(request.query ?? '', request.variables)) {
          logger?.warn({ problem: 'REQUEST' }, 'request refused: internal context signed for another request');
          throw unauthenticated(`The request's ${INTERNAL_CONTEXT_HEADER} was signed for another request (REQUEST)`);
        }
      } catch (error) {
        refusal = error;
      }
      if (refusal === undefined) return;
      return {
        async didResolveOperation() {
          throw refusal;
        },
      };
    },
  };
}
