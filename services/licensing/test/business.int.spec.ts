import { count } from 'drizzle-orm';
import { generateWorld, type SyntheticBusiness } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { licensingService } from '../src/app';
import { businesses, type LicensingSchema } from '../src/db/schema';
import { hasData } from '../src/db/seed';

const WORLD = { citizens: 400, seed: 11 };
const world = generateWorld(WORLD);
let licensing: SubgraphOnPostgres<LicensingSchema>;

beforeAll(async () => {
  licensing = await startSubgraphOnPostgres(licensingService, WORLD);
});

afterAll(async () => {
  await licensing?.stop();
});

const BUSINESS_FIELDS = 'nib name kbli kbliTitle riskLevel status issuedOn owner { nik }';

/** What the subgraph should answer for a business of the synthetic world. */
function expectedBusiness(b: SyntheticBusiness) {
  return {
    nib: b.nib,
    name: b.name,
    kbli: b.kbli,
    kbliTitle: b.kbliTitle,
    riskLevel: b.riskLevel,
    status: b.status,
    issuedOn: b.issuedOn,
    owner: { nik: b.ownerNik },
  };
}

/** An owner's businesses in the order the subgraph promises: oldest NIB first. */
function expectedBusinessesOf(nik: string) {
  return world.businesses
    .filter((b) => b.ownerNik === nik)
    .sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.nib.localeCompare(b.nib))
    .map(expectedBusiness);
}

const BUSINESS = /* GraphQL */ `
  query ($nib: String!) {
    business(nib: $nib) { ${BUSINESS_FIELDS} }
  }
`;

const CITIZEN_BUSINESSES = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) { ... on Citizen { nik businesses { ${BUSINESS_FIELDS} } } }
  }
`;

describe('licensing subgraph on Postgres', () => {
  it('seeds every business of the synthetic world', async () => {
    expect(await hasData(licensing.db)).toBe(true);
    const [row] = await licensing.db.select({ total: count() }).from(businesses);
    expect(row!.total).toBe(world.businesses.length);
  });

  it("answers the sample citizen's businesses as the world has them", async () => {
    const sample = world.samples[0]!;
    const expected = expectedBusinessesOf(sample.nik);
    expect(expected.length).toBeGreaterThan(0);

    const response = await postGraphQL<{ _entities: { nik: string; businesses: unknown[] }[] }>(licensing.url, CITIZEN_BUSINESSES, {
      r: [{ __typename: 'Citizen', nik: sample.nik }],
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([{ nik: sample.nik, businesses: expected }]);
  });

  it('reads one business by NIB, as typed at the counter (stray spaces)', async () => {
    const business = world.businesses.find((b) => b.ownerNik === world.samples[1]!.nik)!;
    for (const typed of [business.nib, ` ${business.nib} `]) {
      const response = await postGraphQL(licensing.url, BUSINESS, { nib: typed });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ business: expectedBusiness(business) });
    }
  });

  it('answers null, without error, for a well-formed NIB that is not registered', async () => {
    const unknownNib = '9999999999999';
    expect(world.businesses.some((b) => b.nib === unknownNib)).toBe(false);
    const response = await postGraphQL(licensing.url, BUSINESS, { nib: unknownNib });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ business: null });
  });

  it.each([
    ['912020123456', 'NIB_LENGTH'],
    ['91202012345678', 'NIB_LENGTH'],
    ['9120201234X67', 'NIB_DIGITS'],
  ])('rejects malformed NIB %s with BAD_USER_INPUT (%s)', async (nib, rule) => {
    const response = await postGraphQL(licensing.url, BUSINESS, { nib });
    expect(response.data).toEqual({ business: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule, argument: 'nib' });
    expect(response.errors![0]!.message).toMatch(/NIB/);
  });

  it('answers businesses for 50 Citizen representations with one SQL statement', async () => {
    // Owners first, then citizens without a business, so both shapes of answer are in one batch.
    const owners = [...new Set(world.businesses.map((b) => b.ownerNik))];
    const others = world.citizens.map((c) => c.nik).filter((nik) => !owners.includes(nik));
    const niks = [...owners.slice(0, 40), ...others].slice(0, 50);
    expect(niks).toHaveLength(50);
    expect(niks.some((nik) => !owners.includes(nik))).toBe(true);

    licensing.counter.reset();
    const response = await postGraphQL<{ _entities: { nik: string; businesses: unknown[] }[] }>(licensing.url, CITIZEN_BUSINESSES, {
      r: niks.map((nik) => ({ __typename: 'Citizen', nik })),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual(niks.map((nik) => ({ nik, businesses: expectedBusinessesOf(nik) })));
    expect(licensing.counter.count).toBe(1);
  });

  it('resolves many Business entities with one SQL statement, unknown NIBs as null', async () => {
    const known = world.businesses.slice(0, 40);
    expect(known.length).toBeGreaterThan(10);
    const unknownNib = '9999999999999';
    licensing.counter.reset();
    const response = await postGraphQL<{ _entities: unknown[] }>(
      licensing.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Business { ${BUSINESS_FIELDS} } } }`,
      { r: [...known.map((b) => ({ __typename: 'Business', nib: b.nib })), { __typename: 'Business', nib: unknownNib }] },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([...known.map(expectedBusiness), null]);
    expect(licensing.counter.count).toBe(1);
  });
});
