import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { dukcapilService } from '../src/app';
import type { DukcapilSchema } from '../src/db/schema';
import { hasData } from '../src/db/seed';
import { seededDocuments } from '../src/db/seed-documents';

const WORLD = { citizens: 80, seed: 7 };
const world = generateWorld(WORLD);
const documents = seededDocuments(world);
let dukcapil: SubgraphOnPostgres<DukcapilSchema>;

beforeAll(async () => {
  dukcapil = await startSubgraphOnPostgres(dukcapilService, WORLD);
});

afterAll(async () => {
  await dukcapil?.stop();
});

const CITIZEN = /* GraphQL */ `
  query ($nik: String!) {
    citizen(nik: $nik) {
      nik fullName birthPlace birthDate sex maritalStatus
      address { street village district { code name } regency { code name } province { code } }
      familyCard { number members { nik fullName relationship } }
    }
  }
`;

describe('dukcapil subgraph on Postgres', () => {
  it('seeds the synthetic world once', async () => {
    expect(await hasData(dukcapil.db)).toBe(true);
  });

  it('reads a citizen with address and family card', async () => {
    const sample = world.samples[0]!;
    const expected = world.citizens.find((c) => c.nik === sample.nik)!;
    const response = await postGraphQL<{ citizen: { familyCard: { members: { nik: string }[] } } }>(dukcapil.url, CITIZEN, { nik: sample.nik });
    expect(response.errors).toBeUndefined();
    const citizen = response.data!.citizen;
    expect(citizen).toMatchObject({
      nik: expected.nik,
      fullName: expected.fullName,
      birthDate: expected.birthDate,
      sex: expected.sex,
      address: { village: expected.address.village, regency: { code: expected.address.regencyCode } },
      familyCard: { number: expected.familyCardNumber },
    });
    const expectedMembers = world.citizens.filter((c) => c.familyCardNumber === expected.familyCardNumber).map((c) => c.nik).sort();
    expect(citizen.familyCard.members.map((m) => m.nik).sort()).toEqual(expectedMembers);
  });

  it('answers null, without error, for a well-formed NIK that is not registered', async () => {
    const response = await postGraphQL(dukcapil.url, CITIZEN, { nik: '3510015005900001' });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ citizen: null });
  });

  it.each([
    ['351001500590001', 'NIK_LENGTH'],
    ['35100150059000a1', 'NIK_DIGITS'],
    ['9910015005900001', 'NIK_PROVINCE'],
    ['3510013102900001', 'NIK_BIRTH_DATE'],
  ])('rejects malformed NIK %s with BAD_USER_INPUT (%s)', async (nik, rule) => {
    const response = await postGraphQL(dukcapil.url, CITIZEN, { nik });
    expect(response.data).toEqual({ citizen: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule, argument: 'nik' });
    expect(response.errors![0]!.message).toMatch(/NIK/);
  });

  it('resolves many Citizen entities with one SQL query', async () => {
    const niks = world.citizens.slice(0, 50).map((c) => c.nik);
    dukcapil.counter.reset();
    const response = await postGraphQL<{ _entities: { nik: string; fullName: string; address: { village: string } }[] }>(
      dukcapil.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { nik fullName address { village } familyCard { number } } } }`,
      { r: niks.map((nik) => ({ __typename: 'Citizen', nik })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.map((c) => c.nik)).toEqual(niks);
    expect(dukcapil.counter.count).toBe(1);
  });

  it('loads the members of many family cards with one query per relation', async () => {
    const niks = world.familyCards.slice(0, 20).map((f) => f.headNik);
    dukcapil.counter.reset();
    const response = await postGraphQL<{ _entities: { familyCard: { members: unknown[] } }[] }>(
      dukcapil.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { familyCard { members { nik relationship citizen { fullName } } } } } }`,
      { r: niks.map((nik) => ({ __typename: 'Citizen', nik })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.every((c) => c.familyCard.members.length > 0)).toBe(true);
    expect(dukcapil.counter.count).toBe(2);
  });

  it("reads a child's birth certificate, with the parents it names, and KIA; null for a citizen without them", async () => {
    const certificate = documents.birthCertificates.find((c) => c.fatherNik && documents.childIdCards.some((k) => k.nik === c.childNik))!;
    const kia = documents.childIdCards.find((k) => k.nik === certificate.childNik)!;
    const DOCUMENTS = /* GraphQL */ `
      query ($nik: String!) {
        citizen(nik: $nik) {
          birthCertificate { number issuedOn fullName sex birthDate birthPlace mother { nik fullName } father { nik } }
          childIdCard { number issuedOn validUntil }
        }
      }
    `;
    const child = await postGraphQL(dukcapil.url, DOCUMENTS, { nik: certificate.childNik });
    expect(child).toEqual({
      status: 200,
      data: {
        citizen: {
          birthCertificate: {
            number: certificate.number,
            issuedOn: certificate.issuedOn,
            fullName: certificate.childName,
            sex: certificate.childSex,
            birthDate: certificate.childBirthDate,
            birthPlace: certificate.birthPlace,
            mother: { nik: certificate.motherNik, fullName: world.citizens.find((c) => c.nik === certificate.motherNik)!.fullName },
            father: { nik: certificate.fatherNik },
          },
          childIdCard: { number: certificate.childNik, issuedOn: kia.issuedOn, validUntil: kia.validUntil },
        },
      },
    });
    const adult = await postGraphQL(dukcapil.url, DOCUMENTS, { nik: world.samples[0]!.nik });
    expect(adult).toEqual({ status: 200, data: { citizen: { birthCertificate: null, childIdCard: null } } });
  });

  it("loads many citizens' birth certificates, KIAs and the parents named, with one query per relation", async () => {
    const children = documents.birthCertificates.slice(0, 20).map((certificate) => certificate.childNik!);
    dukcapil.counter.reset();
    const response = await postGraphQL<{ _entities: { birthCertificate: { mother: { nik: string } } | null; childIdCard: { validUntil: string } | null }[] }>(
      dukcapil.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { birthCertificate { number mother { nik } father { nik } } childIdCard { validUntil } } } }`,
      { r: children.map((nik) => ({ __typename: 'Citizen', nik })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities.every((c) => c.birthCertificate !== null)).toBe(true);
    expect(response.data!._entities.filter((c) => c.childIdCard !== null)).toHaveLength(children.filter((nik) => documents.childIdCards.some((k) => k.nik === nik)).length);
    // Citizens, birth certificates, KIAs, then the parents the certificates name.
    expect(dukcapil.counter.count).toBe(4);
  });

  it('verifies claims with yes/no answers only', async () => {
    const citizen = world.citizens[3]!;
    const response = await postGraphQL<{ verifyCitizen: Record<string, unknown> }>(
      dukcapil.url,
      `query ($nik: String!, $claims: CitizenClaimsInput!) { verifyCitizen(nik: $nik, claims: $claims) { registered fullNameMatches birthDateMatches birthPlaceMatches familyCardNumberMatches } }`,
      { nik: citizen.nik, claims: { fullName: citizen.fullName.toLowerCase(), birthDate: '1900-01-01', familyCardNumber: citizen.familyCardNumber } },
    );
    expect(response.data!.verifyCitizen).toEqual({
      registered: true,
      fullNameMatches: true,
      birthDateMatches: false,
      birthPlaceMatches: null,
      familyCardNumberMatches: true,
    });
  });
});
