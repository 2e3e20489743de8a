import { dukcapilService } from '@simpul/dukcapil';
import { PermanentEventError, uuidv7, type TaskDecision } from '@simpul/events';
import { parseNik } from '@simpul/identifiers';
import { createGatewayClient, GatewayQueryError } from '@simpul/service-kit';
import { generateWorld, type SyntheticCitizen } from '@simpul/synthetic-data';
import { citizenAccesses, freePort, postGraphQL, startSubgraphOnPostgres, taskDecider, type SubgraphOnPostgres } from '@simpul/testing';
import { eq, sql } from 'drizzle-orm';
import { religiousAffairsService } from '../src/app';
import { marriages, taskApprovals, type ReligiousAffairsSchema } from '../src/db/schema';
import { createCivilRegistry, type CivilRegistry } from '../src/modules/marriage/civil-registry';
import { MARRIAGE_CERTIFICATE_NUMBER } from '../src/modules/marriage/marriage-certificate';
import { createReligiousAffairsTaskHandlers } from '../src/tasks';

// The KUA with the real Dukcapil subgraph standing in for the gateway (it answers the same root
// fields), both seeded from one synthetic world so they know the same people.
const WORLD = { citizens: 200, seed: 7 };
const world = generateWorld(WORLD);
const UNREGISTERED_NIK = '3510015005900001';

let dukcapil: SubgraphOnPostgres<typeof dukcapilService.schema>;
let kua: SubgraphOnPostgres<ReligiousAffairsSchema>;
let handlers: ReturnType<typeof createReligiousAffairsTaskHandlers>;

beforeAll(async () => {
  [dukcapil, kua] = await Promise.all([startSubgraphOnPostgres(dukcapilService, WORLD), startSubgraphOnPostgres(religiousAffairsService, WORLD)]);
  handlers = createReligiousAffairsTaskHandlers({ civilRegistry: createCivilRegistry(createGatewayClient({ url: dukcapil.url })) });
});

afterAll(async () => {
  await Promise.all([dukcapil?.stop(), kua?.stop()]);
});

// What the handler reports to the audit recorder, as the records the worker would append: one per
// citizen (by auditNikHash) and kind, naming the fields. Hashes of the world's NIKs read back as NIKs.
const PEPPER = 'kua-tasks-test-pepper';
const { read, change, merged, of: accessesOf } = citizenAccesses(PEPPER, [...world.citizens.map((c) => c.nik), UNREGISTERED_NIK]);
const tasks = taskDecider({
  participant: 'religious-affairs',
  applicationType: 'MARRIAGE_REGISTRATION',
  dueAt: () => new Date(Date.now() + 72 * 3_600_000).toISOString(),
  db: () => kua.db,
  handlers: () => handlers,
  nikHashPepper: PEPPER,
});
const REGISTERED_MARRIAGE = [
  'Citizen.marriages',
  'Marriage.id',
  'Marriage.registeredAt',
  'Marriage.kuaOffice',
  'Marriage.certificateNumber',
  'Marriage.husband',
  'Marriage.wife',
  'Marriage.spouse',
];
const DISCLOSED_MARRIAGE = ['Marriage.certificateNumber', 'Marriage.kuaOffice', 'Marriage.registeredAt'];

/** Runs REGISTER_MARRIAGE in a transaction, as the task worker does (without the inbox and outbox), with the accesses it reported. */
async function decideAudited(inputs: Record<string, unknown>, options: { taskId?: string; handlers?: typeof handlers } = {}) {
  const { decision, audited } = await tasks.decideAudited('REGISTER_MARRIAGE', inputs, options);
  return { decision, accesses: accessesOf(audited) };
}

async function decide(inputs: Record<string, unknown>, options: { taskId?: string; handlers?: typeof handlers } = {}): Promise<TaskDecision> {
  return (await decideAudited(inputs, options)).decision;
}

function reasonOf(decision: TaskDecision): string {
  expect(decision.status).toBe('REJECTED');
  return decision.status === 'REJECTED' ? decision.reason : '';
}

