import { generateWorld } from '@simpul/synthetic-data';
import { runSubgraphAccessMatrix, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { immigrationService, typeDefs } from '../src/app';
import type { ImmigrationSchema } from '../src/db/schema';

// The generated role × field matrix (packages/testing, access-matrix.ts) run directly against this
// subgraph with signed contexts: every field of its SDL, from its root fields and from `_entities`,
// for every caller of the security contract, with and without a purpose; and no answer at all
// without a valid context.
const WORLD = { citizens: 60, seed: 4 };
const world = generateWorld(WORLD);
const nik = world.samples[0]!.nik;
const passport = world.passports.find((candidate) => candidate.nik === nik)!;

let immigration: SecuredSubgraphOnPostgres<ImmigrationSchema>;

beforeAll(async () => {
  immigration = await startSecuredSubgraphOnPostgres(immigrationService, WORLD);
});

afterAll(async () => {
  await immigration?.stop();
});

it('gives every caller exactly the fields the SDL grants it, through root fields and _entities', async () => {
  const result = await runSubgraphAccessMatrix({
    subgraph: 'immigration',
    typeDefs,
    url: immigration.url,
    privateKey: immigration.keys.privateKey,
    someoneElse: '3510015005900001',
    entries: {
      root: { passport: { args: { number: passport.number }, subjects: [nik] } },
      entities: {
        Citizen: { representation: { nik }, subjects: [nik] },
        Passport: { representation: { number: passport.number }, subjects: [nik] },
      },
    },
  });
  expect(result.failures).toEqual([]);
  expect(result.contextFailures).toEqual([]);
  // Every field the SDL declares was probed, and the seeded data reached it.
  expect(result.unprobed).toEqual([]);
  expect(result.unreachable.map((probe) => `${probe.entry} → ${probe.target}`)).toEqual([]);
});
