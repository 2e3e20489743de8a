// The world is seed data for every service, so each identifier must pass the same parser the
// services validate input with, and every reference must resolve.
import { generateWorld, type World } from '../src';
import { expectDatesNotAfter, expectIdentifiersValid, expectKeysUnique, expectReferencesConsistent } from './world-assertions';

describe.each([
  ['the default world', {}, '2026-01-01'],
  ['a 50-citizen world', { citizens: 50, seed: 3 }, '2026-01-01'],
  ['a 10,000-citizen world', { citizens: 10_000, seed: 42 }, '2026-01-01'],
  ['a world dated mid-2025', { citizens: 1_500, seed: 11, today: '2025-07-15' }, '2025-07-15'],
])('%s', (_name, options, today) => {
  let world: World;
  beforeAll(() => {
    world = generateWorld(options);
  });

  it('has exactly the requested number of citizens', () => {
    expect(world.citizens).toHaveLength('citizens' in options ? options.citizens : 2000);
  });

  it('only holds identifiers that pass their @simpul/identifiers parser', () => {
    expectIdentifiersValid(world, today);
  });

  it('never repeats a key', () => {
    expectKeysUnique(world);
  });

  it('only refers to citizens, plates and family cards that exist', () => {
    expectReferencesConsistent(world);
  });

  it('dates nothing that already happened after today', () => {
    expectDatesNotAfter(world, today);
  });

  it('sets bill statuses relative to today', () => {
    const bills = [...world.propertyTaxBills, ...world.vehicleTaxes];
    expect(bills.filter((bill) => bill.dueOn < today && bill.status === 'UNPAID')).toEqual([]);
    expect(bills.filter((bill) => bill.dueOn >= today && bill.status === 'OVERDUE')).toEqual([]);
  });
});
