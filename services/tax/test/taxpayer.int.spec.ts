import { npwpCheckDigit } from '@simpul/identifiers';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { taxService } from '../src/app';
import type { TaxSchema } from '../src/db/schema';
import { npwpAnswer } from './expected-answers';

const WORLD = { citizens: 120, seed: 13 };
const world = generateWorld(WORLD);
let tax: SubgraphOnPostgres<TaxSchema>;

beforeAll(async () => {
  tax = await startSubgraphOnPostgres(taxService, WORLD);
});

afterAll(async () => {
  await tax?.stop();
});

const TAXPAYER = 'query ($npwp: String!) { taxpayer(npwp: $npwp) { npwp registeredOn citizen { nik } } }';
const DOTTED_NPWP = /^\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}$/;

/** A 15-digit NPWP with a correct check digit (digit 9) after the given first 8 digits. */
const legacyNpwp = (firstEight: string, rest = '123000') => `${firstEight}${npwpCheckDigit(firstEight)}${rest}`;

describe('Query.taxpayer', () => {
  it('finds a legacy taxpayer by the 15 digits or the dotted form, and shows the NPWP dotted', async () => {
    const taxpayer = world.taxpayers.find((t) => t.npwp.length === 15);
    expect(taxpayer).toBeDefined();
    const dotted = npwpAnswer(taxpayer!.npwp);
    expect(dotted).toMatch(DOTTED_NPWP);
    expect(dotted.replace(/\D/g, '')).toBe(taxpayer!.npwp);

    for (const npwp of [taxpayer!.npwp, dotted]) {
      const response = await postGraphQL(tax.url, TAXPAYER, { npwp });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ taxpayer: { npwp: dotted, registeredOn: taxpayer!.registeredOn, citizen: { nik: taxpayer!.nik } } });
    }
  });

  it('finds a taxpayer whose NPWP is their 16-digit NIK, and shows it as digits', async () => {
    const taxpayer = world.taxpayers.find((t) => t.npwp.length === 16);
    expect(taxpayer).toBeDefined();
    const response = await postGraphQL(tax.url, TAXPAYER, { npwp: taxpayer!.npwp });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ taxpayer: { npwp: taxpayer!.npwp, registeredOn: taxpayer!.registeredOn, citizen: { nik: taxpayer!.nik } } });
  });

  it('answers null, without error, for well-formed NPWPs that are not registered', async () => {
    const unregistered = [legacyNpwp('09876543', '999000'), '3510015005900001'];
    for (const npwp of unregistered) {
      expect(world.taxpayers.some((t) => t.npwp === npwp)).toBe(false);
      const response = await postGraphQL(tax.url, TAXPAYER, { npwp });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ taxpayer: null });
    }
  });

  const wrongCheckDigit = (() => {
    const valid = legacyNpwp('12345678');
    return `${valid.slice(0, 8)}${(Number(valid[8]) + 1) % 10}${valid.slice(9)}`;
  })();

  it.each([
    ['12.345.678.9-012.34', 'NPWP_FORMAT'],
    ['NPWP 123456789012345', 'NPWP_FORMAT'],
    ['1234567890123', 'NPWP_LENGTH'],
    [wrongCheckDigit, 'NPWP_CHECK_DIGIT'],
    ['9910015005900001', 'NPWP_NIK'],
  ])('rejects the malformed NPWP %s with BAD_USER_INPUT (%s)', async (npwp, rule) => {
    const response = await postGraphQL(tax.url, TAXPAYER, { npwp });
    expect(response.data).toEqual({ taxpayer: null });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule, argument: 'npwp' });
    expect(response.errors![0]!.message).toMatch(/NPWP/);
  });
});

describe('Query.businessTaxpayer', () => {
  const BUSINESS_TAXPAYER = 'query ($npwp: String!) { businessTaxpayer(npwp: $npwp) { npwp } }';

  it('answers null for an unregistered NPWP (an individual’s included), and BAD_USER_INPUT for a malformed one', async () => {
    const individual = world.taxpayers.find((t) => t.npwp.length === 15)!;
    for (const npwp of [legacyNpwp('01000001'), individual.npwp]) {
      const response = await postGraphQL(tax.url, BUSINESS_TAXPAYER, { npwp });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ businessTaxpayer: null });
    }
    const malformed = await postGraphQL(tax.url, BUSINESS_TAXPAYER, { npwp: '1234567890123' });
    expect(malformed.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'npwp', rule: 'NPWP_LENGTH' });
  });
});
