export type BearerToken =
  | { ok: true; token: string }
  | { ok: false; reason: 'MISSING_TOKEN' | 'MALFORMED'; message: string };

/** RFC 6750 §2.1 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^(\S+)/;

/**
 * The access token of an `Authorization: Bearer <token>` header. Only the header counts: a token in
 * the query string (`access_token=`, RFC 6750 §2.3) would end up in access logs, proxies and browser
 * history, so it is ignored and the request is treated as having no token.
 */
export function bearerTokenOf(authorization: string | undefined): BearerToken {
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, reason: 'MISSING_TOKEN', message: 'Authentication required: send an access token as "Authorization: Bearer <token>"' };
  }
  const match = BEARER.exec(authorization);
  if (match) return { ok: true, token: match[1]! };
  if (SCHEME.exec(authorization)?.[1]?.toLowerCase() !== 'bearer') {
    return { ok: false, reason: 'MISSING_TOKEN', message: 'Authentication required: use the Bearer scheme ("Authorization: Bearer <token>")' };
  }
  return { ok: false, reason: 'MALFORMED', message: 'The Authorization header does not hold a well-formed bearer token' };
}
