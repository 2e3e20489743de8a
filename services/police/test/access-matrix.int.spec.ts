import { randomUUID } from 'node:crypto';
import { generateWorld } from '@simpul/synthetic-data';
import { runSubgraphAccessMatrix, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { policeService, typeDefs } from '../src/app';
import { stnkValidations, type PoliceSchema } from '../src/db/schema';

// The generated role × field matrix (packages/testing, access-matrix.ts) run directly against this
// subgraph with signed contexts: every field of its SDL, from its root fields and from `_entities`,
// for every caller of the security contract, with and without a purpose; and no answer at all
// without a valid context.
const WORLD = { citizens: 60, seed: 4 };
const world = generateWorld(WORLD);
const nik = world.samples[0]!.nik;
const vehicle = world.vehicles.find((candidate) => candidate.ownerNik === nik)!;
const licence = world.drivingLicences.find((candidate) => candidate.nik === nik)!;

let police: SecuredSubgraphOnPostgres<PoliceSchema>;

beforeAll(async () => {
  police = await startSecuredSubgraphOnPostgres(policeService, WORLD);
  // The seeded world has no STNK validation yet; one (as a VALIDATE_STNK task records it) puts StnkValidation in reach.
  await police.db.insert(stnkValidations).values({
    number: 'STNK/2026/00000001',
    plateNumber: vehicle.plateNumber,
    applicantNik: nik,
    validatedOn: '2026-01-02',
    validUntil: '2027-01-02',
    taskId: randomUUID(),
  });
});

afterAll(async () => {
  await police?.stop();
});

it('gives every caller exactly the fields the SDL grants it, through root fields and _entities', async () => {
  const result = await runSubgraphAccessMatrix({
    subgraph: 'police',
    typeDefs,
    url: police.url,
    privateKey: police.keys.privateKey,
    someoneElse: '3510015005900001',
    entries: {
      root: {
        vehicle: { args: { plateNumber: vehicle.plateNumber }, subjects: [nik] },
        drivingLicence: { args: { number: licence.number }, subjects: [nik] },
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
