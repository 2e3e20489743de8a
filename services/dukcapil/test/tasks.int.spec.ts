import { maskCivilRegistryNumber, PermanentEventError, uuidv7, type TaskDecision } from '@simpul/events';
import { parseFamilyCardNumber, parseNik } from '@simpul/identifiers';
import { generateWorld, type SyntheticCitizen } from '@simpul/synthetic-data';
import { citizenAccesses, postGraphQL, startSubgraphOnPostgres, taskDecider, type SubgraphOnPostgres } from '@simpul/testing';
import { eq } from 'drizzle-orm';
import { dukcapilService } from '../src/app';
import { seededDocuments } from '../src/db/seed-documents';
import { birthCertificates, citizens, childIdCards, movingCertificates, taskApprovals, type DukcapilSchema } from '../src/db/schema';
import { BIRTH_CERTIFICATE_NUMBER, MOVING_CERTIFICATE_NUMBER, ddmmyy } from '../src/modules/registry-numbers/registry-numbers';
import { createDukcapilTaskHandlers } from '../src/tasks';

const WORLD = { citizens: 200, seed: 7 };
const world = generateWorld(WORLD);
const seeded = seededDocuments(world);
const TODAY = new Date().toISOString().slice(0, 10);
const handlers = createDukcapilTaskHandlers({ today: () => TODAY });
const UNREGISTERED_NIK = '3510015005900001';
const BOGOR_ADDRESS = 'Jl. Pajajaran No. 21, RT 004/RW 007, Kel. Babakan, Kec. Bogor Tengah, Kota Bogor 16128';

let dukcapil: SubgraphOnPostgres<DukcapilSchema>;

beforeAll(async () => {
  dukcapil = await startSubgraphOnPostgres(dukcapilService, WORLD);
});

afterAll(async () => {
  await dukcapil?.stop();
});

// What a handler reports to the audit recorder, as the records the worker would append: one per
// citizen (by auditNikHash) and kind, naming the fields. Hashes of the world's NIKs read back as NIKs.
const PEPPER = 'dukcapil-tasks-test-pepper';
const { read, change, merged, of: accessesOf } = citizenAccesses(PEPPER, [...world.citizens.map((c) => c.nik), UNREGISTERED_NIK]);
const tasks = taskDecider({ participant: 'dukcapil', db: () => dukcapil.db, handlers: () => handlers, nikHashPepper: PEPPER });

/** Runs the handler in a transaction, as the task worker does (without the inbox and outbox), with the accesses it reported. */
async function decideAudited(taskKind: string, inputs: Record<string, unknown>, taskId?: string) {
  const { decision, audited } = await tasks.decideAudited(taskKind, inputs, { taskId });
  return { decision, accesses: accessesOf(audited) };
}

async function decide(taskKind: string, inputs: Record<string, unknown>, taskId?: string): Promise<TaskDecision> {
  return (await decideAudited(taskKind, inputs, taskId)).decision;
}

// What a task creates or changes for each citizen, as Dukcapil's SDL names it.
const NEW_CARD = ['FamilyCard.number', 'FamilyCard.issuedOn', 'FamilyCard.address', 'FamilyCard.head', 'FamilyCard.members'];
const REISSUED = ['FamilyCard.members', 'FamilyCard.issuedOn'];
const NEWBORN = [
  'Citizen.nik',
  'Citizen.fullName',
  'Citizen.birthPlace',
  'Citizen.birthDate',
  'Citizen.sex',
  'Citizen.religion',
  'Citizen.maritalStatus',
  'Citizen.occupation',
  'Citizen.address',
  'Citizen.familyCard',
  'FamilyMember.nik',
  'FamilyMember.fullName',
  'FamilyMember.relationship',
];
/** A birth certificate that becomes the newborn's with their NIK. */
const BIRTH_CERTIFICATE = [
  'Citizen.birthCertificate',
  'BirthCertificate.number',
  'BirthCertificate.issuedOn',
  'BirthCertificate.fullName',
  'BirthCertificate.sex',
  'BirthCertificate.birthDate',
  'BirthCertificate.birthPlace',
  'BirthCertificate.mother',
  'BirthCertificate.father',
];
const NEW_KIA = ['Citizen.childIdCard', 'ChildIdCard.number', 'ChildIdCard.issuedOn', 'ChildIdCard.validUntil'];

function documentsOf(decision: TaskDecision): Record<string, string> {
  expect(decision).toMatchObject({ status: 'APPROVED' });
  return Object.fromEntries((decision.status === 'APPROVED' ? (decision.documents ?? []) : []).map((d) => [d.kind, d.number]));
}

function reasonOf(decision: TaskDecision): string {
  expect(decision.status).toBe('REJECTED');
  return decision.status === 'REJECTED' ? decision.reason : '';
}

interface CitizenView {
  nik: string;
  fullName: string;
  birthDate: string;
  birthPlace: string;
  sex: string;
  maritalStatus: string;
  address: { street: string; rt: string; rw: string; village: string; district: { code: string; name: string }; regency: { code: string }; postalCode: string };
  familyCard: { number: string; issuedOn: string; head: { nik: string } | null; members: { nik: string; relationship: string }[] };
}
const CITIZEN_FIELDS = `nik fullName birthDate birthPlace sex maritalStatus
  address { street rt rw village district { code name } regency { code } postalCode }
  familyCard { number issuedOn head { nik } members { nik relationship } }`;

async function citizenView(nik: string): Promise<CitizenView | null> {
  const response = await postGraphQL<{ citizen: CitizenView | null }>(dukcapil.url, `query ($nik: String!) { citizen(nik: $nik) { ${CITIZEN_FIELDS} } }`, { nik });
  expect(response.errors).toBeUndefined();
  return response.data!.citizen;
}

