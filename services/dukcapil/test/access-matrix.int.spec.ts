import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, runSubgraphAccessMatrix, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { dukcapilService, typeDefs } from '../src/app';
import type { DukcapilSchema } from '../src/db/schema';
import { seededDocuments } from '../src/db/seed-documents';

// The generated role × field matrix (packages/testing, access-matrix.ts) run directly against this
// subgraph with signed contexts: every field of the SDL, from `citizen`, `familyCard`, `verifyCitizen`
// and from `_entities`, for every caller of the security contract.
const WORLD = { citizens: 60, seed: 4 };
const world = generateWorld(WORLD);
const sample = world.citizens.find((citizen) => citizen.nik === world.samples[0]!.nik)!;
const card = world.familyCards.find((familyCard) => familyCard.number === sample.familyCardNumber)!;
// A child with a birth certificate naming both parents and a KIA, so the matrix reaches every field of both.
const documents = seededDocuments(world);
const child = documents.birthCertificates.find((certificate) => certificate.fatherNik && documents.childIdCards.some((kia) => kia.nik === certificate.childNik))!.childNik!;
const NOBODY = '3510015005900001';

let dukcapil: SecuredSubgraphOnPostgres<DukcapilSchema>;

beforeAll(async () => {
  dukcapil = await startSecuredSubgraphOnPostgres(dukcapilService, WORLD);
});

afterAll(async () => {
  await dukcapil?.stop();
});

it('gives every caller exactly the fields the SDL grants it, through root fields and _entities', async () => {
  const result = await runSubgraphAccessMatrix({
    subgraph: 'dukcapil',
    typeDefs,
    url: dukcapil.url,
    privateKey: dukcapil.keys.privateKey,
    someoneElse: NOBODY,
    entries: {
      root: {
        citizen: { args: { nik: child }, subjects: [child] },
        familyCard: { args: { number: card.number }, subjects: [card.headNik] },
        verifyCitizen: {
          args: {
            nik: sample.nik,
            claims: {
              fullName: sample.fullName,
              birthDate: sample.birthDate,
              birthPlace: sample.birthPlace,
              familyCardNumber: sample.familyCardNumber,
              addressRegency: sample.address.regencyName,
            },
          },
          subjects: [sample.nik],
        },
      },
      entities: {
        Citizen: { representation: { nik: child }, subjects: [child] },
        FamilyCard: { representation: { number: card.number }, subjects: [card.headNik] },
      },
    },
  });
  expect(result.failures).toEqual([]);
  expect(result.contextFailures).toEqual([]);
  // Every field the SDL declares was probed, and the seeded data reached it.
  expect(result.unprobed).toEqual([]);
  expect(result.unreachable.map((probe) => `${probe.entry} → ${probe.target}`)).toEqual([]);
});

describe('verifyCitizen for partners', () => {
  const VERIFY = /* GraphQL */ `
    query ($nik: String!, $claims: CitizenClaimsInput!) {
      verifyCitizen(nik: $nik, claims: $claims) { registered fullNameMatches birthDateMatches birthPlaceMatches familyCardNumberMatches addressRegencyMatches }
    }
  `;
  const BANK = { roles: ['participant:bank-bpd'], client: 'bank-bpd', purpose: 'legal-basis:CONTRACT_PERFORMANCE' };
  const claims = { fullName: sample.fullName.toLowerCase(), birthDate: sample.birthDate, addressRegency: `KABUPATEN ${sample.address.regencyName}` };

  it('answers a bank yes/no per claim, and nothing else', async () => {
    const right = await postGraphQL(dukcapil.url, VERIFY, { nik: sample.nik, claims }, await dukcapil.headersFor(BANK));
    expect(right).toEqual({
      status: 200,
      data: { verifyCitizen: { registered: true, fullNameMatches: true, birthDateMatches: true, birthPlaceMatches: null, familyCardNumberMatches: null, addressRegencyMatches: true } },
    });
    const wrong = await postGraphQL(dukcapil.url, VERIFY, { nik: sample.nik, claims: { addressRegency: '9999', birthPlace: 'Atlantis' } }, await dukcapil.headersFor(BANK));
    expect(wrong.data).toEqual({
      verifyCitizen: { registered: true, fullNameMatches: null, birthDateMatches: null, birthPlaceMatches: false, familyCardNumberMatches: null, addressRegencyMatches: false },
    });
  });

  it('refuses a bank the citizen record itself, and any verification without a purpose', async () => {
    const record = await postGraphQL(dukcapil.url, 'query ($nik: String!) { citizen(nik: $nik) { fullName } }', { nik: sample.nik }, await dukcapil.headersFor(BANK));
    expect(record.data).toEqual({ citizen: null });
    expect(record.errors?.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', rule: 'FIELD_ACCESS', field: 'Query.citizen' }]);
    const noPurpose = await postGraphQL(dukcapil.url, VERIFY, { nik: sample.nik, claims }, await dukcapil.headersFor({ ...BANK, purpose: undefined }));
    expect(noPurpose.data).toBeNull();
    expect(noPurpose.errors?.map((error) => error.extensions)).toEqual([{ code: 'FORBIDDEN', rule: 'PURPOSE_REQUIRED', field: 'Query.verifyCitizen' }]);
  });

  it('answers BAD_USER_INPUT for a blank regency claim', async () => {
    const blank = await postGraphQL(dukcapil.url, VERIFY, { nik: sample.nik, claims: { addressRegency: ' ' } }, await dukcapil.headersFor(BANK));
    expect(blank.errors?.map((error) => error.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'claims.addressRegency', rule: 'REQUIRED' }]);
  });
});
