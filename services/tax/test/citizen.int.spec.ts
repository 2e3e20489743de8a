import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { taxService } from '../src/app';
import type { TaxSchema } from '../src/db/schema';
import { hasData } from '../src/db/seed';
import { npwpOf, propertyTaxBillsOf } from './expected-answers';

const WORLD = { citizens: 120, seed: 7 };
const world = generateWorld(WORLD);
let tax: SubgraphOnPostgres<TaxSchema>;

beforeAll(async () => {
  tax = await startSubgraphOnPostgres(taxService, WORLD);
});

afterAll(async () => {
  await tax?.stop();
});

const NPWP_FIELD = 'npwp';
const BILL_FIELDS = 'propertyTaxBills { nop year amount status dueOn }';

interface CitizenAnswer {
  nik: string;
  npwp?: string | null;
  propertyTaxBills?: unknown[];
}

function citizenEntities(niks: string[], fields: string) {
  return postGraphQL<{ _entities: CitizenAnswer[] }>(
    tax.url,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { nik ${fields} } } }`,
    { r: niks.map((nik) => ({ __typename: 'Citizen', nik })) },
  );
}

describe('tax contributions to Citizen', () => {
  it('seeds the synthetic world once', async () => {
    expect(await hasData(tax.db)).toBe(true);
  });

  it.each(world.samples.map((sample) => [sample.fullName, sample.nik]))("answers %s's NPWP and PBB bills as the world has them", async (_name, nik) => {
    const response = await citizenEntities([nik], `${NPWP_FIELD} ${BILL_FIELDS}`);
    expect(response.errors).toBeUndefined();
    const [citizen] = response.data!._entities;
    expect(citizen!.npwp).toEqual(expect.any(String));
    expect(citizen!.propertyTaxBills!.length).toBeGreaterThan(0);
    expect(citizen).toEqual({ nik, npwp: npwpOf(world, nik), propertyTaxBills: propertyTaxBillsOf(world, nik) });
  });

  it('answers null and an empty list, without error, for citizens the tax office has no record of', async () => {
    const withoutRecords = world.citizens.find(
      (c) => !world.taxpayers.some((t) => t.nik === c.nik) && !world.propertyTaxBills.some((b) => b.ownerNik === c.nik),
    );
    expect(withoutRecords).toBeDefined();
    const unregisteredNik = '3510015005900001';
    expect(world.citizens.some((c) => c.nik === unregisteredNik)).toBe(false);

    const response = await citizenEntities([withoutRecords!.nik, unregisteredNik], `${NPWP_FIELD} ${BILL_FIELDS}`);
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toEqual([
      { nik: withoutRecords!.nik, npwp: null, propertyTaxBills: [] },
      { nik: unregisteredNik, npwp: null, propertyTaxBills: [] },
    ]);
  });

  describe('for 50 citizens at once', () => {
    const niks = world.citizens.slice(0, 50).map((c) => c.nik);

    it('holds some with and some without tax records, so the batch is meaningful', () => {
      const withNpwp = niks.filter((nik) => npwpOf(world, nik) !== null).length;
      const withBills = niks.filter((nik) => propertyTaxBillsOf(world, nik).length > 0).length;
      expect(withNpwp).toBeGreaterThan(1);
      expect(withNpwp).toBeLessThan(niks.length);
      expect(withBills).toBeGreaterThan(1);
      expect(withBills).toBeLessThan(niks.length);
    });

    it('costs one SQL statement per relation asked for', async () => {
      tax.counter.reset();
      const response = await citizenEntities(niks, `${NPWP_FIELD} ${BILL_FIELDS}`);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities).toEqual(
        niks.map((nik) => ({ nik, npwp: npwpOf(world, nik), propertyTaxBills: propertyTaxBillsOf(world, nik) })),
      );
      expect(tax.counter.count).toBe(2);
    });

    it.each([
      ['npwp', NPWP_FIELD],
      ['propertyTaxBills', BILL_FIELDS],
    ])('costs one SQL statement for %s alone', async (_relation, fields) => {
      tax.counter.reset();
      const response = await citizenEntities(niks, fields);
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities).toHaveLength(niks.length);
      expect(tax.counter.count).toBe(1);
    });

    it('resolves the references themselves without touching the database', async () => {
      tax.counter.reset();
      const response = await citizenEntities(niks, '');
      expect(response.errors).toBeUndefined();
      expect(response.data!._entities.map((c) => c.nik)).toEqual(niks);
      expect(tax.counter.count).toBe(0);
    });
  });
});
