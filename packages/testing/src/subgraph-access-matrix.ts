import {
  INTERNAL_CONTEXT_HEADER,
  createInternalContextSigner,
  describeSubgraphAccess,
  generateInternalContextKeys,
  graphqlRequestHash,
  signInternalContext,
  type InternalContextClaims,
} from '@simpul/service-kit';
import {
  contractCallers,
  planAccessProbes,
  runAccessMatrix,
  type MatrixCaller,
  type MatrixEntries,
  type MatrixExecutor,
  type MatrixProbe,
  type MatrixResult,
} from './access-matrix';
import { postGraphQL } from './graphql-client';
import { TEST_PURPOSE } from './internal-context';

export interface SubgraphAccessMatrixOptions {
  /** The subgraph's name, for the report. */
  subgraph: string;
  /** Its SDL as the service builds it (the `typeDefs` of its app.ts). */
  typeDefs: Parameters<typeof describeSubgraphAccess>[0];
  /** Its GraphQL endpoint, verifying contexts with the public half of `privateKey`. */
  url: string;
  /** The private JWK (JSON) the test signs callers' contexts with. */
  privateKey: string;
  /** Where probes start, from the data the subgraph was seeded with. */
  entries: MatrixEntries;
  /** A NIK whose data no probe reaches (the "someone else" citizen). */
  someoneElse: string;
  /** Default: contractCallers(). */
  callers?: MatrixCaller[];
}

let requestNumber = 0;

/** Claims of a matrix caller, as the gateway would sign them for that principal. */
export function matrixCallerClaims(caller: MatrixCaller, nik: string | undefined, purpose: string | undefined, audience: string): InternalContextClaims {
  requestNumber += 1;
  const claims: InternalContextClaims = {
    subject: `matrix-${caller.name.replace(/\W+/g, '-')}`,
    client: caller.client,
    actorType: caller.actorType,
    roles: caller.roles,
    correlationId: `matrix-${requestNumber}`,
    audience,
  };
  if (nik !== undefined && caller.actorType === 'user') claims.nik = nik;
  if (purpose !== undefined) claims.purpose = purpose;
  return claims;
}

/** The direct leg: each probe POSTed to the subgraph itself with the caller's context, signed for it (`subgraph`) and for that request. */
export function directSubgraphExecutor(url: string, privateKey: string, subgraph: string): MatrixExecutor {
  const signer = createInternalContextSigner(privateKey);
  return async ({ probe, caller, nik, purpose }) => {
    const claims = { ...matrixCallerClaims(caller, nik, purpose, subgraph), requestHash: graphqlRequestHash(probe.document, probe.variables) };
    return postGraphQL(url, probe.document, probe.variables, { [INTERNAL_CONTEXT_HEADER]: await signer.sign(claims) });
  };
}

/**
 * Requests without a valid context, each of which must be a 401 UNAUTHENTICATED with no data:
 * none, garbage, the right claims signed with another key, and a context expired a minute ago.
 * Returns what did not hold.
 */
export async function checkContextRequired(url: string, privateKey: string, probes: MatrixProbe[], subgraph: string): Promise<string[]> {
  const stranger = await generateInternalContextKeys();
  const claims = matrixCallerClaims(contractCallers()[0]!, undefined, TEST_PURPOSE, subgraph);
  const attempts: [string, Record<string, string>][] = [
    ['no context', {}],
    ['garbage', { [INTERNAL_CONTEXT_HEADER]: 'not-a-jws' }],
    ['another key', { [INTERNAL_CONTEXT_HEADER]: await signInternalContext(claims, stranger.privateKey) }],
    ['expired', { [INTERNAL_CONTEXT_HEADER]: await signInternalContext(claims, privateKey, { now: new Date(Date.now() - 125_000) }) }],
    ['signed for another subgraph', { [INTERNAL_CONTEXT_HEADER]: await signInternalContext({ ...claims, audience: subgraph === 'tax' ? 'dukcapil' : 'tax' }, privateKey) }],
  ];
  const problems: string[] = [];
  for (const probe of probes) {
    for (const [name, headers] of attempts) {
      const response = await postGraphQL(url, probe.document, probe.variables, headers);
      const codes = (response.errors ?? []).map((error) => error.extensions?.code);
      if (response.status !== 401 || response.data != null || codes.join() !== 'UNAUTHENTICATED') {
        problems.push(`${name} ${probe.entry} → ${probe.target}: HTTP ${response.status} ${JSON.stringify(response)}`);
      }
    }
  }
  return problems;
}

export interface SubgraphAccessMatrixResult extends MatrixResult {
  /** Requests without a valid context that were not a bare 401. */
  contextFailures: string[];
  /** `Type.field`s of the SDL that no reachable probe covered (no entry leads there, or the data is null on the way). */
  unprobed: string[];
}

/**
 * The generated role × field matrix of one subgraph, run directly against it: every field its SDL
 * declares, from each root entry and each `_entities` entry, for every caller of the contract, with
 * and without a purpose; plus the refusal of requests without a valid context (on one probe per
 * entry). `failures`, `contextFailures` and `unprobed` should all be empty.
 */
export async function runSubgraphAccessMatrix(options: SubgraphAccessMatrixOptions): Promise<SubgraphAccessMatrixResult> {
  const types = describeSubgraphAccess(options.typeDefs);
  const probes = planAccessProbes(options.subgraph, types, options.entries);
  const result = await runAccessMatrix({
    probes,
    callers: options.callers ?? contractCallers(),
    execute: directSubgraphExecutor(options.url, options.privateKey, options.subgraph),
    purpose: TEST_PURPOSE,
    someoneElse: options.someoneElse,
  });
  const onePerEntry = [...new Map(probes.map((probe) => [probe.entry, probe])).values()];
  const probed = new Set(result.probes.map((probe) => probe.target));
  const unprobed = types.flatMap((type) => type.fields.map((field) => `${type.name}.${field.fieldName}`)).filter((field) => !probed.has(field));
  return { ...result, unprobed, contextFailures: await checkContextRequired(options.url, options.privateKey, onePerEntry, options.subgraph) };
}