interface DocumentsView {
  birthCertificate: { number: string; issuedOn: string; fullName: string; sex: string; birthDate: string; birthPlace: string; mother: { nik: string }; father: { nik: string } | null } | null;
  childIdCard: { number: string; issuedOn: string; validUntil: string } | null;
}

/** The birth certificate and KIA an officer sees on the citizen's record. */
async function documentsView(nik: string): Promise<DocumentsView> {
  const response = await postGraphQL<{ citizen: DocumentsView }>(
    dukcapil.url,
    `query ($nik: String!) { citizen(nik: $nik) {
      birthCertificate { number issuedOn fullName sex birthDate birthPlace mother { nik } father { nik } }
      childIdCard { number issuedOn validUntil } } }`,
    { nik },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.citizen;
}

async function familyCardView(number: string) {
  const response = await postGraphQL<{ familyCard: CitizenView['familyCard'] | null }>(
    dukcapil.url,
    `query ($number: String!) { familyCard(number: $number) { number issuedOn head { nik } members { nik relationship } } }`,
    { number },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.familyCard;
}

// Each test takes people nobody else in this file touches.
const taken = new Set<string>();
function take(description: string, matches: (citizen: SyntheticCitizen) => boolean): SyntheticCitizen {
  const citizen = world.citizens.find((c) => !taken.has(c.nik) && !taken.has(c.familyCardNumber) && matches(c));
  if (!citizen) throw new Error(`the test world has no ${description} left`);
  taken.add(citizen.nik);
  return citizen;
}
/** Takes the whole household too, so no other test changes the card under this one. */
function takeHousehold(description: string, matches: (citizen: SyntheticCitizen) => boolean): SyntheticCitizen {
  const citizen = take(description, matches);
  taken.add(citizen.familyCardNumber);
  return citizen;
}
const membersOf = (card: string) => world.citizens.filter((c) => c.familyCardNumber === card);
const headOf = (card: string) => world.familyCards.find((c) => c.number === card)!.headNik;
/** The day before someone born on `birthDate` turns `years` (not for 29 February births). */
function dayBeforeBirthday(birthDate: string, years: number): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  return new Date(Date.UTC(y! + years, m! - 1, d! - 1)).toISOString().slice(0, 10);
}
const ageOf = (citizen: SyntheticCitizen) => Number(TODAY.slice(0, 4)) - Number(citizen.birthDate.slice(0, 4));

describe('VERIFY_IDENTITY', () => {
  it('approves a registered, living resident, reporting the read of their registration (again when re-sent)', async () => {
    const applicant = take('resident', () => true);
    const taskId = uuidv7();
    const { decision, accesses } = await decideAudited('VERIFY_IDENTITY', { applicantNik: applicant.nik }, taskId);
    expect(decision).toMatchObject({ status: 'APPROVED', note: expect.any(String) });
    expect(accesses).toEqual(merged([read(applicant.nik, ['Citizen.nik'])]));
    // Answered from the stored approval: the answer still says the NIK is registered.
    const again = await decideAudited('VERIFY_IDENTITY', { applicantNik: applicant.nik }, taskId);
    expect(again.decision).toMatchObject({ status: 'APPROVED', note: decision.status === 'APPROVED' ? decision.note : '' });
    expect(again.accesses).toEqual(merged([read(applicant.nik, ['Citizen.nik'])]));
  });

  it('rejects a NIK Dukcapil has not registered, and a deceased resident', async () => {
    const unknown = await decideAudited('VERIFY_IDENTITY', { applicantNik: UNREGISTERED_NIK });
    expect(reasonOf(unknown.decision)).toMatch(/no citizen registered under the applicant's NIK/);
    expect(unknown.accesses).toEqual(merged([read(UNREGISTERED_NIK, ['Citizen.nik'])]));
    const deceased = take('resident', () => true);
    await dukcapil.db.update(citizens).set({ diedOn: '2025-02-03' }).where(eq(citizens.nik, deceased.nik));
    const dead = await decideAudited('VERIFY_IDENTITY', { applicantNik: deceased.nik });
    expect(reasonOf(dead.decision)).toBe(`Dukcapil records the applicant (${deceased.fullName}) as deceased since 2025-02-03.`);
    expect(dead.accesses).toEqual(merged([read(deceased.nik, ['Citizen.nik', 'Citizen.fullName'])]));
  });

  it('treats inputs that break the contract as permanent: the task is dead-lettered, not decided', async () => {
    await expect(decide('VERIFY_IDENTITY', { applicantNik: '35100150059000' })).rejects.toThrow(PermanentEventError);
    await expect(decide('VERIFY_IDENTITY', {})).rejects.toThrow(/malformed inputs/);
  });
});

describe('MOVE_RESIDENCE', () => {
  const APPLICANT_READS = ['Citizen.nik', 'Citizen.address', 'Citizen.familyCard', 'FamilyCard.members'];

  it('moves a member out of their household to a new family card at the new address, with an SKPWNI', async () => {
    const mover = takeHousehold('adult child of a household', (c) => c.familyRelationship === 'CHILD' && ageOf(c) >= 18 && membersOf(c.familyCardNumber).length > 1);
    const { decision, accesses } = await decideAudited('MOVE_RESIDENCE', { applicantNik: mover.nik, newAddress: BOGOR_ADDRESS, movingDate: TODAY });
    const documents = documentsOf(decision);
    expect(documents.MOVING_CERTIFICATE).toMatch(MOVING_CERTIFICATE_NUMBER);
    expect(documents.MOVING_CERTIFICATE!.startsWith(`SKPWNI/${mover.address.regencyCode}/`)).toBe(true);
    const card = parseFamilyCardNumber(documents.FAMILY_CARD!);
    expect(card).toMatchObject({ ok: true, value: { regionCode: '327104', issuedOn: TODAY } });
    // The mover's new card and address; the household they leave gets a card reissued without them.
    const household = membersOf(mover.familyCardNumber).filter((m) => m.nik !== mover.nik);
    expect(accesses).toEqual(
      merged([
        read(mover.nik, APPLICANT_READS),
        change(mover.nik, ['Citizen.address', 'Citizen.familyCard', 'FamilyMember.relationship', ...NEW_CARD]),
        ...household.flatMap((m) => [read(m.nik, ['FamilyMember.nik']), change(m.nik, REISSUED)]),
      ]),
    );

    const view = await citizenView(mover.nik);
    expect(view).toMatchObject({
      address: { street: 'Jl. Pajajaran No. 21', rt: '004', rw: '007', village: 'Babakan', district: { code: '327104', name: 'Bogor Tengah' }, regency: { code: '3271' }, postalCode: '16128' },
      familyCard: { number: documents.FAMILY_CARD, issuedOn: TODAY, head: { nik: mover.nik }, members: [{ nik: mover.nik, relationship: 'HEAD' }] },
    });
    const origin = await familyCardView(mover.familyCardNumber);
    expect(origin!.members.map((m) => m.nik).sort()).toEqual(household.map((m) => m.nik).sort());
    expect(origin!.issuedOn).toBe(TODAY);
    const [certificate] = await dukcapil.db.select().from(movingCertificates).where(eq(movingCertificates.number, documents.MOVING_CERTIFICATE!));
    expect(certificate).toMatchObject({ nik: mover.nik, fromFamilyCardNumber: mover.familyCardNumber, toFamilyCardNumber: documents.FAMILY_CARD, newAddress: BOGOR_ADDRESS });

    // Alone on that card now, moving again takes the card along: same number, new address.
    const second = await decideAudited('MOVE_RESIDENCE', { applicantNik: mover.nik, newAddress: 'Jl. Sudirman 5, RT 1/RW 2, Kel. Tegallega, Kec. Bogor Tengah, Kota Bogor 16129', movingDate: TODAY });
    const again = documentsOf(second.decision);
    expect(again.FAMILY_CARD).toBe(documents.FAMILY_CARD);
    expect(again.MOVING_CERTIFICATE).not.toBe(documents.MOVING_CERTIFICATE);
    expect(second.accesses).toEqual(merged([read(mover.nik, APPLICANT_READS), change(mover.nik, ['Citizen.address', 'FamilyCard.address', 'FamilyCard.issuedOn'])]));
    expect(await citizenView(mover.nik)).toMatchObject({ address: { street: 'Jl. Sudirman 5', village: 'Tegallega', postalCode: '16129' }, familyCard: { number: documents.FAMILY_CARD } });
  });

  it('hands the family card to the spouse when its head moves out alone', async () => {
    const head = takeHousehold('married head with a spouse', (c) => c.familyRelationship === 'HEAD' && membersOf(c.familyCardNumber).some((m) => m.familyRelationship === 'SPOUSE'));
    const spouse = membersOf(head.familyCardNumber).find((m) => m.familyRelationship === 'SPOUSE')!;
    const taskId = uuidv7();
    const inputs = { applicantNik: head.nik, newAddress: BOGOR_ADDRESS, movingDate: TODAY };
    const { decision, accesses } = await decideAudited('MOVE_RESIDENCE', inputs, taskId);
    documentsOf(decision);
    const origin = await familyCardView(head.familyCardNumber);
    expect(origin!.head).toEqual({ nik: spouse.nik });
    expect(origin!.members).toContainEqual({ nik: spouse.nik, relationship: 'HEAD' });
    expect(origin!.members.map((m) => m.nik)).not.toContain(head.nik);
    // Choosing the successor reads who stays; the spouse becomes head of the card all of them stay on.
    const household = membersOf(head.familyCardNumber).filter((m) => m.nik !== head.nik);
    expect(accesses).toEqual(
      merged([
        read(head.nik, APPLICANT_READS),
        change(head.nik, ['Citizen.address', 'Citizen.familyCard', 'FamilyMember.relationship', ...NEW_CARD]),
        ...household.flatMap((m) => [read(m.nik, ['FamilyMember.nik', 'FamilyMember.relationship', 'Citizen.birthDate']), change(m.nik, [...REISSUED, 'FamilyCard.head'])]),
        change(spouse.nik, ['FamilyMember.relationship']),
      ]),
    );
    // Re-sent, answered from the stored approval: the card number and the new address, read again.
    const again = await decideAudited('MOVE_RESIDENCE', inputs, taskId);
    expect(again.decision).toEqual(decision);
    expect(again.accesses).toEqual(merged([read(head.nik, ['Citizen.familyCard', 'Citizen.address'])]));
  });

  it('rejects an address it cannot file, the address already registered, and an unknown applicant', async () => {
    const applicant = take('resident', () => true);
    const unfiled = await decideAudited('MOVE_RESIDENCE', { applicantNik: applicant.nik, newAddress: 'Jl. Merdeka 1, Bogor', movingDate: TODAY });
    expect(reasonOf(unfiled.decision)).toMatch(/incomplete.*RT\/RW/);
    expect(unfiled.accesses).toEqual(merged([read(applicant.nik, ['Citizen.nik'])]));
    expect(
      reasonOf(await decide('MOVE_RESIDENCE', { applicantNik: applicant.nik, newAddress: 'Jl. Braga 1, RT 1/RW 1, Kel. Braga, Kec. Sumur Bandung, Kota Bandung 40111', movingDate: TODAY })),
    ).toMatch(/"Sumur Bandung" is not a kecamatan/);
    const a = applicant.address;
    const current = `${a.street}, RT ${a.rt}/RW ${a.rw}, Desa ${a.village}, Kec. ${a.districtName}, ${a.postalCode}`;
    const same = await decideAudited('MOVE_RESIDENCE', { applicantNik: applicant.nik, newAddress: current, movingDate: TODAY });
    expect(reasonOf(same.decision)).toMatch(/already registered at that address/);
    expect(same.accesses).toEqual(merged([read(applicant.nik, ['Citizen.nik', 'Citizen.address', 'Citizen.familyCard'])]));
    const unknown = await decideAudited('MOVE_RESIDENCE', { applicantNik: UNREGISTERED_NIK, newAddress: BOGOR_ADDRESS, movingDate: TODAY });
    expect(reasonOf(unknown.decision)).toMatch(/no citizen registered/);
    expect(unknown.accesses).toEqual(merged([read(UNREGISTERED_NIK, ['Citizen.nik'])]));
    expect((await citizenView(applicant.nik))!.familyCard.number).toBe(applicant.familyCardNumber);
  });
});

describe('ISSUE_FAMILY_CARD', () => {
  const MARRIAGE_CERTIFICATE = { kind: 'MARRIAGE_CERTIFICATE', number: '0042/351016/XI/2026' };
  const CHECKED = ['Citizen.nik', 'Citizen.sex', 'Citizen.maritalStatus'];

  it("issues the couple's KK at the groom's address, groom as head, both recorded married, once per task", async () => {
    // Children of households others stay in: each leaves a card reissued without them.
    const inHousehold = (sex: string) => (c: SyntheticCitizen) =>
      c.sex === sex && c.maritalStatus === 'SINGLE' && ageOf(c) >= 19 && c.familyRelationship === 'CHILD' && membersOf(c.familyCardNumber).length > 1;
    const groom = takeHousehold('single man living with his family', inHousehold('MALE'));
    const bride = takeHousehold('single woman living with her family', inHousehold('FEMALE'));
    const taskId = uuidv7();
    const inputs = { groomNik: groom.nik, brideNik: bride.nik, issuedDocuments: [MARRIAGE_CERTIFICATE] };
    const { decision, accesses } = await decideAudited('ISSUE_FAMILY_CARD', inputs, taskId);
    const { FAMILY_CARD: number } = documentsOf(decision);
    const parsed = parseFamilyCardNumber(number!);
    expect(parsed).toMatchObject({ ok: true, value: { regionCode: groom.address.districtCode, issuedOn: TODAY } });
    expect(number!.slice(6, 12)).toBe(ddmmyy(TODAY));
    const couple = ['Citizen.address', 'Citizen.familyCard', 'Citizen.maritalStatus', 'FamilyMember.relationship', ...NEW_CARD];
    const leftBehind = [...membersOf(groom.familyCardNumber), ...membersOf(bride.familyCardNumber)].filter((m) => m.nik !== groom.nik && m.nik !== bride.nik);
    expect(leftBehind.length).toBeGreaterThan(1);
    expect(accesses).toEqual(
      merged([
        read(groom.nik, [...CHECKED, 'Citizen.address', 'Citizen.familyCard']),
        read(bride.nik, [...CHECKED, 'Citizen.familyCard']),
        change(groom.nik, couple),
        change(bride.nik, couple),
        ...leftBehind.map((m) => change(m.nik, REISSUED)),
      ]),
    );

    const [groomView, brideView] = [await citizenView(groom.nik), await citizenView(bride.nik)];
    expect(groomView).toMatchObject({ maritalStatus: 'MARRIED', address: { street: groom.address.street, district: { code: groom.address.districtCode } } });
    expect(brideView).toMatchObject({ maritalStatus: 'MARRIED', address: { street: groom.address.street, village: groom.address.village } });
    expect(groomView!.familyCard).toEqual({
      number,
      issuedOn: TODAY,
      head: { nik: groom.nik },
      members: expect.arrayContaining([
        { nik: groom.nik, relationship: 'HEAD' },
        { nik: bride.nik, relationship: 'SPOUSE' },
      ]),
    });
    expect(groomView!.familyCard.members).toHaveLength(2);
    expect((await familyCardView(bride.familyCardNumber))?.members.map((m) => m.nik) ?? []).not.toContain(bride.nik);

    // The same task sent again (a new event) is answered as before, without a second KK; the
    // answer (the card, at the groom's address) is reported read.
    const again = await decideAudited('ISSUE_FAMILY_CARD', inputs, taskId);
    expect(again.decision).toEqual(decision);
    expect(again.accesses).toEqual(merged([read(groom.nik, ['Citizen.familyCard', 'Citizen.address']), read(bride.nik, ['Citizen.familyCard'])]));
    expect(await dukcapil.db.$count(taskApprovals, eq(taskApprovals.taskId, taskId))).toBe(1);
    // Another application for the same couple finds them married.
    const married = await decideAudited('ISSUE_FAMILY_CARD', inputs);
    expect(reasonOf(married.decision)).toMatch(/groom .* as already married/);
    expect(married.accesses).toEqual(merged([read(groom.nik, [...CHECKED, 'Citizen.fullName']), read(bride.nik, CHECKED)]));
  });

  it('rejects a groom already married, an unknown bride, and a request without a marriage certificate', async () => {
    const married = take('married man', (c) => c.sex === 'MALE' && c.maritalStatus === 'MARRIED');
    const single = take('single woman', (c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE' && ageOf(c) >= 19);
    const groom = take('single man', (c) => c.sex === 'MALE' && c.maritalStatus === 'SINGLE' && ageOf(c) >= 19);
    const marriedGroom = await decideAudited('ISSUE_FAMILY_CARD', { groomNik: married.nik, brideNik: single.nik, issuedDocuments: [MARRIAGE_CERTIFICATE] });
    expect(reasonOf(marriedGroom.decision)).toBe(
      `Dukcapil records the groom (${married.fullName}) as already married; the earlier marriage must be ended in the registry (divorce or death) first.`,
    );
    expect(marriedGroom.accesses).toEqual(merged([read(married.nik, [...CHECKED, 'Citizen.fullName']), read(single.nik, CHECKED)]));
    const unknownBride = await decideAudited('ISSUE_FAMILY_CARD', { groomNik: groom.nik, brideNik: UNREGISTERED_NIK, issuedDocuments: [MARRIAGE_CERTIFICATE] });
    expect(reasonOf(unknownBride.decision)).toMatch(/no citizen registered under the bride's NIK/);
    expect(unknownBride.accesses).toEqual(merged([read(groom.nik, ['Citizen.nik']), read(UNREGISTERED_NIK, ['Citizen.nik'])]));
    const uncertified = await decideAudited('ISSUE_FAMILY_CARD', { groomNik: groom.nik, brideNik: single.nik });
    expect(reasonOf(uncertified.decision)).toMatch(/No marriage certificate/);
    expect(uncertified.accesses).toEqual(merged([read(groom.nik, CHECKED), read(single.nik, CHECKED)]));
    expect((await citizenView(single.nik))!.maritalStatus).toBe('SINGLE');
    expect((await citizenView(groom.nik))!.familyCard.number).toBe(groom.familyCardNumber);
    await expect(decide('ISSUE_FAMILY_CARD', { groomNik: groom.nik, brideNik: groom.nik, issuedDocuments: [] })).rejects.toThrow(PermanentEventError);
  });
});

describe('BIRTH_REGISTRATION: birth certificate, family card, KIA', () => {
  it('issues the akta, adds the child to the KK with a new NIK, then the KIA', async () => {
    const mother = takeHousehold('young wife', (c) => c.familyRelationship === 'SPOUSE' && c.sex === 'FEMALE' && ageOf(c) < 45);
    const father = membersOf(mother.familyCardNumber).find((m) => m.familyRelationship === 'HEAD')!;
    expect(headOf(mother.familyCardNumber)).toBe(father.nik);
    const household = membersOf(mother.familyCardNumber);
    const childBirthDate = TODAY;
    const child = { childName: 'Putri Ayu Lestari', childSex: 'FEMALE', childBirthDate };

    const birthTask = uuidv7();
    const birthInputs = { ...child, birthPlace: 'RSUD Blambangan', motherNik: mother.nik, fatherNik: father.nik, familyCardNumber: mother.familyCardNumber };
    const birth = await decideAudited('ISSUE_BIRTH_CERTIFICATE', birthInputs, birthTask);
    const { BIRTH_CERTIFICATE: certificate } = documentsOf(birth.decision);
    expect(certificate).toMatch(BIRTH_CERTIFICATE_NUMBER);
    expect(certificate!.startsWith(`${mother.address.regencyCode}-LU-`)).toBe(true);
    // The certificate is the child's, who has no NIK yet: what was checked of the parents (and the card, as its head's) is read.
    expect(birth.accesses).toEqual(
      merged([
        read(mother.nik, ['Citizen.nik', 'Citizen.sex', 'Citizen.familyCard', 'Citizen.birthDate', 'Citizen.address']),
        read(father.nik, ['FamilyCard.number', 'Citizen.nik', 'Citizen.sex']),
      ]),
    );
    const birthAgain = await decideAudited('ISSUE_BIRTH_CERTIFICATE', birthInputs, birthTask);
    expect(birthAgain.decision).toEqual(birth.decision);
    expect(birthAgain.accesses).toEqual(merged([read(mother.nik, ['Citizen.address'])]));
    const duplicate = await decideAudited('ISSUE_BIRTH_CERTIFICATE', { ...child, birthPlace: 'RSUD Blambangan', motherNik: mother.nik, familyCardNumber: mother.familyCardNumber });
    expect(reasonOf(duplicate.decision)).toMatch(`already has birth certificate ${certificate}`);
    expect(duplicate.accesses).toEqual(
      merged([read(mother.nik, ['Citizen.nik', 'Citizen.sex', 'Citizen.familyCard', 'Citizen.birthDate', 'Citizen.fullName']), read(father.nik, ['FamilyCard.number'])]),
    );

    const updateTask = uuidv7();
    const updateInputs = { familyCardNumber: mother.familyCardNumber, ...child, issuedDocuments: [{ kind: 'BIRTH_CERTIFICATE', number: certificate }] };
    const update = await decideAudited('UPDATE_FAMILY_CARD', updateInputs, updateTask);
    const { NIK: childNik, FAMILY_CARD: card } = documentsOf(update.decision);
    expect(card).toBe(mother.familyCardNumber);
    const parsedNik = parseNik(childNik!);
    expect(parsedNik).toMatchObject({ ok: true, value: { districtCode: mother.address.districtCode, birthDate: childBirthDate, sex: 'FEMALE' } });
    expect(Number(childNik!.slice(6, 8))).toBe(Number(childBirthDate.slice(8, 10)) + 40);
    // The newborn's record is created under the new NIK, with her birth certificate; everyone on the card gets it reissued with her on it.
    expect(update.accesses).toEqual(
      merged([
        read(father.nik, ['FamilyCard.number', 'FamilyCard.members', 'FamilyCard.address', 'Citizen.familyCard', 'FamilyMember.relationship']),
        read(mother.nik, ['Citizen.familyCard', 'FamilyMember.relationship', 'Citizen.religion']),
        change(childNik!, [...NEWBORN, ...BIRTH_CERTIFICATE, ...REISSUED]),
        ...household.map((m) => change(m.nik, REISSUED)),
      ]),
    );
    const updateAgain = await decideAudited('UPDATE_FAMILY_CARD', updateInputs, updateTask);
    expect(updateAgain.decision).toEqual(update.decision);
    expect(updateAgain.accesses).toEqual(merged([read(childNik!, ['Citizen.nik', 'Citizen.familyCard'])]));
    expect(await citizenView(childNik!)).toMatchObject({
      fullName: child.childName,
      birthDate: childBirthDate,
      birthPlace: 'RSUD Blambangan',
      sex: 'FEMALE',
      maritalStatus: 'SINGLE',
      address: { street: mother.address.street },
      familyCard: { number: mother.familyCardNumber, issuedOn: TODAY, head: { nik: father.nik } },
    });
    expect((await familyCardView(mother.familyCardNumber))!.members).toContainEqual({ nik: childNik, relationship: 'CHILD' });
    const [recorded] = await dukcapil.db.select().from(birthCertificates).where(eq(birthCertificates.number, certificate!));
    expect(recorded).toMatchObject({ childNik, motherNik: mother.nik, fatherNik: father.nik });
    expect(await documentsView(childNik!)).toEqual({
      birthCertificate: {
        number: certificate,
        issuedOn: TODAY,
        fullName: child.childName,
        sex: 'FEMALE',
        birthDate: childBirthDate,
        birthPlace: 'RSUD Blambangan',
        mother: { nik: mother.nik },
        father: { nik: father.nik },
      },
      childIdCard: null,
    });
    // Now the certificate is hers: checking it again, or naming it in a refusal, reads her data.
    const onCard = await decideAudited('UPDATE_FAMILY_CARD', { familyCardNumber: mother.familyCardNumber, ...child, issuedDocuments: [{ kind: 'BIRTH_CERTIFICATE', number: certificate }] });
    expect(reasonOf(onCard.decision)).toMatch(/already on a family card/);
    expect(onCard.accesses).toEqual(
      merged([
        read(father.nik, ['FamilyCard.number']),
        read(childNik!, ['Citizen.birthCertificate', 'BirthCertificate.number', 'BirthCertificate.fullName', 'BirthCertificate.sex', 'BirthCertificate.birthDate']),
      ]),
    );
    const registered = await decideAudited('ISSUE_BIRTH_CERTIFICATE', { ...child, birthPlace: 'RSUD Blambangan', motherNik: mother.nik, familyCardNumber: mother.familyCardNumber });
    expect(reasonOf(registered.decision)).toMatch(`already has birth certificate ${certificate}`);
    expect(registered.accesses).toEqual(
      merged([
        read(mother.nik, ['Citizen.nik', 'Citizen.sex', 'Citizen.familyCard', 'Citizen.birthDate', 'Citizen.fullName']),
        read(father.nik, ['FamilyCard.number']),
        read(childNik!, ['Citizen.birthCertificate', 'BirthCertificate.number']),
      ]),
    );

    const kiaTask = uuidv7();
    // The earlier step's documents came through the shared status topic: the child's NIK and the KK masked.
    const issuedDocuments = [{ kind: 'NIK', number: maskCivilRegistryNumber(childNik!) }, { kind: 'FAMILY_CARD', number: maskCivilRegistryNumber(card!) }];
    const kiaInputs = { familyCardNumber: mother.familyCardNumber, childName: child.childName, issuedDocuments };
    const kia = await decideAudited('ISSUE_CHILD_ID_CARD', kiaInputs, kiaTask);
    expect(documentsOf(kia.decision)).toEqual({ CHILD_ID_CARD: childNik });
    // What was read of the card and the child (she holds no KIA yet), and her new KIA.
    expect(kia.accesses).toEqual(
      merged([
        read(father.nik, ['FamilyCard.number', 'FamilyCard.members']),
        ...household.map((m) => read(m.nik, ['FamilyMember.nik'])),
        read(childNik!, ['FamilyMember.nik', 'FamilyMember.fullName', 'Citizen.birthDate', 'Citizen.childIdCard']),
        change(childNik!, NEW_KIA),
      ]),
    );
    const kiaAgain = await decideAudited('ISSUE_CHILD_ID_CARD', kiaInputs, kiaTask);
    expect(kiaAgain.decision).toEqual(kia.decision);
    expect(kiaAgain.accesses).toEqual(merged([read(childNik!, ['Citizen.nik', 'Citizen.childIdCard', 'ChildIdCard.number', 'ChildIdCard.validUntil'])]));
    const [holder] = await dukcapil.db.select().from(childIdCards).where(eq(childIdCards.nik, childNik!));
    // Issued to a newborn: valid until the day before the 5th birthday.
    expect(holder).toEqual({ nik: childNik, issuedOn: TODAY, validUntil: dayBeforeBirthday(childBirthDate, 5) });
    expect((await documentsView(childNik!)).childIdCard).toEqual({ number: childNik, issuedOn: TODAY, validUntil: dayBeforeBirthday(childBirthDate, 5) });
    const holding = await decideAudited('ISSUE_CHILD_ID_CARD', { familyCardNumber: mother.familyCardNumber, childName: child.childName });
    expect(reasonOf(holding.decision)).toMatch(/already holds a KIA/);
    expect(holding.accesses).toEqual(
      merged([
        read(father.nik, ['FamilyCard.number', 'FamilyCard.members']),
        ...household.map((m) => read(m.nik, ['FamilyMember.fullName'])),
        read(childNik!, ['FamilyMember.nik', 'FamilyMember.fullName', 'Citizen.birthDate', 'Citizen.childIdCard', 'ChildIdCard.validUntil']),
      ]),
    );
  });

  it('rejects a birth certificate when the mother is not on the given KK, is unknown or is a man', async () => {
    const mother = take('wife', (c) => c.familyRelationship === 'SPOUSE' && c.sex === 'FEMALE');
    const other = world.familyCards.find((card) => card.number !== mother.familyCardNumber && !taken.has(card.number))!;
    const man = take('man', (c) => c.sex === 'MALE');
    const child = { childName: 'Bayu', childSex: 'MALE', childBirthDate: TODAY, birthPlace: 'Banyuwangi' };
    const elsewhere = await decideAudited('ISSUE_BIRTH_CERTIFICATE', { ...child, motherNik: mother.nik, familyCardNumber: other.number });
    expect(reasonOf(elsewhere.decision)).toBe(`The mother (${mother.fullName}) is not on the given family card. Give the number of the KK she is registered on.`);
    expect(elsewhere.accesses).toEqual(merged([read(other.headNik, ['FamilyCard.number']), read(mother.nik, ['Citizen.nik', 'Citizen.sex', 'Citizen.familyCard', 'Citizen.fullName'])]));
    const unknown = await decideAudited('ISSUE_BIRTH_CERTIFICATE', { ...child, motherNik: UNREGISTERED_NIK, familyCardNumber: mother.familyCardNumber });
    expect(reasonOf(unknown.decision)).toMatch(/mother's NIK/);
    expect(unknown.accesses).toEqual(merged([read(headOf(mother.familyCardNumber), ['FamilyCard.number']), read(UNREGISTERED_NIK, ['Citizen.nik'])]));
    const aMan = await decideAudited('ISSUE_BIRTH_CERTIFICATE', { ...child, motherNik: man.nik, familyCardNumber: man.familyCardNumber });
    expect(reasonOf(aMan.decision)).toMatch(/registered to a man/);
    expect(aMan.accesses).toEqual(merged([read(headOf(man.familyCardNumber), ['FamilyCard.number']), read(man.nik, ['Citizen.nik', 'Citizen.sex'])]));
    // A card Dukcapil does not have: no one's data was read.
    const noCard = await decideAudited('ISSUE_BIRTH_CERTIFICATE', { ...child, motherNik: mother.nik, familyCardNumber: '3510011411260001' });
    expect(reasonOf(noCard.decision)).toMatch(/no family card/);
    expect(noCard.accesses).toEqual([]);
    // Only the certificates of her children already on the card (seeded).
    const hers = seeded.birthCertificates.filter((certificate) => certificate.motherNik === mother.nik).length;
    expect(await dukcapil.db.$count(birthCertificates, eq(birthCertificates.motherNik, mother.nik))).toBe(hers);
  });

  it('adds no child without a birth certificate, and issues no KIA to a 17-year-old or to someone not on the card', async () => {
    const member = takeHousehold('adult child', (c) => c.familyRelationship === 'CHILD' && ageOf(c) >= 18);
    const head = headOf(member.familyCardNumber);
    const household = membersOf(member.familyCardNumber);
    const before = await dukcapil.db.$count(citizens);
    const uncertified = await decideAudited('UPDATE_FAMILY_CARD', { familyCardNumber: member.familyCardNumber, childName: 'Tanpa Akta', childSex: 'MALE', childBirthDate: TODAY });
    expect(reasonOf(uncertified.decision)).toMatch(/No birth certificate for Tanpa Akta/);
    expect(uncertified.accesses).toEqual(merged([read(head, ['FamilyCard.number'])]));
    expect(await dukcapil.db.$count(citizens)).toBe(before);
    const adult = await decideAudited('ISSUE_CHILD_ID_CARD', { familyCardNumber: member.familyCardNumber, childName: member.fullName });
    expect(reasonOf(adult.decision)).toMatch(/a KIA is for children under 17/);
    expect(adult.accesses).toEqual(
      merged([
        read(head, ['FamilyCard.number', 'FamilyCard.members']),
        ...household.map((m) => read(m.nik, ['FamilyMember.fullName'])),
        read(member.nik, ['FamilyMember.nik', 'Citizen.birthDate']),
      ]),
    );
    const nobody = await decideAudited('ISSUE_CHILD_ID_CARD', { familyCardNumber: member.familyCardNumber, childName: 'Nobody Here' });
    expect(reasonOf(nobody.decision)).toMatch(/No one named Nobody Here/);
    expect(nobody.accesses).toEqual(merged([read(head, ['FamilyCard.number', 'FamilyCard.members']), ...household.map((m) => read(m.nik, ['FamilyMember.fullName']))]));
    const noCard = await decideAudited('UPDATE_FAMILY_CARD', { familyCardNumber: '3510011411260001', childName: 'Tanpa Akta', childSex: 'MALE', childBirthDate: TODAY });
    expect(reasonOf(noCard.decision)).toMatch(/no family card/);
    expect(noCard.accesses).toEqual([]);
  });

  const schoolAge = (c: SyntheticCitizen) => c.familyRelationship === 'CHILD' && ageOf(c) >= 7 && ageOf(c) <= 15 && !c.birthDate.endsWith('02-29');
  const seededKia = (c: SyntheticCitizen) => seeded.childIdCards.find((card) => card.nik === c.nik);

  it('issues a KIA to a school-age child on the card, valid until the day before 17', async () => {
    const child = take('school-age child without a KIA', (c) => schoolAge(c) && !seededKia(c));
    expect(await documentsView(child.nik)).toMatchObject({ childIdCard: null });
    const kia = await decideAudited('ISSUE_CHILD_ID_CARD', { familyCardNumber: child.familyCardNumber, childName: child.fullName.toLowerCase() });
    expect(documentsOf(kia.decision)).toEqual({ CHILD_ID_CARD: child.nik });
    expect(kia.accesses).toEqual(
      merged([
        read(headOf(child.familyCardNumber), ['FamilyCard.number', 'FamilyCard.members']),
        ...membersOf(child.familyCardNumber).map((m) => read(m.nik, ['FamilyMember.fullName'])),
        read(child.nik, ['FamilyMember.nik', 'Citizen.birthDate', 'Citizen.childIdCard']),
        change(child.nik, NEW_KIA),
      ]),
    );
    const [card] = await dukcapil.db.select().from(childIdCards).where(eq(childIdCards.nik, child.nik));
    expect(card).toEqual({ nik: child.nik, issuedOn: TODAY, validUntil: dayBeforeBirthday(child.birthDate, 17) });
    expect((await documentsView(child.nik)).childIdCard).toEqual({ number: child.nik, issuedOn: TODAY, validUntil: dayBeforeBirthday(child.birthDate, 17) });
  });

  it('refuses a second KIA while the last is valid, and replaces one that ran out', async () => {
    const child = take('school-age child with a KIA', (c) => schoolAge(c) && seededKia(c) !== undefined);
    const seededCard = seededKia(child)!;
    expect((await documentsView(child.nik)).childIdCard).toEqual({ number: child.nik, issuedOn: seededCard.issuedOn, validUntil: seededCard.validUntil });
    const inputs = { familyCardNumber: child.familyCardNumber, childName: child.fullName };
    const cardReads = [
      read(headOf(child.familyCardNumber), ['FamilyCard.number', 'FamilyCard.members']),
      ...membersOf(child.familyCardNumber).map((m) => read(m.nik, ['FamilyMember.fullName'])),
    ];
    const holding = await decideAudited('ISSUE_CHILD_ID_CARD', inputs);
    expect(reasonOf(holding.decision)).toBe(`${child.fullName} already holds a KIA, valid until ${seededCard.validUntil}.`);
    expect(holding.accesses).toEqual(merged([...cardReads, read(child.nik, ['FamilyMember.nik', 'Citizen.birthDate', 'Citizen.childIdCard', 'ChildIdCard.validUntil'])]));

    // Say the card issued before 5 was never renewed: it ran out the day before the 5th birthday.
    await dukcapil.db.update(childIdCards).set({ validUntil: dayBeforeBirthday(child.birthDate, 5) }).where(eq(childIdCards.nik, child.nik));
    const renewed = await decideAudited('ISSUE_CHILD_ID_CARD', inputs);
    expect(documentsOf(renewed.decision)).toEqual({ CHILD_ID_CARD: child.nik });
    // Same number (her NIK): the card's dates change.
    expect(renewed.accesses).toEqual(
      merged([
        ...cardReads,
        read(child.nik, ['FamilyMember.nik', 'Citizen.birthDate', 'Citizen.childIdCard', 'ChildIdCard.validUntil']),
        change(child.nik, ['Citizen.childIdCard', 'ChildIdCard.issuedOn', 'ChildIdCard.validUntil']),
      ]),
    );
    expect((await documentsView(child.nik)).childIdCard).toEqual({ number: child.nik, issuedOn: TODAY, validUntil: dayBeforeBirthday(child.birthDate, 17) });
  });
});

describe('numbers under concurrency', () => {
  it('gives simultaneous births on one card distinct NIKs and certificates', async () => {
    const mother = takeHousehold('young wife', (c) => c.familyRelationship === 'SPOUSE' && c.sex === 'FEMALE' && ageOf(c) < 45);
    const twins = ['Hasan', 'Husain', 'Hasanah'].map((name, i) => ({ childName: name, childSex: i < 2 ? 'MALE' : 'FEMALE', childBirthDate: TODAY, birthPlace: 'Siak' }));
    const certificates = await Promise.all(
      twins.map((twin) => decide('ISSUE_BIRTH_CERTIFICATE', { ...twin, motherNik: mother.nik, familyCardNumber: mother.familyCardNumber }).then((d) => documentsOf(d).BIRTH_CERTIFICATE!)),
    );
    expect(new Set(certificates).size).toBe(3);
    const niks = await Promise.all(
      twins.map((twin, i) =>
        decide('UPDATE_FAMILY_CARD', { familyCardNumber: mother.familyCardNumber, ...twin, issuedDocuments: [{ kind: 'BIRTH_CERTIFICATE', number: certificates[i] }] }).then(
          (d) => documentsOf(d).NIK!,
        ),
      ),
    );
    expect(new Set(niks).size).toBe(3);
    for (const nik of niks) expect(parseNik(nik).ok).toBe(true);
    // The two boys share the district and birth segment, so only the serial tells them apart.
    expect(niks[0]!.slice(0, 12)).toBe(niks[1]!.slice(0, 12));
  });
});
