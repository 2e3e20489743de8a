import { APPLICATION_STATUSES, type ApplicationTaskState } from '@simpul/events';
import { generateWorld, type SyntheticApplication } from '@simpul/synthetic-data';
import { postGraphQL } from '@simpul/testing';
import { deriveApplicationStatus } from '../src/modules/application/application-status';
import { schema } from '../src/db/schema';
import { hasData, seed } from '../src/db/seed';
import { catalogue, startApplicationsService, type ApplicationsHarness } from './support/applications-service';

// Large enough that some citizens have filed more than one application.
const WORLD = { citizens: 1000, seed: 7 };
const world = generateWorld(WORLD);
let service: ApplicationsHarness;

beforeAll(async () => {
  service = await startApplicationsService('applications');
  await seed(service.database.db, { ...WORLD, catalogue });
});

afterAll(async () => {
  await service?.stop();
});

interface ApplicationResult {
  id: string;
  type: string;
  status: string;
  submittedAt: string;
  mppOffice: string;
  applicant: { nik: string };
}

const APPLICATION_FIELDS = 'id type status submittedAt mppOffice applicant { nik }';
const CITIZEN_APPLICATIONS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { nik applications { ${APPLICATION_FIELDS} } } } }`;
const APPLICATION = `query ($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`;

const submittedTime = (application: SyntheticApplication) => new Date(application.submittedAt).getTime();
const applicationCounts = new Map<string, number>();
for (const a of world.applications) applicationCounts.set(a.applicantNik, (applicationCounts.get(a.applicantNik) ?? 0) + 1);
const applicantsWithSeveral = [...applicationCounts].filter(([, count]) => count > 1).map(([nik]) => nik);

function asAnswered(application: SyntheticApplication): ApplicationResult {
  return {
    id: application.id,
    type: application.type,
    status: application.status,
    submittedAt: new Date(application.submittedAt).toISOString(),
    mppOffice: application.mppOffice,
    applicant: { nik: application.applicantNik },
  };
}

/** What the MPP should answer for a citizen's applications: newest first. */
function expectedApplicationsOf(nik: string): ApplicationResult[] {
  return world.applications
    .filter((a) => a.applicantNik === nik)
    .sort((a, b) => submittedTime(b) - submittedTime(a) || a.id.localeCompare(b.id))
    .map(asAnswered);
}

async function applicationsOfCitizens(niks: readonly string[]) {
  const response = await postGraphQL<{ _entities: { nik: string; applications: ApplicationResult[] | null }[] }>(service.graphqlUrl, CITIZEN_APPLICATIONS, {
    r: niks.map((nik) => ({ __typename: 'Citizen', nik })),
  });
  expect(response.errors).toBeUndefined();
  return response.data!._entities;
}

describe('applications subgraph on Postgres', () => {
  it('seeds every application of the synthetic world once', async () => {
    expect(await hasData(service.database.db)).toBe(true);
    expect(await service.database.db.$count(schema.applications)).toBe(world.applications.length);
  });

  it("answers each sample citizen's applications as the world filed them", async () => {
    const niks = world.samples.map((s) => s.nik);
    const citizens = await applicationsOfCitizens(niks);
    for (const [index, nik] of niks.entries()) {
      const expected = expectedApplicationsOf(nik);
      expect(expected.length).toBeGreaterThan(0);
      expect(citizens[index]).toEqual({ nik, applications: expected });
    }
  });

  it("lists a citizen's applications newest first", async () => {
    expect(applicantsWithSeveral.length).toBeGreaterThan(0);
    for (const citizen of await applicationsOfCitizens(applicantsWithSeveral)) {
      const times = citizen.applications!.map((a) => Date.parse(a.submittedAt));
      expect(times.length).toBeGreaterThan(1);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('answers an empty list for a citizen who never applied', async () => {
    const citizen = world.citizens.find((c) => !world.applications.some((a) => a.applicantNik === c.nik))!;
    expect(await applicationsOfCitizens([citizen.nik])).toEqual([{ nik: citizen.nik, applications: [] }]);
  });

  it('reads an application by id', async () => {
    const application = world.applications[0]!;
    const response = await postGraphQL<{ application: ApplicationResult }>(service.graphqlUrl, APPLICATION, { id: application.id.toUpperCase() });
    expect(response.errors).toBeUndefined();
    expect(response.data!.application).toEqual(asAnswered(application));
  });

  it('answers null, without error, for a well-formed id that is not on file', async () => {
    const response = await postGraphQL(service.graphqlUrl, APPLICATION, { id: '00000000-0000-4000-8000-000000000000' });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ application: null });
  });

  it.each(['not-a-uuid', '', '12345', '3f2504e0-4f89-11d3-9a0c-0305e82c330g', '3f2504e04f8911d39a0c0305e82c3301'])(
    'rejects malformed id %p with BAD_USER_INPUT (UUID)',
    async (id) => {
      const response = await postGraphQL(service.graphqlUrl, APPLICATION, { id });
      expect(response.data).toEqual({ application: null });
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'UUID', argument: 'id' });
      expect(response.errors![0]!.message).toMatch(/UUID/);
    },
  );

  it('answers the applications of 50 Citizen representations with one SQL statement', async () => {
    const applicants = [...new Set([...applicantsWithSeveral, ...applicationCounts.keys()])].slice(0, 25);
    const others = world.citizens.map((c) => c.nik).filter((nik) => !applicationCounts.has(nik));
    const niks = [...applicants, ...others].slice(0, 50);
    expect(new Set(niks).size).toBe(50);
    service.counter.reset();
    const citizens = await applicationsOfCitizens(niks);
    expect(service.counter.count).toBe(1);
    expect(citizens).toEqual(niks.map((nik) => ({ nik, applications: expectedApplicationsOf(nik) })));
  });

  it('resolves many Application entities with one SQL statement, unknown and malformed keys as null', async () => {
    const known = world.applications.slice(0, 30);
    const ids = [...known.map((a) => a.id), '00000000-0000-4000-8000-000000000000', 'not-a-uuid'];
    service.counter.reset();
    const response = await postGraphQL<{ _entities: (ApplicationResult | null)[] }>(
      service.graphqlUrl,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Application { ${APPLICATION_FIELDS} } } }`,
      { r: ids.map((id) => ({ __typename: 'Application', id })) },
    );
    expect(response.errors).toBeUndefined();
    expect(service.counter.count).toBe(1);
    expect(response.data!._entities).toEqual([...known.map(asAnswered), null, null]);
  });

  it("seeds each application's tasks and timeline consistent with its status", async () => {
    // Up to eight applications of every status the world has.
    const sample = APPLICATION_STATUSES.flatMap((status) => world.applications.filter((a) => a.status === status).slice(0, 8));
    const response = await postGraphQL<{ _entities: DetailedApplication[] }>(service.graphqlUrl, APPLICATION_DETAILS, {
      r: sample.map((a) => ({ __typename: 'Application', id: a.id })),
    });
    expect(response.errors).toBeUndefined();
    const statuses = new Set<string>();
    for (const [index, application] of response.data!._entities.entries()) {
      const synthetic = sample[index]!;
      const type = catalogue.applicationTypes.get(synthetic.type)!;
      statuses.add(application.status);
      expect(application.status).toBe(synthetic.status);
      expect(deriveApplicationStatus(application.tasks.map((t) => t.status))).toBe(synthetic.status);
      expect(application.tasks.map((t) => t.stepId)).toEqual(type.orderedSteps.map((s) => s.id));
      expect(application.timeline[0]).toMatchObject({ kind: 'SUBMITTED', applicationStatus: 'SUBMITTED', occurredAt: new Date(synthetic.submittedAt).toISOString() });
      const sequences = application.timeline.map((e) => Number(e.sequence));
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      const lastStatus = application.timeline.filter((e) => e.kind === 'STATUS_CHANGED' || e.kind === 'SUBMITTED').at(-1);
      expect(lastStatus?.applicationStatus).toBe(synthetic.status);
      // Open tasks of applications filed months before the seeding are long overdue.
      const open = application.tasks.some((t) => ['ASSIGNED', 'RECEIVED', 'IN_REVIEW'].includes(t.status));
      expect(application.slaBreached).toBe(open);
      expect(application.timeline.some((e) => e.kind === 'SLA_BREACHED')).toBe(open);
    }
    expect([...statuses].sort()).toEqual([...APPLICATION_STATUSES].sort());
  });

  it('answers tasks, timeline and SLA flag of 40 applications with three SQL statements', async () => {
    const ids = world.applications.slice(0, 40).map((a) => a.id);
    service.counter.reset();
    const response = await postGraphQL<{ _entities: DetailedApplication[] }>(service.graphqlUrl, APPLICATION_DETAILS, {
      r: ids.map((id) => ({ __typename: 'Application', id })),
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!._entities).toHaveLength(40);
    // Applications, their tasks (shared by tasks and slaBreached), their timelines.
    expect(service.counter.count).toBe(3);
  });
});

interface DetailedApplication {
  status: string;
  slaBreached: boolean;
  tasks: { stepId: string; status: ApplicationTaskState }[];
  timeline: { sequence: string; kind: string; occurredAt: string; applicationStatus: string | null }[];
}

const APPLICATION_DETAILS = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Application {
  status slaBreached tasks { stepId status } timeline { sequence kind occurredAt applicationStatus }
} } }`;
