import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  INTERNAL_CONTEXT_HEADER,
  PURPOSE_HEADER,
  correlationIdOf,
  parsePurpose,
  type HttpRoute,
  type InternalContextClaims,
  requestUrl,
} from '@simpul/service-kit';
import type { GatewayContext } from '../context';

/**
 * Who the gateway vouches for to the subgraphs when nobody signed in: identity verification is off
 * (OIDC_ISSUER_URL unset, development only). No roles, so subgraphs serve such a caller only fields
 * open to every caller (`@access(roles: ["*"])`, e.g. the service catalogue) and no personal data.
 */
export const ANONYMOUS_CALLER = { subject: 'anonymous', client: 'anonymous', actorType: 'client' } as const;

/** One `x-simpul-purpose` value (a repeated header is refused: which one would be meant?). */
function headerValue(header: string | string[] | undefined): { value?: string; repeated: boolean } {
  if (Array.isArray(header)) return header.length === 1 ? { value: header[0], repeated: false } : { repeated: true };
  return { value: header, repeated: false };
}

/** The request's declared purpose, as it goes into the internal context; undefined when none or malformed. */
export function declaredPurpose(header: string | string[] | null | undefined): string | undefined {
  const { value, repeated } = headerValue(header ?? undefined);
  if (repeated || value === undefined) return undefined;
  const parsed = parsePurpose(value);
  return parsed.ok ? parsed.purpose.value : undefined;
}

/**
 * What the gateway signs for one subgraph fetch: the verified principal of the request (put on the
 * context by auth/, from the bearer token), the declared purpose and the correlation id, bound to
 * the one service it is for and the one request (`binding`), so it cannot be replayed elsewhere.
 */
export function internalContextClaims(
  context: Pick<GatewayContext, 'principal' | 'correlationId'>,
  purpose: string | undefined,
  binding: { audience: string; requestHash: string | undefined },
): InternalContextClaims {
  const principal = context.principal;
  const caller = principal
    ? { subject: principal.subject, client: principal.client, actorType: principal.actorType, roles: principal.roles }
    : { ...ANONYMOUS_CALLER, roles: [] };
  const claims: InternalContextClaims = { ...caller, correlationId: context.correlationId, audience: binding.audience, requestHash: binding.requestHash };
  if (principal?.nik !== undefined) claims.nik = principal.nik;
  if (purpose !== undefined) claims.purpose = purpose;
  return claims;
}

function sendBadPurpose(res: ServerResponse, correlationId: string, rule: string, message: string): void {
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'x-correlation-id': correlationId });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', argument: PURPOSE_HEADER, rule } }] }));
}

/**
 * In front of `/graphql` (after authentication, before any parsing, planning or subgraph call):
 * drops a client's own `x-simpul-context` (only the gateway signs one) and answers a malformed
 * `x-simpul-purpose` with 400 BAD_USER_INPUT naming the rule. A well-formed purpose is read again
 * per subgraph fetch (declaredPurpose) and forwarded in the signed context.
 */
export function purposeRoute(graphqlPath = '/graphql'): HttpRoute {
  return (req: IncomingMessage, res: ServerResponse) => {
    delete req.headers[INTERNAL_CONTEXT_HEADER];
    if (requestUrl(req).pathname !== graphqlPath) return false;
    const { value, repeated } = headerValue(req.headers[PURPOSE_HEADER]);
    if (repeated) {
      sendBadPurpose(res, correlationIdOf(req), 'PURPOSE_FORMAT', `Send one ${PURPOSE_HEADER} header`);
      return true;
    }
    if (value === undefined) return false;
    const parsed = parsePurpose(value);
    if (parsed.ok) return false;
    sendBadPurpose(res, correlationIdOf(req), parsed.rule, parsed.message);
    return true;
  };
}
