import { join } from 'node:path';
import { SUBGRAPHS, describeSubgraphAccess, loadTypeDefs } from '@simpul/service-kit';
import {
  ALL_ROLES_CALLER,
  contractCallers,
  planAccessProbes,
  runAccessMatrix,
  type MatrixCaller,
  type MatrixEntries,
  type MatrixExecutor,
  type MatrixProbe,
} from '../src/access-matrix';
import { postGraphQL } from '../src/graphql-client';
import { TEST_PURPOSE, createTestInternalContextKeys, type TestInternalContextKeys } from '../src/internal-context';
import { REPO_ROOT, startStack, type Stack } from '../src/stack';
import { directSubgraphExecutor } from '../src/subgraph-access-matrix';

// The gateway leg of the role × field matrix (each service's test/access-matrix.int.spec.ts runs the
// direct and `_entities` legs): the whole stack with the identity provider, the gateway signing each
// fetch's x-simpul-context for the principal of a real token, and every subgraph verifying it. Every
// root probe of every subgraph runs as every demo user and client of the realm, with the purpose
// header and without. Needs everything built (npm run build).
const MATRIX_SUBGRAPHS = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs', 'applications'] as const;

/** The realm's demo user behind each user caller (clients log in as their client id). */
const LOGIN: Record<string, string> = {
  'petugas (officer)': 'petugas',
  supervisor: 'supervisor',
  auditor: 'auditor',
  admin: 'admin',
  'warga (own data)': 'warga',
};

let stack: Stack;
let keys: TestInternalContextKeys;

