import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { policeService } from '../src/app';
import type { PoliceSchema } from '../src/db/schema';
import { drivingLicenceAnswer } from './expected-answers';

const WORLD = { citizens: 80, seed: 13 };
const world = generateWorld(WORLD);
let police: SubgraphOnPostgres<PoliceSchema>;

beforeAll(async () => {
  police = await startSubgraphOnPostgres(policeService, WORLD);
});

afterAll(async () => {
  await police?.stop();
});

const DRIVING_LICENCE = 'query ($number: String!) { drivingLicence(number: $number) { number class issuedOn expiresOn } }';

describe('Query.drivingLicence', () => {
  it("finds a sample citizen's SIM by its number, plain or in the printed 4-4-4 grouping", async () => {
    const sampleNiks = new Set(world.samples.map((s) => s.nik));
    const licence = world.drivingLicences.find((l) => sampleNiks.has(l.nik));
    expect(licence).toBeDefined();
    const printed = licence!.number.replace(/^(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3');

    for (const number of [licence!.number, printed]) {
      const response = await postGraphQL(police.url, DRIVING_LICENCE, { number });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ drivingLicence: drivingLicenceAnswer(licence!) });
    }
  });

  it('answers null, without error, for a well-formed SIM number that was not issued', async () => {
    const number = '129914089999';
    expect(world.drivingLicences.some((l) => l.number === number)).toBe(false);
    const response = await postGraphQL(police.url, DRIVING_LICENCE, { number });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ drivingLicence: null });
  });

  it.each([
    ['05891408001', 'SIM_LENGTH'],
    ['0589-1408-001A', 'SIM_FORMAT'],
    ['135914080012', 'SIM_BIRTH_MONTH'],
    ['058900000012', 'SIM_REGION'],
    ['058914080000', 'SIM_SERIAL'],
  ])('rejects the malformed SIM number %s with BAD_USER_INPUT (%s)', async (number, rule) => {
    const response = await postGraphQL(police.url, DRIVING_LICENCE, { number });
    expect(response.data).toEqual({ drivingLicence: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule, argument: 'number' });
    expect(response.errors![0]!.message).toMatch(/SIM/);
  });
});
