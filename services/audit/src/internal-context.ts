import type { IncomingMessage } from 'node:http';
import {
  bearerTokenOf,
  INTERNAL_CONTEXT_HEADER,
  type InternalCaller,
  type InternalContextVerifier,
  type TokenVerifier,
} from '@simpul/service-kit';

/**
 * Who appends records (`POST /records`):
 * - a subgraph serving a gateway request, with that request's gateway-signed context: the records
 *   must name its caller and purpose;
 * - a service acting on its own (a task worker), with its client-credentials access token: the
 *   records must name that service account and declare a purpose.
 */
export type RecordsCredential = { kind: 'gateway-context'; caller: InternalCaller } | { kind: 'service-account'; caller: Pick<InternalCaller, 'subject' | 'client' | 'actorType' | 'roles'> };

/**
 * The caller of a `POST /records` (GraphQL requests are verified by createSubgraph itself): the
 * verified credential, or why there is none. Without a context verifier (no
 * INTERNAL_CONTEXT_PUBLIC_KEY, development only) nobody is verified. Access tokens are accepted only
 * with a token verifier (OIDC_ISSUER_URL).
 */
export type RecordsCaller = { security: 'off' } | { security: 'on'; credential: RecordsCredential } | { security: 'on'; credential?: undefined; problem: string };

export async function recordsCallerOf(
  req: IncomingMessage,
  verifiers: { context: InternalContextVerifier | undefined; token?: TokenVerifier },
): Promise<RecordsCaller> {
  if (!verifiers.context) return { security: 'off' };
  const header = req.headers[INTERNAL_CONTEXT_HEADER];
  const context = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  if (context) {
    try {
      return { security: 'on', credential: { kind: 'gateway-context', caller: await verifiers.context.verify(context) } };
    } catch (error) {
      return { security: 'on', problem: `the ${INTERNAL_CONTEXT_HEADER} is not valid: ${(error as Error).message}` };
    }
  }
  if (req.headers.authorization !== undefined && verifiers.token) {
    const bearer = bearerTokenOf(req.headers.authorization);
    if (!bearer.ok) return { security: 'on', problem: bearer.message };
    try {
      if (!verifiers.token.ready) await Promise.race([verifiers.token.whenReady(), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      if (!verifiers.token.ready) return { security: 'on', problem: 'the identity provider has not answered yet: try again' };
      const result = await verifiers.token.verify(bearer.token);
      if (!result.ok) return { security: 'on', problem: `the access token is not valid (${result.reason}): ${result.message}` };
      const { subject, client, actorType, roles } = result.principal;
      if (actorType !== 'client') return { security: 'on', problem: 'only a service account (client credentials) may append records of its own' };
      return { security: 'on', credential: { kind: 'service-account', caller: { subject, client, actorType, roles } } };
    } catch (error) {
      return { security: 'on', problem: `the access token could not be checked: ${(error as Error).message}` };
    }
  }
  return {
    security: 'on',
    problem: `no ${INTERNAL_CONTEXT_HEADER}${verifiers.token ? ' or service-account access token' : ''}: only a subgraph serving a gateway request${verifiers.token ? ' or a service acting for an application' : ''} may append`,
  };
}