interface MarriageView {
  registeredAt: string;
  kuaOffice: string;
  certificateNumber: string;
  husband: { nik: string };
  wife: { nik: string };
  spouse: { nik: string } | null;
}

async function marriagesOf(nik: string): Promise<MarriageView[]> {
  const response = await postGraphQL<{ _entities: { marriages: MarriageView[] }[] }>(
    kua.url,
    'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Citizen { marriages { registeredAt kuaOffice certificateNumber husband { nik } wife { nik } spouse { nik } } } } }',
    { r: [{ __typename: 'Citizen', nik }] },
  );
  expect(response.errors).toBeUndefined();
  return response.data!._entities[0]!.marriages;
}

const inKuaRegister = new Set(world.marriages.flatMap((m) => [m.husbandNik, m.wifeNik]));
const taken = new Set<string>();
function take(description: string, matches: (citizen: SyntheticCitizen) => boolean): SyntheticCitizen {
  const citizen = world.citizens.find((c) => !taken.has(c.nik) && matches(c));
  if (!citizen) throw new Error(`the test world has no ${description} left`);
  taken.add(citizen.nik);
  return citizen;
}
const adult = (c: SyntheticCitizen) => c.birthDate < '2006-01-01';
const eligible = (sex: string) => (c: SyntheticCitizen) => c.sex === sex && c.maritalStatus === 'SINGLE' && adult(c) && !inKuaRegister.has(c.nik);
// The kecamatan with the most brides-to-be is kept for the concurrency test (one KUA, many registrations).
const bridesByDistrict = new Map<string, SyntheticCitizen[]>();
for (const bride of world.citizens.filter(eligible('FEMALE'))) bridesByDistrict.set(bride.address.districtCode, [...(bridesByDistrict.get(bride.address.districtCode) ?? []), bride]);
const [crowdedDistrict, crowdedBrides] = [...bridesByDistrict].sort((a, b) => b[1].length - a[1].length)[0]!;
const singleMan = () => take('single man', eligible('MALE'));
const singleWoman = (districtCode?: string) =>
  take('single woman', (c) => eligible('FEMALE')(c) && (districtCode ? c.address.districtCode === districtCode : c.address.districtCode !== crowdedDistrict));

async function setDukcapilMaritalStatus(nik: string, status: string): Promise<void> {
  await dukcapil.db.execute(sql`update dukcapil.citizen set marital_status = ${status} where nik = ${nik}`);
}

