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

export type DeclaredPurpose = { ok: true; value?: string } | { ok: false; rule: string; message: string };

/**
 * The request's `x-simpul-purpose`, normalised as it goes into the context (undefined when none was
 * sent). The one parser of the header: purposeRoute runs it once per request and keeps the result.
 * A repeated header is refused: which one would be meant?
 */
export function readDeclaredPurpose(header: string | string[] | undefined): DeclaredPurpose {
  if (Array.isArray(header) && header.length !== 1) return { ok: false, rule: 'PURPOSE_FORMAT', message: `Send one ${PURPOSE_HEADER} header` };
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return { ok: true };
  const parsed = parsePurpose(value);
  return parsed.ok ? { ok: true, value: parsed.purpose.value } : parsed;
}

const declaredPurposes = new WeakMap<IncomingMessage, string>();

/** The well-formed purpose purposeRoute read from this request; undefined when none was declared. */
export function purposeOf(req: IncomingMessage): string | undefined {
  return declaredPurposes.get(req);
}

/**
 * What the gateway signs for one subgraph fetch: the verified principal of the request (put on the
 * context by auth/, from the bearer token), the declared purpose and the correlation id, bound to
 * the one service it is for and the one request (`binding`), so it cannot be replayed elsewhere.
 */
export function internalContextClaims(
  context: Pick<GatewayContext, 'principal' | 'correlationId' | 'purpose'>,
  binding: { audience: string; requestHash: string | undefined },
): InternalContextClaims {
  const principal = context.principal;
  const caller = principal
    ? { subject: principal.subject, client: principal.client, actorType: principal.actorType, roles: principal.roles }
    : { ...ANONYMOUS_CALLER, roles: [] };
  const claims: InternalContextClaims = { ...caller, correlationId: context.correlationId, audience: binding.audience, requestHash: binding.requestHash };
  if (principal?.nik !== undefined) claims.nik = principal.nik;
  if (context.purpose !== undefined) claims.purpose = context.purpose;
  return claims;
}

function sendBadPurpose(res: ServerResponse, correlationId: string, rule: string, message: string): void {
  res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'x-correlation-id': correlationId });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', argument: PURPOSE_HEADER, rule } }] }));
}

/** The routes whose requests carry a purpose into signed contexts: GraphQL and the live status stream. */
const PURPOSE_PATHS = (graphqlPath: string) => (pathname: string) => pathname === graphqlPath || pathname.startsWith('/live/');

/**
 * In front of `/graphql` and `/live/…` (after authentication, before any parsing, planning or
 * subgraph call): drops a client's own `x-simpul-context` on every path (only the gateway signs one),
 * answers a malformed `x-simpul-purpose` with 400 BAD_USER_INPUT naming the rule, and keeps a
 * well-formed one for the request (purposeOf → the request context → every context it signs).
 */
export function purposeRoute(graphqlPath = '/graphql'): HttpRoute {
  const carriesPurpose = PURPOSE_PATHS(graphqlPath);
  return (req: IncomingMessage, res: ServerResponse) => {
    delete req.headers[INTERNAL_CONTEXT_HEADER];
    if (!carriesPurpose(requestUrl(req).pathname)) return false;
    const declared = readDeclaredPurpose(req.headers[PURPOSE_HEADER]);
    if (!declared.ok) {
      sendBadPurpose(res, correlationIdOf(req), declared.rule, declared.message);
      return true;
    }
    if (declared.value !== undefined) declaredPurposes.set(req, declared.value);
    return false;
  };
}
