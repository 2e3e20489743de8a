import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bearerTokenOf,
  correlationIdOf,
  createTokenVerifier,
  IdentityProviderUnavailableError,
  tokenVerificationFailures,
  type HttpRoute,
  type Principal,
  type TokenProblem,
  type TokenVerifier,
  type TokenVerifierOptions,
  requestUrl,
} from '@simpul/service-kit';
import { CORRELATION_ID_HEADER } from '../subgraphs/subgraph-data-source';




export type UnauthenticatedReason = 'MISSING_TOKEN' | TokenProblem;

/** `WWW-Authenticate` realm of the gateway's bearer challenge. */
export const AUTH_REALM = 'simpul';
const IDP_RETRY_AFTER_SECONDS = 5;

const principals = new WeakMap<IncomingMessage, Principal>();

/**
 * The verified caller of a request that passed the gateway's authentication route; undefined when
 * verification is off (OIDC_ISSUER_URL unset) or for routes that do not take bearer tokens.
 */
export function principalOf(req: IncomingMessage): Principal | undefined {
  return principals.get(req);
}

export interface GatewayAuth {
  /** Must be the first route: it refuses unauthenticated requests before anything else runs. */
  route: HttpRoute;
  /** Throws until OIDC discovery and the first key-set fetch have succeeded (for /readyz). */
  ready(): Promise<void>;
  stop(): void;
  verifier: TokenVerifier;
}

export interface GatewayAuthOptions extends TokenVerifierOptions {
  /** The GraphQL endpoint path (default `/graphql`). */
  graphqlPath?: string;
}

/**
 * Bearer-token authentication in front of `/graphql` and every `/live/…` stream.
 *
 * A request without a valid `Authorization: Bearer <access token>` is answered 401 `UNAUTHENTICATED`
 * here, before planning or any subgraph call. Browsers cannot set headers on `EventSource`, and a token
 * in the URL (`?access_token=`) would leak into logs and history, so it is not accepted: the console
 * reads `/live/applications/<id>` with a fetch-based server-sent-events reader that sends the header.
 * `/participants/*` (webhook status reports, authenticated by their HMAC signature), `/healthz` and
 * `/readyz` are not behind this route.
 */
export function createGatewayAuth(options: GatewayAuthOptions): GatewayAuth {
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const verifier = createTokenVerifier(options);
  const logger = options.logger.child({ component: 'auth' });

  const route: HttpRoute = async (req, res) => {
    const pathname = requestUrl(req).pathname;
    if (pathname !== graphqlPath && !pathname.startsWith('/live/')) return false;
    const correlationId = correlationIdOf(req);

    const bearer = bearerTokenOf(req.headers.authorization);
    if (!bearer.ok) {
      logger.debug({ correlationId, path: pathname, reason: bearer.reason }, 'request refused: no bearer token');
      tokenVerificationFailures.inc({ reason: bearer.reason });
      sendUnauthenticated(res, correlationId, bearer.reason, bearer.message);
      return true;
    }
    if (!verifier.ready) {
      tokenVerificationFailures.inc({ reason: 'IDP_UNAVAILABLE' });
      sendIdentityProviderUnavailable(res, correlationId, 'The identity provider has not been reached yet');
      return true;
    }
    let result;
    try {
      result = await verifier.verify(bearer.token);
    } catch (error) {
      if (!(error instanceof IdentityProviderUnavailableError)) throw error;
      logger.warn({ correlationId, err: error }, 'token not verifiable: identity provider unavailable');
      tokenVerificationFailures.inc({ reason: 'IDP_UNAVAILABLE' });
      sendIdentityProviderUnavailable(res, correlationId, 'The identity provider is unavailable; try again shortly');
      return true;
    }
    if (!result.ok) {
      logger.info({ correlationId, path: pathname, reason: result.reason }, 'request refused: invalid access token');
      tokenVerificationFailures.inc({ reason: result.reason });
      sendUnauthenticated(res, correlationId, result.reason, result.message);
      return true;
    }
    principals.set(req, result.principal);
    return false;
  };

  return {
    route,
    verifier,
    async ready() {
      if (!verifier.ready) throw new Error('OIDC discovery has not completed');
    },
    stop: () => verifier.stop(),
  };
}

/**
 * 401 with a GraphQL-shaped body. The challenge follows RFC 6750 §3.1: `error="invalid_token"` when a
 * token was sent and refused, no error code when none was sent.
 */
export function sendUnauthenticated(res: ServerResponse, correlationId: string, reason: UnauthenticatedReason, message: string): void {
  const challenge =
    reason === 'MISSING_TOKEN'
      ? `Bearer realm="${AUTH_REALM}"`
      : `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${reason}"`;
  send(res, 401, { message, extensions: { code: 'UNAUTHENTICATED', reason } }, correlationId, { 'www-authenticate': challenge });
}

function sendIdentityProviderUnavailable(res: ServerResponse, correlationId: string, message: string): void {
  send(res, 503, { message, extensions: { code: 'IDENTITY_PROVIDER_UNAVAILABLE' } }, correlationId, {
    'retry-after': String(IDP_RETRY_AFTER_SECONDS),
  });
}

function send(res: ServerResponse, status: number, error: object, correlationId: string, headers: Record<string, string>): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    [CORRELATION_ID_HEADER]: correlationId,
    ...headers,
  });
  res.end(JSON.stringify({ errors: [error] }));
}
