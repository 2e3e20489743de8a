import { formatNop } from '@simpul/identifiers';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { taxService } from '../src/app';
import type { TaxSchema } from '../src/db/schema';
import { propertyTaxBillsByNop } from './expected-answers';

const WORLD = { citizens: 80, seed: 17 };
const world = generateWorld(WORLD);
let tax: SubgraphOnPostgres<TaxSchema>;

beforeAll(async () => {
  tax = await startSubgraphOnPostgres(taxService, WORLD);
});

afterAll(async () => {
  await tax?.stop();
});

const PROPERTY_TAX_BILLS = 'query ($nop: String!) { propertyTaxBills(nop: $nop) { nop year amount status dueOn } }';

describe('Query.propertyTaxBills', () => {
  it("lists every year's bill of a sample citizen's tax object, newest first, by plain or dotted NOP", async () => {
    const sampleNiks = new Set(world.samples.map((s) => s.nik));
    const bill = world.propertyTaxBills.find((b) => sampleNiks.has(b.ownerNik));
    expect(bill).toBeDefined();
    const expected = propertyTaxBillsByNop(world, bill!.nop);

    for (const nop of [bill!.nop, formatNop(bill!.nop)]) {
      const response = await postGraphQL(tax.url, PROPERTY_TAX_BILLS, { nop });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ propertyTaxBills: expected });
    }
  });

  it('answers an empty list, without error, for a well-formed NOP with no bills', async () => {
    const nop = '351001001000199990';
    expect(world.propertyTaxBills.some((b) => b.nop === nop)).toBe(false);
    const response = await postGraphQL(tax.url, PROPERTY_TAX_BILLS, { nop });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ propertyTaxBills: [] });
  });

  it.each([
    ['35100100100100010', 'NOP_LENGTH'],
    ['3510010010010001O0', 'NOP_DIGITS'],
    ['35.10.010.010.010.00010', 'NOP_FORMAT'],
    ['991001001001000010', 'NOP_PROVINCE'],
    ['351001001000000010', 'NOP_BLOCK'],
  ])('rejects the malformed NOP %s with BAD_USER_INPUT (%s)', async (nop, rule) => {
    const response = await postGraphQL(tax.url, PROPERTY_TAX_BILLS, { nop });
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule, argument: 'nop' });
    expect(response.errors![0]!.message).toMatch(/NOP/);
  });
});