describe('REGISTER_MARRIAGE', () => {
  it('registers the marriage at the KUA of the bride\'s kecamatan and issues the Akta Nikah', async () => {
    const [groom, bride] = [singleMan(), singleWoman()];
    const taskId = uuidv7();
    const inputs = { groomNik: groom.nik, brideNik: bride.nik, marriageDate: '2026-11-14' };
    const { decision, accesses } = await decideAudited(inputs, { taskId });
    // The KUA's own register, looked up for both and changed for both (Dukcapil audits its own answers).
    expect(accesses).toEqual(
      merged([read(groom.nik, ['Citizen.marriages']), read(bride.nik, ['Citizen.marriages']), change(groom.nik, REGISTERED_MARRIAGE), change(bride.nik, REGISTERED_MARRIAGE)]),
    );
    expect(decision).toMatchObject({ status: 'APPROVED', note: `Marriage registered at KUA Kecamatan ${bride.address.districtName}.` });
    const documents = decision.status === 'APPROVED' ? decision.documents! : [];
    expect(documents).toHaveLength(1);
    expect(documents[0]!.kind).toBe('MARRIAGE_CERTIFICATE');
    const number = documents[0]!.number;
    const [, serial, district, month, year] = MARRIAGE_CERTIFICATE_NUMBER.exec(number) ?? [];
    expect({ district, month, year }).toEqual({ district: bride.address.districtCode, month: 'XI', year: '2026' });
    expect(Number(serial)).toBeGreaterThan(0);
    expect(parseNik(groom.nik).ok && parseNik(bride.nik).ok).toBe(true);

    const expected = { registeredAt: '2026-11-14', kuaOffice: `KUA Kecamatan ${bride.address.districtName}`, certificateNumber: number, husband: { nik: groom.nik }, wife: { nik: bride.nik } };
    expect(await marriagesOf(groom.nik)).toEqual([{ ...expected, spouse: { nik: bride.nik } }]);
    expect(await marriagesOf(bride.nik)).toEqual([{ ...expected, spouse: { nik: groom.nik } }]);

    // Sent again (a new event for the same task): the same certificate, not a second marriage; the
    // certificate and KUA it answers with are reported read.
    const again = await decideAudited(inputs, { taskId });
    expect(again.decision).toEqual(decision);
    expect(again.accesses).toEqual(merged([read(groom.nik, ['Marriage.certificateNumber', 'Marriage.kuaOffice']), read(bride.nik, ['Marriage.certificateNumber', 'Marriage.kuaOffice'])]));
    expect(await kua.db.$count(marriages, eq(marriages.husbandNik, groom.nik))).toBe(1);
    expect(await kua.db.$count(taskApprovals, eq(taskApprovals.taskId, taskId))).toBe(1);
    // A second application for the same couple finds the marriage in the KUA's own register.
    const second = await decideAudited(inputs);
    expect(reasonOf(second.decision)).toMatch(`The KUA register shows the groom still married (Akta Nikah ${number}`);
    expect(second.accesses).toEqual(merged([read(groom.nik, ['Citizen.marriages', ...DISCLOSED_MARRIAGE]), read(bride.nik, ['Citizen.marriages', ...DISCLOSED_MARRIAGE])]));
  });

  it('numbers certificates on from those already in the register, per KUA and year', async () => {
    const districtOf = (number: string) => number.split('/')[1]!;
    const seeded = world.marriages.find((m) => districtOf(m.certificateNumber) !== crowdedDistrict && bridesByDistrict.has(districtOf(m.certificateNumber)))!;
    const districtCode = districtOf(seeded.certificateNumber);
    const year = seeded.registeredAt.slice(0, 4);
    const highest = Math.max(...world.marriages.filter((m) => districtOf(m.certificateNumber) === districtCode && m.registeredAt.startsWith(year)).map((m) => Number(m.certificateNumber.split('/')[0])));
    const [groom, bride] = [singleMan(), singleWoman(districtCode)];
    const decision = await decide({ groomNik: groom.nik, brideNik: bride.nik, marriageDate: `${year}-03-02` });
    const number = decision.status === 'APPROVED' ? decision.documents![0]!.number : '';
    expect(number).toBe(`${String(highest + 1).padStart(4, '0')}/${districtCode}/III/${year}`);
  });

  it("refuses from the KUA's own register without asking Dukcapil", async () => {
    const seeded = world.marriages[0]!;
    const bride = singleWoman();
    const unreachable: CivilRegistry = { lookUpCouple: () => Promise.reject(new Error('Dukcapil must not be asked')) };
    const { decision, accesses } = await decideAudited(
      { groomNik: seeded.husbandNik, brideNik: bride.nik, marriageDate: '2026-11-20' },
      { handlers: createReligiousAffairsTaskHandlers({ civilRegistry: unreachable }) },
    );
    expect(reasonOf(decision)).toBe(
      `The KUA register shows the groom still married (Akta Nikah ${seeded.certificateNumber}, ${seeded.kuaOffice}, ${seeded.registeredAt}). A divorce or death must be recorded first.`,
    );
    // The refusal gives the groom's marriage: read of his record and of his wife's.
    expect(accesses).toEqual(
      merged([read(seeded.husbandNik, ['Citizen.marriages', ...DISCLOSED_MARRIAGE]), read(seeded.wifeNik, DISCLOSED_MARRIAGE), read(bride.nik, ['Citizen.marriages'])]),
    );
  });

  it('registers a remarriage once the earlier marriage has ended in both registers', async () => {
    const seeded = world.marriages[1]!;
    const bride = singleWoman();
    await kua.db.update(marriages).set({ endedOn: '2025-06-01' }).where(eq(marriages.id, seeded.id));
    await setDukcapilMaritalStatus(seeded.husbandNik, 'DIVORCED');
    expect(await decide({ groomNik: seeded.husbandNik, brideNik: bride.nik, marriageDate: '2026-11-21' })).toMatchObject({ status: 'APPROVED' });
    expect((await marriagesOf(seeded.husbandNik)).map((m) => m.wife.nik)).toEqual([bride.nik, seeded.wifeNik]);
  });

  it('refuses when Dukcapil records either spouse as married, or does not know a NIK', async () => {
    const [groom, bride] = [singleMan(), singleWoman()];
    // Married elsewhere (a civil marriage recorded by Dukcapil), so not in the KUA's register.
    await setDukcapilMaritalStatus(bride.nik, 'MARRIED');
    const married = await decideAudited({ groomNik: groom.nik, brideNik: bride.nik, marriageDate: '2026-11-22' });
    expect(reasonOf(married.decision)).toBe(
      'Dukcapil records the bride as married. A marriage that has ended (divorce or death) must be recorded at Dukcapil before the KUA can register a new one.',
    );
    // Only the KUA's own register: what Dukcapil answered is in Dukcapil's audit records.
    expect(married.accesses).toEqual(merged([read(groom.nik, ['Citizen.marriages']), read(bride.nik, ['Citizen.marriages'])]));
    const otherBride = singleWoman();
    const unknown = await decideAudited({ groomNik: UNREGISTERED_NIK, brideNik: otherBride.nik, marriageDate: '2026-11-22' });
    expect(reasonOf(unknown.decision)).toMatch(/no citizen registered under the groom's NIK/);
    expect(unknown.accesses).toEqual(merged([read(UNREGISTERED_NIK, ['Citizen.marriages']), read(otherBride.nik, ['Citizen.marriages'])]));
    expect(reasonOf(await decide({ groomNik: groom.nik, brideNik: UNREGISTERED_NIK, marriageDate: '2026-11-22' }))).toMatch(/no citizen registered under the bride's NIK/);
    expect(await marriagesOf(groom.nik)).toEqual([]);
  });

  it('throws, not refuses, when Dukcapil cannot be asked: the worker retries later', async () => {
    const [groom, bride] = [singleMan(), singleWoman()];
    const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
    const outage = createReligiousAffairsTaskHandlers({ civilRegistry: createCivilRegistry(createGatewayClient({ url: nowhere, timeoutMs: 2_000 })) });
    await expect(decide({ groomNik: groom.nik, brideNik: bride.nik, marriageDate: '2026-11-23' }, { handlers: outage })).rejects.toThrow(GatewayQueryError);
    expect(await marriagesOf(groom.nik)).toEqual([]);
    // Back up, the same task goes through.
    expect(await decide({ groomNik: groom.nik, brideNik: bride.nik, marriageDate: '2026-11-23' })).toMatchObject({ status: 'APPROVED' });
  });

  it('dead-letters inputs that break the contract instead of deciding them', async () => {
    await expect(decide({ groomNik: '351001', brideNik: UNREGISTERED_NIK, marriageDate: '2026-11-24' })).rejects.toThrow(PermanentEventError);
    await expect(decide({ groomNik: UNREGISTERED_NIK, brideNik: UNREGISTERED_NIK, marriageDate: '2026-11-24' })).rejects.toThrow(/must differ/);
    await expect(decide({ groomNik: UNREGISTERED_NIK, brideNik: '3510014101100003', marriageDate: '24/11/2026' })).rejects.toThrow(/malformed inputs/);
  });

  it('gives concurrent registrations in one KUA distinct certificate numbers', async () => {
    const brides = crowdedBrides.filter((c) => !taken.has(c.nik));
    expect(brides.length).toBeGreaterThan(1);
    const decisions = await Promise.all(brides.map((bride) => decide({ groomNik: singleMan().nik, brideNik: bride.nik, marriageDate: '2026-10-10' })));
    const numbers = decisions.map((d) => (d.status === 'APPROVED' ? d.documents![0]!.number : d.status));
    expect(new Set(numbers).size).toBe(brides.length);
    for (const number of numbers) expect(number).toMatch(new RegExp(`^\\d{4}/${crowdedDistrict}/X/2026$`));
  });
});
