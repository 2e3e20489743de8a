import {
  PURPOSE_LOOKUP_CALLER,
  bindApplicationPurpose,
  httpRequestHash,
  parsePurpose,
  type ApplicationPurposeFacts,
  type InternalContextClaims,
  type InternalContextSigner,
  type Logger,
  type Principal,
} from '@simpul/service-kit';

/**
 * Purpose binding at the gateway: an `application:<id>` purpose is looked up once per request at
 * the applications service (`GET /purposes/applications/<id>`, signed as PURPOSE_LOOKUP_CALLER),
 * bound to the caller (bindApplicationPurpose: open or recently closed, the caller has a part in
 * it), and the application's citizens go into every subgraph context as `purposeParties` (empty
 * when it does not bind this caller). The subgraphs then serve personal data only about them
 * (PURPOSE_NOT_APPLICABLE otherwise). The facts are cached briefly per gateway process; nothing
 * depends on the cache, each replica keeps its own.
 */
export interface ApplicationPurposeSettings {
  /** How long an application's facts are reused (PURPOSE_CACHE_TTL_MS); 0: looked up for every request. */
  cacheTtlMs: number;
  /** A closed application still binds its purpose this many days (PURPOSE_CLOSED_APPLICATION_DAYS). */
  closedDays: number;
}

export interface ApplicationPurposeResolverOptions extends ApplicationPurposeSettings {
  /** The applications subgraph URL; the look-up route is on its origin. Undefined: nothing binds. */
  applicationsUrl: () => string | undefined;
  signer: InternalContextSigner;
  timeoutMs: number;
  logger: Logger;
  now?: () => Date;
}

export interface ApplicationPurposeResolver {
  /** The citizens `principal` may read under `application:<applicationId>`; empty when it does not bind them. */
  partiesFor(applicationId: string, principal: Principal | undefined, correlationId: string): Promise<string[]>;
}

/** Facts kept at most this many applications; the oldest go first. */
const MAX_CACHED_APPLICATIONS = 10_000;

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');

function factsOf(body: unknown): ApplicationPurposeFacts | undefined {
  const application = (body as { application?: unknown } | null)?.application;
  if (application === null) return undefined;
  const facts = application as Partial<ApplicationPurposeFacts> | undefined;
  if (
    typeof facts?.id !== 'string' ||
    typeof facts.status !== 'string' ||
    !(facts.closedAt === null || typeof facts.closedAt === 'string') ||
    typeof facts.mppOffice !== 'string' ||
    !isStringArray(facts.parties) ||
    !isStringArray(facts.participants)
  ) {
    throw new Error('the applications service answered the purpose look-up with an unexpected shape');
  }
  return facts as ApplicationPurposeFacts;
}

export function createApplicationPurposeResolver(options: ApplicationPurposeResolverOptions): ApplicationPurposeResolver {
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { facts: Promise<ApplicationPurposeFacts | undefined>; expires: number }>();

  const lookUp = async (applicationId: string, correlationId: string): Promise<ApplicationPurposeFacts | undefined> => {
    const url = options.applicationsUrl();
    if (!url) throw new Error('no applications subgraph to look the purpose up at');
    const path = `/purposes/applications/${applicationId}`;
    const context = await options.signer.sign({ ...PURPOSE_LOOKUP_CALLER, roles: [], correlationId, audience: 'applications', requestHash: httpRequestHash('GET', path) });
    const response = await fetch(new URL(path, url), {
      headers: { 'x-simpul-context': context, 'x-correlation-id': correlationId },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) throw new Error(`the applications service answered the purpose look-up with HTTP ${response.status}`);
    return factsOf(await response.json());
  };

  const factsFor = (applicationId: string, correlationId: string): Promise<ApplicationPurposeFacts | undefined> => {
    const at = now().getTime();
    const cached = cache.get(applicationId);
    if (cached && cached.expires > at) return cached.facts;
    const facts = lookUp(applicationId, correlationId);
    if (options.cacheTtlMs > 0) {
      cache.delete(applicationId);
      if (cache.size >= MAX_CACHED_APPLICATIONS) cache.delete(cache.keys().next().value!);
      cache.set(applicationId, { facts, expires: at + options.cacheTtlMs });
      // A failed look-up is not remembered.
      facts.catch(() => cache.get(applicationId)?.facts === facts && cache.delete(applicationId));
    }
    return facts;
  };

  return {
    async partiesFor(applicationId, principal, correlationId) {
      let facts: ApplicationPurposeFacts | undefined;
      try {
        facts = await factsFor(applicationId, correlationId);
      } catch (error) {
        // Fail closed: the purpose binds nobody, so personal data under it is refused.
        options.logger.warn({ err: error, applicationId, correlationId }, 'purpose look-up failed: the application purpose binds nobody');
        return [];
      }
      const binding = bindApplicationPurpose(facts, principal ?? { actorType: 'client', roles: [] }, { closedDays: options.closedDays, now: now() });
      if (!binding.applicable) {
        options.logger.info({ applicationId, correlationId, client: principal?.client, reason: binding.reason }, 'application purpose does not apply');
        return [];
      }
      return binding.parties;
    },
  };
}

const requestBindings = new WeakMap<object, Promise<string[]>>();

/**
 * `claims` with the purpose's parties when it names an application (looked up once per `request`,
 * the gateway context every subgraph fetch of one operation shares); unchanged otherwise.
 */
export async function withPurposeParties(
  claims: InternalContextClaims,
  resolver: ApplicationPurposeResolver | undefined,
  request: { principal?: Principal; correlationId: string },
): Promise<InternalContextClaims> {
  if (!resolver || claims.purpose === undefined) return claims;
  const parsed = parsePurpose(claims.purpose);
  if (!parsed.ok || parsed.purpose.kind !== 'application') return claims;
  const { applicationId } = parsed.purpose;
  let parties = requestBindings.get(request);
  if (!parties) {
    parties = resolver.partiesFor(applicationId, request.principal, request.correlationId);
    requestBindings.set(request, parties);
  }
  return { ...claims, purposeParties: await parties };
}