beforeAll(async () => {
  keys = await createTestInternalContextKeys();
  stack = await startStack({
    citizens: 40,
    participants: false,
    logLevel: 'warn',
    serviceEnv: Object.fromEntries(SUBGRAPHS.map(({ name }) => [name, { INTERNAL_CONTEXT_PUBLIC_KEY: keys.publicKey }])),
    gatewayEnv: { INTERNAL_CONTEXT_PRIVATE_KEY: keys.privateKey },
  });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

async function asGateway<T>(who: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await postGraphQL<T>(stack.gatewayUrl, query, variables, { ...(await stack.authHeaders(who)), 'x-simpul-purpose': TEST_PURPOSE });
  if (response.errors || !response.data) throw new Error(`${who}: ${JSON.stringify(response)}`);
  return response.data;
}

/** A citizen's records in every subgraph, asked through the gateway as the agencies that hold them. */
async function entriesAbout(nik: string): Promise<Record<(typeof MATRIX_SUBGRAPHS)[number], MatrixEntries>> {
  type Profile = { citizen: { familyCard: { number: string }; businesses: { nib: string }[]; passports: { number: string }[]; vehicles: { plateNumber: string }[]; applications: { id: string }[]; npwp: string } };
  const { citizen } = await asGateway<Profile>(
    'petugas',
    'query ($nik: String!) { citizen(nik: $nik) { familyCard { number } businesses { nib } passports { number } vehicles { plateNumber } applications { id } npwp } }',
    { nik },
  );
  const { familyCard } = await asGateway<{ familyCard: { head: { nik: string } } }>('agency-dukcapil', 'query ($n: String!) { familyCard(number: $n) { head { nik } } }', { n: citizen.familyCard.number });
  const police = await asGateway<{ citizen: { drivingLicences: { number: string }[] } }>('agency-police', 'query ($nik: String!) { citizen(nik: $nik) { drivingLicences { number } } }', { nik });
  const tax = await asGateway<{ citizen: { propertyTaxBills: { nop: string }[] } }>('agency-tax', 'query ($nik: String!) { citizen(nik: $nik) { propertyTaxBills { nop } } }', { nik });
  const kua = await asGateway<{ citizen: { marriages: { id: string; husband: { nik: string }; wife: { nik: string } }[] } }>(
    'agency-religious-affairs',
    'query ($nik: String!) { citizen(nik: $nik) { marriages { id husband { nik } wife { nik } } } }',
    { nik },
  );
  const marriage = kua.citizen.marriages[0]!;
  const own = (args: Record<string, unknown>) => ({ args, subjects: [nik] });
  return {
    dukcapil: { root: { citizen: own({ nik }), familyCard: { args: { number: citizen.familyCard.number }, subjects: [familyCard.head.nik] }, verifyCitizen: own({ nik, claims: {} }) } },
    licensing: { root: { business: own({ nib: citizen.businesses[0]!.nib }) } },
    tax: { root: { taxpayer: own({ npwp: citizen.npwp }), propertyTaxBills: own({ nop: tax.citizen.propertyTaxBills[0]!.nop }), vehicleTax: own({ plateNumber: citizen.vehicles[0]!.plateNumber }) } },
    immigration: { root: { passport: own({ number: citizen.passports[0]!.number }) } },
    police: { root: { vehicle: own({ plateNumber: citizen.vehicles[0]!.plateNumber }), drivingLicence: own({ number: police.citizen.drivingLicences[0]!.number }) } },
    'religious-affairs': { root: { marriage: { args: { id: marriage.id }, subjects: [nik, marriage.husband.nik === nik ? marriage.wife.nik : marriage.husband.nik] } } },
    // submitApplication is left out here: through the stack it would fan out to the agencies' workers.
    applications: { root: { application: own({ id: citizen.applications[0]!.id }) } },
  };
}

it('gives every demo user and client, through the gateway, exactly the fields the SDLs grant', async () => {
  // The demo citizen (warga) is the first sample citizen of the world; the second is someone else to them.
  const { nik: warga } = (await asGateway<{ citizen: { nik: string } }>('warga', 'query { citizen(nik: "1408030507760001") { nik } }', {})).citizen;
  const other = '3510050308870001';
  const probes: MatrixProbe[] = [];
  for (const subject of [warga, other]) {
    const entries = await entriesAbout(subject);
    for (const subgraph of MATRIX_SUBGRAPHS) {
      const types = describeSubgraphAccess(loadTypeDefs(join(REPO_ROOT, 'services', subgraph, 'src', 'modules')));
      probes.push(...planAccessProbes(subgraph, types, entries[subgraph]));
    }
  }

  const callers: MatrixCaller[] = contractCallers()
    .filter((caller) => caller.citizen !== 'someone else')
    .map((caller) => (caller.citizen ? { ...caller, citizen: undefined, nik: warga } : caller));
  const direct = new Map(MATRIX_SUBGRAPHS.map((name) => [name as string, directSubgraphExecutor(stack.subgraphs[name].url, keys.privateKey, name)]));
  const execute: MatrixExecutor = async (request) => {
    // The reference values come straight from the subgraph: no realm user holds every role.
    if (request.caller === ALL_ROLES_CALLER) return direct.get(request.probe.subgraph)!(request);
    const who = LOGIN[request.caller.name] ?? request.caller.client;
    const headers = { ...(await stack.authHeaders(who, null)), ...(request.purpose ? { 'x-simpul-purpose': request.purpose } : {}) };
    return postGraphQL(stack.gatewayUrl, request.probe.document, request.probe.variables, headers);
  };

  const result = await runAccessMatrix({ probes, callers, execute, purpose: TEST_PURPOSE, someoneElse: other, concurrency: 6 });
  expect(result.failures).toEqual([]);
  // Root fields of every subgraph and what they reach, for both citizens.
  expect(result.probes.length).toBeGreaterThan(200);
  expect(result.requests).toBeGreaterThan(3000);
}, 600_000);

it('answers a malformed purpose with 400 BAD_USER_INPUT before any subgraph is asked', async () => {
  const response = await postGraphQL(stack.gatewayUrl, '{ serviceCatalog { code } }', undefined, { ...(await stack.authHeaders('petugas')), 'x-simpul-purpose': 'legal-basis:CURIOSITY' });
  expect(response.status).toBe(400);
  expect(response.errors?.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'x-simpul-purpose', rule: 'PURPOSE_LEGAL_BASIS' }]);
});

it('serves nothing to a caller that goes around the gateway, even with a bearer token', async () => {
  const response = await postGraphQL(stack.subgraphs.dukcapil.url, '{ citizen(nik: "1408030507760001") { fullName } }', undefined, {
    ...(await stack.authHeaders('petugas')),
    'x-simpul-purpose': TEST_PURPOSE,
  });
  expect(response.status).toBe(401);
  expect(response.data).toBeUndefined();
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
});
