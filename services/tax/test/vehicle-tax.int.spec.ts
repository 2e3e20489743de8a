import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { taxService } from '../src/app';
import type { TaxSchema } from '../src/db/schema';
import { vehicleTaxOf } from './expected-answers';

const WORLD = { citizens: 120, seed: 11 };
const world = generateWorld(WORLD);
let tax: SubgraphOnPostgres<TaxSchema>;

beforeAll(async () => {
  tax = await startSubgraphOnPostgres(taxService, WORLD);
});

afterAll(async () => {
  await tax?.stop();
});

function vehicleEntities(plateNumbers: string[]) {
  return postGraphQL<{ _entities: unknown[] }>(
    tax.url,
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Vehicle { plateNumber taxDue { amount dueOn status } } } }',
    { r: plateNumbers.map((plateNumber) => ({ __typename: 'Vehicle', plateNumber })) },
  );
}

describe('Vehicle.taxDue (PKB)', () => {
  it("answers a sample citizen's vehicle tax as the world has it", async () => {
    const sampleNiks = new Set(world.samples.map((s) => s.nik));
    const vehicle = world.vehicles.find((v) => sampleNiks.has(v.ownerNik) && vehicleTaxOf(world, v.plateNumber) !== null);
    expect(vehicle).toBeDefined();

    const response = await vehicleEntities([vehicle!.plateNumber]);
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([{ plateNumber: vehicle!.plateNumber, taxDue: vehicleTaxOf(world, vehicle!.plateNumber) }]);
  });

  it('answers null, without error, for a plate with no PKB record', async () => {
    const plateNumber = 'BM 9999 ZZZ';
    expect(world.vehicleTaxes.some((t) => t.plateNumber === plateNumber)).toBe(false);
    const response = await vehicleEntities([plateNumber]);
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([{ plateNumber, taxDue: null }]);
  });

  it('loads the PKB of many vehicles with one SQL statement', async () => {
    const plateNumbers = [...world.vehicles.slice(0, 60).map((v) => v.plateNumber), 'BM 9999 ZZZ'];
    expect(plateNumbers.filter((plateNumber) => vehicleTaxOf(world, plateNumber) !== null).length).toBeGreaterThan(10);

    tax.counter.reset();
    const response = await vehicleEntities(plateNumbers);
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual(plateNumbers.map((plateNumber) => ({ plateNumber, taxDue: vehicleTaxOf(world, plateNumber) })));
    expect(tax.counter.count).toBe(1);
  });
});

describe('Query.vehicleTax', () => {
  const VEHICLE_TAX = 'query ($plate: String!) { vehicleTax(plateNumber: $plate) { plateNumber amount dueOn status receiptNumber paidOn } }';

  it("answers a plate's PKB, typed in any spacing or case, with no receipt before the tax office recorded a payment", async () => {
    const vehicleTax = world.vehicleTaxes[0]!;
    const response = await postGraphQL(tax.url, VEHICLE_TAX, { plate: vehicleTax.plateNumber.replace(/ /g, '').toLowerCase() });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      vehicleTax: { plateNumber: vehicleTax.plateNumber, ...vehicleTaxOf(world, vehicleTax.plateNumber), receiptNumber: null, paidOn: null },
    });
  });

  it('answers null for a plate with no PKB record, and BAD_USER_INPUT for a malformed plate', async () => {
    expect((await postGraphQL(tax.url, VEHICLE_TAX, { plate: 'BM 9999 ZZZ' })).data).toEqual({ vehicleTax: null });
    const malformed = await postGraphQL(tax.url, VEHICLE_TAX, { plate: 'BM 12345 AB' });
    expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'plateNumber', rule: 'PLATE_NUMBER' });
  });
});
