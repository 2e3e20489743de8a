import type { JWTPayload } from 'jose';

/** Who is calling, from a verified access token (security contract, "Gateway"). */
export interface Principal {
  /** `sub`: the Keycloak user id, or the service-account user id of a client. */
  subject: string;
  /** `azp`: the client the token was issued to. */
  client: string;
  actorType: 'user' | 'client';
  /** `realm_access.roles`. */
  roles: string[];
  /** Citizen users only (the `nik` claim). */
  nik?: string;
  /** Users only: the MPP office an officer works at (the `mpp_office` claim, e.g. `MPP Siak`). */
  mppOffice?: string;
  /** `preferred_username`, when the token has one. */
  username?: string;
}

/** Keycloak names the user behind a client's service account `service-account-<client id>`. */
export const SERVICE_ACCOUNT_PREFIX = 'service-account-';

export type ClaimsProblem = 'WRONG_TOKEN_TYPE' | 'INVALID_CLAIMS';

export type PrincipalResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: ClaimsProblem; message: string };

const NIK = /^\d{16}$/;

/**
 * The Principal of a token whose signature, issuer, audience and lifetime are already verified.
 *
 * Only access tokens are accepted: Keycloak marks them `typ: "Bearer"` (ID tokens say `ID`, refresh
 * tokens `Refresh`). `sub` and `azp` must be present.
 *
 * A token is a client's (actorType `client`) exactly when its `preferred_username` is
 * `service-account-<azp>`: Keycloak gives each client's service account that username, and a
 * client-credentials token is always issued to (azp) the client that owns the account. Other signals
 * were rejected as less robust: the absence of a session (`sid`) varies with the Keycloak version and
 * the "refresh tokens for client credentials" setting, and a `client_id` claim depends on a mapper.
 * Everything else is a user. `nik` is kept for users only.
 */
export function principalFromClaims(payload: JWTPayload): PrincipalResult {
  if (payload.typ !== 'Bearer') {
    return { ok: false, reason: 'WRONG_TOKEN_TYPE', message: `Expected an access token (typ "Bearer"), got typ ${JSON.stringify(payload.typ ?? null)}` };
  }
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject === '') return invalid('The token has no "sub" claim');
  const client = payload.azp;
  if (typeof client !== 'string' || client === '') return invalid('The token has no "azp" claim');

  const realmAccess = payload.realm_access;
  let roles: string[] = [];
  if (realmAccess !== undefined) {
    const listed = (realmAccess as { roles?: unknown } | null)?.roles;
    if (listed !== undefined && !(Array.isArray(listed) && listed.every((role) => typeof role === 'string'))) {
      return invalid('"realm_access.roles" must be a list of strings');
    }
    roles = (listed as string[] | undefined) ?? [];
  }

  const username = payload.preferred_username;
  if (username !== undefined && typeof username !== 'string') return invalid('"preferred_username" must be a string');
  const actorType = username?.toLowerCase() === `${SERVICE_ACCOUNT_PREFIX}${client.toLowerCase()}` ? 'client' : 'user';

  const principal: Principal = { subject, client, actorType, roles: [...new Set(roles)] };
  if (username !== undefined) principal.username = username;
  if (actorType === 'user' && payload.nik !== undefined) {
    if (typeof payload.nik !== 'string' || !NIK.test(payload.nik)) return invalid('"nik" must be 16 digits');
    principal.nik = payload.nik;
  }
  if (actorType === 'user' && payload.mpp_office !== undefined) {
    if (typeof payload.mpp_office !== 'string' || payload.mpp_office.trim() === '') return invalid('"mpp_office" must be a non-empty string');
    principal.mppOffice = payload.mpp_office;
  }
  return { ok: true, principal };
}

function invalid(message: string): PrincipalResult {
  return { ok: false, reason: 'INVALID_CLAIMS', message };
}
