import { count, eq } from 'drizzle-orm';
import { generateWorld, type SyntheticPassport } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { immigrationService } from '../src/app';
import { passports, type ImmigrationSchema } from '../src/db/schema';
import { hasData } from '../src/db/seed';

const WORLD = { citizens: 600, seed: 13 };
const world = generateWorld(WORLD);
let immigration: SubgraphOnPostgres<ImmigrationSchema>;

beforeAll(async () => {
  immigration = await startSubgraphOnPostgres(immigrationService, WORLD);
});

afterAll(async () => {
  await immigration?.stop();
});

const PASSPORT_FIELDS = 'number status issuedOn expiresOn issuingOffice holder { nik }';

/** What the subgraph should answer for a passport of the synthetic world. */
function expectedPassport(p: SyntheticPassport) {
  return {
    number: p.number,
    status: p.status,
    issuedOn: p.issuedOn,
    expiresOn: p.expiresOn,
    issuingOffice: p.issuingOffice,
    holder: { nik: p.nik },
  };
}

/** A holder's passports in the order the subgraph promises: newest issue first. */
function expectedPassportsOf(nik: string) {
  return world.passports
    .filter((p) => p.nik === nik)
    .sort((a, b) => b.issuedOn.localeCompare(a.issuedOn) || b.number.localeCompare(a.number))
    .map(expectedPassport);
}

/** A passport number that is well-formed but was never issued in this world. */
function unissuedPassportNumber(): string {
  const issued = new Set(world.passports.map((p) => p.number));
  for (let serial = 9999999; ; serial -= 1) {
    const number = `X${serial}`;
    if (!issued.has(number)) return number;
  }
}

const PASSPORT = /* GraphQL */ `
  query ($number: String!) {
    passport(number: $number) { ${PASSPORT_FIELDS} }
  }
`;

const CITIZEN_PASSPORTS = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) { ... on Citizen { nik passports { ${PASSPORT_FIELDS} } } }
  }
`;

describe('immigration subgraph on Postgres', () => {
  it('seeds every passport of the synthetic world', async () => {
    expect(await hasData(immigration.db)).toBe(true);
    const [row] = await immigration.db.select({ total: count() }).from(passports);
    expect(row!.total).toBe(world.passports.length);
  });

  it("answers the sample citizen's passports as the world has them, newest first", async () => {
    const sample = world.samples[0]!;
    const expected = expectedPassportsOf(sample.nik);
    expect(expected.length).toBeGreaterThan(0);

    const response = await postGraphQL<{ _entities: { nik: string; passports: unknown[] }[] }>(immigration.url, CITIZEN_PASSPORTS, {
      r: [{ __typename: 'Citizen', nik: sample.nik }],
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([{ nik: sample.nik, passports: expected }]);
  });

  it('lists a renewed holder\'s passports newest first', async () => {
    // The world issues one passport per holder; a renewal adds the older, expired book next to it.
    const current = world.passports.find((p) => p.status === 'VALID' && !world.samples.some((s) => s.nik === p.nik))!;
    const previous = {
      number: unissuedPassportNumber(),
      nik: current.nik,
      status: 'EXPIRED' as const,
      issuedOn: '2014-03-10',
      expiresOn: '2019-03-10',
      issuingOffice: current.issuingOffice,
    };
    await immigration.db.insert(passports).values(previous);
    try {
      const response = await postGraphQL<{ _entities: { passports: { number: string }[] }[] }>(immigration.url, CITIZEN_PASSPORTS, {
        r: [{ __typename: 'Citizen', nik: current.nik }],
      });
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities[0]!.passports).toEqual([expectedPassport(current), expectedPassport(previous)]);
    } finally {
      await immigration.db.delete(passports).where(eq(passports.number, previous.number));
    }
  });

  it('reads one passport by number, as typed at the counter (lower case, stray spaces)', async () => {
    const passport = world.passports.find((p) => p.nik === world.samples[1]!.nik)!;
    for (const typed of [passport.number, ` ${passport.number.toLowerCase()} `]) {
      const response = await postGraphQL(immigration.url, PASSPORT, { number: typed });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ passport: expectedPassport(passport) });
    }
  });

  it('answers null, without error, for a well-formed passport number that was never issued', async () => {
    const response = await postGraphQL(immigration.url, PASSPORT, { number: unissuedPassportNumber() });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ passport: null });
  });

  it.each([
    ['C123456', 'PASSPORT_LENGTH'],
    ['12345678', 'PASSPORT_LETTER'],
    ['C12345X7', 'PASSPORT_DIGITS'],
  ])('rejects malformed passport number %s with BAD_USER_INPUT (%s)', async (number, rule) => {
    const response = await postGraphQL(immigration.url, PASSPORT, { number });
    expect(response.data).toEqual({ passport: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule, argument: 'number' });
    expect(response.errors![0]!.message).toMatch(/[Pp]assport/);
  });

  it('answers passports for 50 Citizen representations with one SQL statement', async () => {
    // Holders first, then citizens without a passport, so both shapes of answer are in one batch.
    const holders = [...new Set(world.passports.map((p) => p.nik))];
    const others = world.citizens.map((c) => c.nik).filter((nik) => !holders.includes(nik));
    const niks = [...holders.slice(0, 40), ...others].slice(0, 50);
    expect(niks).toHaveLength(50);
    expect(niks.some((nik) => !holders.includes(nik))).toBe(true);

    immigration.counter.reset();
    const response = await postGraphQL<{ _entities: { nik: string; passports: unknown[] }[] }>(immigration.url, CITIZEN_PASSPORTS, {
      r: niks.map((nik) => ({ __typename: 'Citizen', nik })),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual(niks.map((nik) => ({ nik, passports: expectedPassportsOf(nik) })));
    expect(immigration.counter.count).toBe(1);
  });

  it('resolves many Passport entities with one SQL statement, unknown numbers as null', async () => {
    const known = world.passports.slice(0, 40);
    expect(known.length).toBeGreaterThan(10);
    immigration.counter.reset();
    const response = await postGraphQL<{ _entities: unknown[] }>(
      immigration.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Passport { ${PASSPORT_FIELDS} } } }`,
      { r: [...known.map((p) => ({ __typename: 'Passport', number: p.number })), { __typename: 'Passport', number: unissuedPassportNumber() }] },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([...known.map(expectedPassport), null]);
    expect(immigration.counter.count).toBe(1);
  });
});
