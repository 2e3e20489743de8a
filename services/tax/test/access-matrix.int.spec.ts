import { randomUUID } from 'node:crypto';
import { npwpCheckDigit } from '@simpul/identifiers';
import { generateWorld } from '@simpul/synthetic-data';
import { runSubgraphAccessMatrix, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { taxService, typeDefs } from '../src/app';
import { businessTaxpayers, type TaxSchema } from '../src/db/schema';

// The generated role × field matrix (packages/testing, access-matrix.ts) run directly against this
// subgraph with signed contexts: every field of its SDL, from its root fields and from `_entities`,
// for every caller of the security contract, with and without a purpose; and no answer at all
// without a valid context.
const WORLD = { citizens: 60, seed: 4 };
const world = generateWorld(WORLD);
const nik = world.samples[0]!.nik;
const taxpayer = world.taxpayers.find((candidate) => candidate.nik === nik)!;
const bill = world.propertyTaxBills.find((candidate) => candidate.ownerNik === nik)!;
const vehicle = world.vehicles.find((candidate) => candidate.ownerNik === nik)!;
const BUSINESS_NPWP = `01987654${npwpCheckDigit('01987654')}210000`;

let tax: SecuredSubgraphOnPostgres<TaxSchema>;

beforeAll(async () => {
  tax = await startSecuredSubgraphOnPostgres(taxService, WORLD);
  // Business taxpayers come from REGISTER_NPWP tasks, not from the seeded world: one for the sample citizen.
  await tax.db.insert(businessTaxpayers).values({
    npwp: BUSINESS_NPWP,
    nib: '9120001234567',
    name: 'CV Matrix Sejahtera',
    address: 'Jl. Merdeka No. 1',
    responsibleNik: nik,
    registeredOn: '2026-01-02',
    taskId: randomUUID(),
  });
});

afterAll(async () => {
  await tax?.stop();
});

it('gives every caller exactly the fields the SDL grants it, through root fields and _entities', async () => {
  const result = await runSubgraphAccessMatrix({
    subgraph: 'tax',
    typeDefs,
    url: tax.url,
    privateKey: tax.keys.privateKey,
    someoneElse: '3510015005900001',
    entries: {
      root: {
        taxpayer: { args: { npwp: taxpayer.npwp }, subjects: [nik] },
        businessTaxpayer: { args: { npwp: BUSINESS_NPWP }, subjects: [nik] },
        propertyTaxBills: { args: { nop: bill.nop }, subjects: [nik] },
        vehicleTax: { args: { plateNumber: vehicle.plateNumber }, subjects: [nik] },
      },
      entities: {
        Citizen: { representation: { nik }, subjects: [nik] },
        Vehicle: { representation: { plateNumber: vehicle.plateNumber }, subjects: [nik] },
      },
    },
  });
  expect(result.failures).toEqual([]);
  expect(result.contextFailures).toEqual([]);
  // Every field the SDL declares was probed, and the seeded data reached it.
  expect(result.unprobed).toEqual([]);
  expect(result.unreachable.map((probe) => `${probe.entry} → ${probe.target}`)).toEqual([]);
});
