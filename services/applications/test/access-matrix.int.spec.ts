import { generateWorld } from '@simpul/synthetic-data';
import { eq } from 'drizzle-orm';
import { runSubgraphAccessMatrix, startSecuredSubgraphOnPostgres, type SecuredSubgraphOnPostgres } from '@simpul/testing';
import { join } from 'node:path';
import { SERVICE_NAME, createApplicationsSubgraph, typeDefs } from '../src/app';
import type { ApplicationsRuntime } from '../src/context';
import { applicationTasks, schema, type ApplicationsSchema } from '../src/db/schema';
import { seed } from '../src/db/seed';
import { createApplicationsRuntime } from '../src/runtime';
import { TEST_PEPPER, catalogue } from './support/applications-service';

// The generated role × field matrix (packages/testing, access-matrix.ts) run directly against this
// subgraph with signed contexts: every field of its SDL, from its root fields and from `_entities`,
// for every caller of the security contract, with and without a purpose; and no answer at all
// without a valid context.
const WORLD = { citizens: 60, seed: 4 };
const world = generateWorld(WORLD);
const nik = world.samples[0]!.nik;
const application = world.applications.find((candidate) => candidate.applicantNik === nik)!;
// Filed for someone else than the probed citizen, whose list of applications must not change under the probes.
const filer = world.vehicles.find((candidate) => candidate.ownerNik !== nik)!;

let applications: SecuredSubgraphOnPostgres<ApplicationsSchema>;
let runtime: ApplicationsRuntime | undefined;

beforeAll(async () => {
  applications = await startSecuredSubgraphOnPostgres(
    {
      name: SERVICE_NAME,
      schema,
      migrationsFolder: join(__dirname, '../migrations'),
      demoData: { seed: (db, options) => seed(db, { ...options, catalogue }) },
      createSubgraph: ({ db, logger, internalContextPublicKey }) => {
        runtime = createApplicationsRuntime({ db, logger, catalogue, nikHashPepper: TEST_PEPPER, timelinePollIntervalMs: 100 });
        return createApplicationsSubgraph({ runtime, internalContextPublicKey });
      },
    },
    WORLD,
  );
  // A document its first task issued, so ApplicationDocument is within reach whatever the seeded history.
  const [task] = await applications.db.select().from(applicationTasks).where(eq(applicationTasks.applicationId, application.id)).limit(1);
  await applications.db.update(applicationTasks).set({ documents: [{ kind: 'NIB', number: '9120001234567' }] }).where(eq(applicationTasks.id, task!.id));
});

afterAll(async () => {
  runtime?.watcher.stop();
  await applications?.stop();
});

it('gives every caller exactly the fields the SDL grants it, through root fields and _entities', async () => {
  const result = await runSubgraphAccessMatrix({
    subgraph: 'applications',
    typeDefs,
    url: applications.url,
    privateKey: applications.keys.privateKey,
    someoneElse: '3510015005900001',
    entries: {
      root: {
        application: { args: { id: application.id }, subjects: [nik] },
        // Only the counter may file an application; every permitted probe files one.
        submitApplication: {
          args: { input: { type: 'VEHICLE_ANNUAL_RENEWAL', applicantNik: filer.ownerNik, mppOffice: 'MPP Siak', inputs: [{ name: 'plateNumber', value: filer.plateNumber }] } },
          subjects: [filer.ownerNik],
        },
      },
      entities: {
        Citizen: { representation: { nik }, subjects: [nik] },
        Application: { representation: { id: application.id }, subjects: [nik] },
      },
    },
  });
  expect(result.failures).toEqual([]);
  expect(result.contextFailures).toEqual([]);
  // Every field the SDL declares was probed, and the seeded data reached it.
  expect(result.unprobed).toEqual([]);
  expect(result.unreachable.map((probe) => `${probe.entry} → ${probe.target}`)).toEqual([]);
});
