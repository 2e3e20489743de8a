import { generateWorld } from '@simpul/synthetic-data';
import { runSubgraphAccessMatrix, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { religiousAffairsService, typeDefs } from '../src/app';
import type { ReligiousAffairsSchema } from '../src/db/schema';

// The generated role × field matrix (packages/testing, access-matrix.ts) run directly against this
// subgraph with signed contexts: every field of its SDL, from its root fields and from `_entities`,
// for every caller of the security contract, with and without a purpose; and no answer at all
// without a valid context.
const WORLD = { citizens: 60, seed: 4 };
const world = generateWorld(WORLD);
const nik = world.samples[0]!.nik;
const marriage = world.marriages.find((candidate) => candidate.husbandNik === nik || candidate.wifeNik === nik)!;
const spouse = marriage.husbandNik === nik ? marriage.wifeNik : marriage.husbandNik;

let religiousAffairs: SecuredSubgraphOnPostgres<ReligiousAffairsSchema>;

beforeAll(async () => {
  religiousAffairs = await startSecuredSubgraphOnPostgres(religiousAffairsService, WORLD);
});

afterAll(async () => {
  await religiousAffairs?.stop();
});

it('gives every caller exactly the fields the SDL grants it, through root fields and _entities', async () => {
  const result = await runSubgraphAccessMatrix({
    subgraph: 'religious-affairs',
    typeDefs,
    url: religiousAffairs.url,
    privateKey: religiousAffairs.keys.privateKey,
    someoneElse: '3510015005900001',
    entries: {
      // A marriage is both spouses' data.
      root: { marriage: { args: { id: marriage.id }, subjects: [nik, spouse] } },
      entities: {
        Citizen: { representation: { nik }, subjects: [nik] },
        Marriage: { representation: { id: marriage.id }, subjects: [nik, spouse] },
      },
    },
  });
  expect(result.failures).toEqual([]);
  expect(result.contextFailures).toEqual([]);
  // Every field the SDL declares was probed, and the seeded data reached it.
  expect(result.unprobed).toEqual([]);
  expect(result.unreachable.map((probe) => `${probe.entry} → ${probe.target}`)).toEqual([]);
});
