import { generateWorld, type SyntheticMarriage } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { religiousAffairsService } from '../src/app';
import { schema, type ReligiousAffairsSchema } from '../src/db/schema';
import { hasData } from '../src/db/seed';

const WORLD = { citizens: 200, seed: 7 };
const world = generateWorld(WORLD);
let religiousAffairs: SubgraphOnPostgres<ReligiousAffairsSchema>;

beforeAll(async () => {
  religiousAffairs = await startSubgraphOnPostgres(religiousAffairsService, WORLD);
});

afterAll(async () => {
  await religiousAffairs?.stop();
});

interface MarriageResult {
  id: string;
  registeredAt: string;
  kuaOffice: string;
  certificateNumber: string;
  husband: { nik: string };
  wife: { nik: string };
  spouse: { nik: string } | null;
}

const MARRIAGE_FIELDS = 'id registeredAt kuaOffice certificateNumber husband { nik } wife { nik } spouse { nik }';
const CITIZEN_MARRIAGES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { nik marriages { ${MARRIAGE_FIELDS} } } } }`;
const MARRIAGE = `query ($id: ID!) { marriage(id: $id) { ${MARRIAGE_FIELDS} } }`;

const citizenRepresentations = (niks: readonly string[]) => niks.map((nik) => ({ __typename: 'Citizen', nik }));

function asSeenBy(marriage: SyntheticMarriage, nik: string | null): MarriageResult {
  const spouseNik = nik === marriage.husbandNik ? marriage.wifeNik : nik === marriage.wifeNik ? marriage.husbandNik : null;
  return {
    id: marriage.id,
    registeredAt: marriage.registeredAt,
    kuaOffice: marriage.kuaOffice,
    certificateNumber: marriage.certificateNumber,
    husband: { nik: marriage.husbandNik },
    wife: { nik: marriage.wifeNik },
    spouse: spouseNik === null ? null : { nik: spouseNik },
  };
}

/** What the KUA should answer for a citizen's marriages: most recent first. */
function expectedMarriagesOf(nik: string): MarriageResult[] {
  return world.marriages
    .filter((m) => m.husbandNik === nik || m.wifeNik === nik)
    .sort((a, b) => b.registeredAt.localeCompare(a.registeredAt) || a.id.localeCompare(b.id))
    .map((m) => asSeenBy(m, nik));
}

async function marriagesOfCitizens(niks: readonly string[]) {
  const response = await postGraphQL<{ _entities: { nik: string; marriages: MarriageResult[] | null }[] }>(religiousAffairs.url, CITIZEN_MARRIAGES, {
    r: citizenRepresentations(niks),
  });
  expect(response.errors).toBeUndefined();
  return response.data!._entities;
}

describe('religious-affairs subgraph on Postgres', () => {
  it('seeds every marriage of the synthetic world once', async () => {
    expect(await hasData(religiousAffairs.db)).toBe(true);
    expect(await religiousAffairs.db.$count(schema.marriages)).toBe(world.marriages.length);
  });

  it("answers each sample citizen's marriages as the world registered them", async () => {
    const niks = world.samples.map((s) => s.nik);
    const citizens = await marriagesOfCitizens(niks);
    for (const [index, nik] of niks.entries()) {
      const expected = expectedMarriagesOf(nik);
      expect(expected.length).toBeGreaterThan(0);
      expect(citizens[index]).toEqual({ nik, marriages: expected });
    }
  });

  it('gives the other party as spouse, from the husband and from the wife', async () => {
    const marriage = world.marriages.find((m) => m.husbandNik === world.samples[0]!.nik || m.wifeNik === world.samples[0]!.nik)!;
    const [husband, wife] = await marriagesOfCitizens([marriage.husbandNik, marriage.wifeNik]);
    expect(husband!.marriages!.find((m) => m.id === marriage.id)!.spouse).toEqual({ nik: marriage.wifeNik });
    expect(wife!.marriages!.find((m) => m.id === marriage.id)!.spouse).toEqual({ nik: marriage.husbandNik });
  });

  it('answers an empty list for a citizen without a registered marriage', async () => {
    const unmarried = world.citizens.find((c) => !world.marriages.some((m) => m.husbandNik === c.nik || m.wifeNik === c.nik))!;
    expect(await marriagesOfCitizens([unmarried.nik])).toEqual([{ nik: unmarried.nik, marriages: [] }]);
  });

  it('reads a marriage by id, without a spouse since no citizen is viewing it', async () => {
    const marriage = world.marriages[0]!;
    const response = await postGraphQL<{ marriage: MarriageResult }>(religiousAffairs.url, MARRIAGE, { id: marriage.id.toUpperCase() });
    expect(response.errors).toBeUndefined();
    expect(response.data!.marriage).toEqual(asSeenBy(marriage, null));
  });

  it('answers null, without error, for a well-formed id that is not registered', async () => {
    const response = await postGraphQL(religiousAffairs.url, MARRIAGE, { id: '00000000-0000-4000-8000-000000000000' });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ marriage: null });
  });

  it.each(['not-a-uuid', '', '12345', '3f2504e0-4f89-11d3-9a0c-0305e82c330g', '3f2504e04f8911d39a0c0305e82c3301'])(
    'rejects malformed id %p with BAD_USER_INPUT (UUID)',
    async (id) => {
      const response = await postGraphQL(religiousAffairs.url, MARRIAGE, { id });
      expect(response.data).toEqual({ marriage: null });
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'UUID', argument: 'id' });
      expect(response.errors![0]!.message).toMatch(/UUID/);
    },
  );

  it('answers the marriages of 50 Citizen representations with one SQL statement', async () => {
    // Both parties of some couples, so one marriage row must answer two citizens from their own sides.
    const couples = world.marriages.slice(0, 10).flatMap((m) => [m.husbandNik, m.wifeNik]);
    const others = world.citizens.map((c) => c.nik).filter((nik) => !couples.includes(nik));
    const niks = [...couples, ...others].slice(0, 50);
    expect(new Set(niks).size).toBe(50);
    religiousAffairs.counter.reset();
    const citizens = await marriagesOfCitizens(niks);
    expect(religiousAffairs.counter.count).toBe(1);
    expect(citizens).toEqual(niks.map((nik) => ({ nik, marriages: expectedMarriagesOf(nik) })));
  });

  it('resolves many Marriage entities with one SQL statement, unknown and malformed keys as null', async () => {
    const known = world.marriages.slice(0, 30);
    const ids = [...known.map((m) => m.id), '00000000-0000-4000-8000-000000000000', 'not-a-uuid'];
    religiousAffairs.counter.reset();
    const response = await postGraphQL<{ _entities: (MarriageResult | null)[] }>(
      religiousAffairs.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Marriage { ${MARRIAGE_FIELDS} } } }`,
      { r: ids.map((id) => ({ __typename: 'Marriage', id })) },
    );
    expect(response.errors).toBeUndefined();
    expect(religiousAffairs.counter.count).toBe(1);
    expect(response.data!._entities).toEqual([...known.map((m) => asSeenBy(m, null)), null, null]);
  });
});
