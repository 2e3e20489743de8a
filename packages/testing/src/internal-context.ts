import {
  INTERNAL_CONTEXT_HEADER,
  createInternalContextSigner,
  generateInternalContextKeys,
  httpRequestHash,
  type InternalContextClaims,
  type InternalContextSigner,
} from '@simpul/service-kit';

/**
 * A gateway key pair for a test, as the environment holds it: `publicKey` is what a subgraph is
 * given (INTERNAL_CONTEXT_PUBLIC_KEY), `privateKey` what the gateway signs with
 * (INTERNAL_CONTEXT_PRIVATE_KEY). Both JWK JSON.
 */
export interface TestInternalContextKeys {
  publicKey: string;
  privateKey: string;
}

export async function createTestInternalContextKeys(): Promise<TestInternalContextKeys> {
  const keys = await generateInternalContextKeys();
  return { publicKey: JSON.stringify(keys.publicKey), privateKey: JSON.stringify(keys.privateKey) };
}

/** The purpose tests declare when the purpose itself is not what is tested. */
export const TEST_PURPOSE = 'legal-basis:PUBLIC_SERVICE_DELIVERY';

/**
 * Who a test request comes from, as the gateway would vouch for them. Only `roles` is needed;
 * `purpose` defaults to none (personal data is then refused), the rest to a plausible caller.
 */
export interface TestCaller {
  roles: readonly string[];
  purpose?: string;
  /** Citizen users: their own NIK. */
  nik?: string;
  subject?: string;
  client?: string;
  actorType?: 'user' | 'client';
  correlationId?: string;
}

/**
 * What the gateway would sign for `caller`, for the service `audience` (the subgraph called), and
 * for a plain HTTP route (`route`: the live status stream) bound to that method and path, as the
 * gateway binds it. GraphQL requests of tests are not bound to their query (subgraphs check the
 * binding when a context carries one; the gateway always signs it).
 */
export function testCallerClaims(caller: TestCaller, audience: string, route?: { method: string; path: string }): InternalContextClaims {
  const claims: InternalContextClaims = {
    subject: caller.subject ?? `test-${caller.roles[0] ?? 'nobody'}`,
    client: caller.client ?? 'test-client',
    actorType: caller.actorType ?? (caller.roles.some((role) => role.includes(':') || role === 'integrator') ? 'client' : 'user'),
    roles: caller.roles,
    correlationId: caller.correlationId ?? `test-${Date.now().toString(36)}`,
    audience,
  };
  if (route) claims.requestHash = httpRequestHash(route.method, route.path);
  if (caller.purpose !== undefined) claims.purpose = caller.purpose;
  if (caller.nik !== undefined) claims.nik = caller.nik;
  return claims;
}

/** Signs test callers' contexts for one service with one private key (imported once). */
export interface TestCallerSigner {
  /** `{ 'x-simpul-context': <signed context> }` for `caller` (for a route: bound to it), to spread into a request's headers. */
  headers(caller: TestCaller, route?: { method: string; path: string }): Promise<Record<string, string>>;
}

export function createTestCallerSigner(privateKey: string, audience: string): TestCallerSigner {
  const signer: InternalContextSigner = createInternalContextSigner(privateKey);
  return {
    async headers(caller, route) {
      return { [INTERNAL_CONTEXT_HEADER]: await signer.sign(testCallerClaims(caller, audience, route)) };
    },
  };
}

/** One-off: the signed-context headers of `caller` for `audience` (a signer imports the key once: createTestCallerSigner). */
export function signedCallerHeaders(privateKey: string, audience: string, caller: TestCaller): Promise<Record<string, string>> {
  return createTestCallerSigner(privateKey, audience).headers(caller);
}
