import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { policeService } from '../src/app';
import type { PoliceSchema } from '../src/db/schema';
import { vehicleAnswer } from './expected-answers';

const WORLD = { citizens: 120, seed: 11 };
const world = generateWorld(WORLD);
let police: SubgraphOnPostgres<PoliceSchema>;

beforeAll(async () => {
  police = await startSubgraphOnPostgres(policeService, WORLD);
});

afterAll(async () => {
  await police?.stop();
});

const VEHICLE_FIELDS = 'plateNumber kind brand model manufactureYear stnkExpiresOn owner { nik }';
const VEHICLE = `query ($plateNumber: String!) { vehicle(plateNumber: $plateNumber) { ${VEHICLE_FIELDS} } }`;

describe('Query.vehicle', () => {
  it("finds a sample citizen's vehicle by its plate in any spacing or case", async () => {
    const sampleNiks = new Set(world.samples.map((s) => s.nik));
    const vehicle = world.vehicles.find((v) => sampleNiks.has(v.ownerNik));
    expect(vehicle).toBeDefined();
    const typed = vehicle!.plateNumber.replace(/\s+/g, '').toLowerCase();

    const response = await postGraphQL(police.url, VEHICLE, { plateNumber: typed });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ vehicle: vehicleAnswer(vehicle!) });
  });

  it('answers null, without error, for a well-formed plate that is not registered', async () => {
    const plateNumber = 'BM 9999 ZZZ';
    expect(world.vehicles.some((v) => v.plateNumber === plateNumber)).toBe(false);
    const response = await postGraphQL(police.url, VEHICLE, { plateNumber });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ vehicle: null });
  });

  it.each([
    ['1234 AB', 'PLATE_FORMAT'],
    ['BM-1234-AB', 'PLATE_FORMAT'],
    ['QQ 1234 AB', 'PLATE_REGION'],
    ['BMX 1234 AB', 'PLATE_REGION'],
    ['BM 12345 AB', 'PLATE_NUMBER'],
    ['BM 0123 AB', 'PLATE_NUMBER'],
    ['BM 1234 ABCD', 'PLATE_SUFFIX'],
  ])('rejects the malformed plate %s with BAD_USER_INPUT (%s)', async (plateNumber, rule) => {
    const response = await postGraphQL(police.url, VEHICLE, { plateNumber });
    expect(response.data).toEqual({ vehicle: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule, argument: 'plateNumber' });
    expect(response.errors![0]!.message).toMatch(/plate/i);
  });
});

describe('Vehicle entities', () => {
  it('resolves many Vehicle references with one SQL statement, null for an unknown plate', async () => {
    const vehicles = world.vehicles.slice(0, 60);
    expect(vehicles.length).toBeGreaterThan(10);
    const unknownPlate = 'BM 9999 ZZZ';
    const plates = [...vehicles.map((v) => v.plateNumber), unknownPlate];

    police.counter.reset();
    const response = await postGraphQL<{ _entities: unknown[] }>(
      police.url,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Vehicle { ${VEHICLE_FIELDS} } } }`,
      { r: plates.map((plateNumber) => ({ __typename: 'Vehicle', plateNumber })) },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([...vehicles.map(vehicleAnswer), null]);
    expect(police.counter.count).toBe(1);
  });
});
