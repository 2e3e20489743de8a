import { generateWorld } from '@simpul/synthetic-data';
import { runSubgraphAccessMatrix, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { dukcapilService, typeDefs } from '../src/app';
import type { DukcapilSchema } from '../src/db/schema';

// The generated role × field matrix (packages/testing, access-matrix.ts) run directly against this
// subgraph with signed contexts: every field of the SDL, from `citizen`, `familyCard`, `verifyCitizen`
// and from `_entities`, for every caller of the security contract.
const WORLD = { citizens: 60, seed: 4 };
const world = generateWorld(WORLD);
const sample = world.citizens.find((citizen) => citizen.nik === world.samples[0]!.nik)!;
const card = world.familyCards.find((familyCard) => familyCard.number === sample.familyCardNumber)!;
const NOBODY = '3510015005900001';

let dukcapil: SecuredSubgraphOnPostgres<DukcapilSchema>;

beforeAll(async () => {
  dukcapil = await startSecuredSubgraphOnPostgres(dukcapilService, WORLD);
});

afterAll(async () => {
  await dukcapil?.stop();
});

it('gives every caller exactly the fields the SDL grants it, through root fields and _entities', async () => {
  const result = await runSubgraphAccessMatrix({
    subgraph: 'dukcapil',
    typeDefs,
    url: dukcapil.url,
    privateKey: dukcapil.keys.privateKey,
    someoneElse: NOBODY,
    entries: {
      root: {
        citizen: { args: { nik: sample.nik }, subjects: [sample.nik] },
        familyCard: { args: { number: card.number }, subjects: [card.headNik] },
        verifyCitizen: {
          args: {
            nik: sample.nik,
            claims: {
              fullName: sample.fullName,
              birthDate: sample.birthDate,
              birthPlace: sample.birthPlace,
              familyCardNumber: sample.familyCardNumber,
              addressRegency: sample.address.regencyName,
            },
          },
          subjects: [sample.nik],
        },
      },
      entities: {
        Citizen: { representation: { nik: sample.nik }, subjects: [sample.nik] },
        FamilyCard: { representation: { number: card.number }, subjects: [card.headNik] },
      },
    },
  });
  expect(result.failures).toEqual([]);
  expect(result.contextFailures).toEqual([]);
  expect(result.unreachable.map((probe) => `${probe.entry} → ${probe.target}`)).toEqual([]);
  // Every field of every type, from a root field and (for what an entity reaches) from _entities.
  expect(new Set(result.probes.map((probe) => probe.target)).size).toBe(38);
});
