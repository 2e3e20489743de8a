import { DomainError, type GatewayClient, type InternalCaller, type Logger } from '@simpul/service-kit';

/**
 * Access grants as data (issue 12): a partner the participant registry registered verifies claims
 * only as far as an approved grant of an ACTIVE agreement lets it (which claims, under which
 * purposes). The SDL's `@access` on verifyCitizen stays the ceiling; a client the registry does not
 * know (the realm export's partners) is governed by the SDL alone. The registry is asked through
 * the gateway as Dukcapil's own client (`clientAccess`, agency:dukcapil) and its answer cached per
 * client for `ttlMs`, so a revocation or an expiry takes effect within that many milliseconds.
 */
export interface ClientGrant {
  agreementNumber: string;
  item: string;
  claims: string[];
  purposes: string[];
}

interface ClientAccess {
  registered: boolean;
  participantCode: string | null;
  grants: ClientGrant[];
}

export interface AccessGrantCheck {
  /** Refuses (FORBIDDEN) unless the caller may verify these claims; returns the agreement it does so under, if any. */
  requireVerification(caller: InternalCaller | undefined, claims: string[]): Promise<string | undefined>;
}

export const VERIFY_CITIZEN_ITEM = 'Query.verifyCitizen';
export const DEFAULT_ACCESS_GRANT_CACHE_TTL_MS = 5_000;

const CLIENT_ACCESS = 'query ClientAccess($clientId: String!) { clientAccess(clientId: $clientId) { registered participantCode grants { agreementNumber item claims purposes } } }';

/** A partner's caller: a participant role and no agency role (agencies are governed by the SDL). */
function isPartner(caller: InternalCaller): boolean {
  return caller.roles.some((role) => role.startsWith('participant:')) && !caller.roles.some((role) => role.startsWith('agency:'));
}

export function createAccessGrantCheck(options: { gateway: GatewayClient; logger: Logger; ttlMs?: number; now?: () => number }): AccessGrantCheck {
  const ttlMs = options.ttlMs ?? DEFAULT_ACCESS_GRANT_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { at: number; access: Promise<ClientAccess> }>();

  const accessOf = (clientId: string): Promise<ClientAccess> => {
    const cached = cache.get(clientId);
    if (cached && now() - cached.at < ttlMs) return cached.access;
    const access = options.gateway.query<{ clientAccess: ClientAccess }>(CLIENT_ACCESS, { clientId }).then((data) => data.clientAccess);
    cache.set(clientId, { at: now(), access });
    // A failed look-up is not remembered: the next request asks again.
    access.catch(() => cache.delete(clientId));
    return access;
  };

  return {
    async requireVerification(caller, claims) {
      if (!caller || !isPartner(caller)) return undefined;
      let access: ClientAccess;
      try {
        access = await accessOf(caller.client);
      } catch (error) {
        options.logger.error({ err: error, client: caller.client }, 'could not ask the participant registry for access grants: refusing');
        throw new DomainError('FORBIDDEN', 'The access grants of this client could not be checked; try again later', { rule: 'GRANT_LOOKUP_FAILED' });
      }
      if (!access.registered) return undefined;
      const purpose = caller.purpose ?? '';
      const usable = access.grants.filter((grant) => grant.item === VERIFY_CITIZEN_ITEM && (grant.purposes.includes(purpose) || purpose.startsWith('application:')));
      const missing = claims.filter((claim) => !usable.some((grant) => grant.claims.includes(claim)));
      if (usable.length === 0 || missing.length > 0) {
        throw new DomainError(
          'FORBIDDEN',
          `No approved grant of an active agreement lets ${access.participantCode} verify ${missing.length ? missing.join(', ') : 'citizens'} under ${purpose || 'no purpose'}`,
          { rule: 'GRANT_REQUIRED', claims: missing },
        );
      }
      return usable.find((grant) => claims.every((claim) => grant.claims.includes(claim)))?.agreementNumber ?? usable[0]!.agreementNumber;
    },
  };
}
