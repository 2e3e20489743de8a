import { PermanentEventError, uuidv7, type AssignedTask, type TaskDecision } from '@simpul/events';
import { parseFamilyCardNumber, parseNik } from '@simpul/identifiers';
import { generateWorld, type SyntheticCitizen } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, type SubgraphOnPostgres } from '@simpul/testing';
import { eq } from 'drizzle-orm';
import { dukcapilService } from '../src/app';
import { birthCertificates, citizens, childIdCards, movingCertificates, taskApprovals, type DukcapilSchema } from '../src/db/schema';
import { BIRTH_CERTIFICATE_NUMBER, MOVING_CERTIFICATE_NUMBER, ddmmyy } from '../src/modules/registry-numbers/registry-numbers';
import { createDukcapilTaskHandlers } from '../src/task-worker';

const WORLD = { citizens: 200, seed: 7 };
const world = generateWorld(WORLD);
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

function assignedTask(taskKind: string, inputs: Record<string, unknown>, taskId = uuidv7()): AssignedTask {
  const applicationId = uuidv7();
  return {
    taskId,
    applicationId,
    applicationType: 'TEST_APPLICATION',
    participant: 'dukcapil',
    taskKind,
    inputs: inputs as AssignedTask['inputs'],
    dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    attempt: 1,
    eventId: uuidv7(),
    correlationId: applicationId,
  };
}

/** Runs the handler in a transaction, as the task worker does (without the inbox and outbox). */
function decide(taskKind: string, inputs: Record<string, unknown>, taskId?: string): Promise<TaskDecision> {
  return dukcapil.db.transaction((tx) => handlers[taskKind]!(assignedTask(taskKind, inputs, taskId), tx));
}

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
/** The day before someone born on `birthDate` turns `years` (not for 29 February births). */
function dayBeforeBirthday(birthDate: string, years: number): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  return new Date(Date.UTC(y! + years, m! - 1, d! - 1)).toISOString().slice(0, 10);
}
const ageOf = (citizen: SyntheticCitizen) => Number(TODAY.slice(0, 4)) - Number(citizen.birthDate.slice(0, 4));

describe('VERIFY_IDENTITY', () => {
  it('approves a registered, living resident', async () => {
    const applicant = take('resident', () => true);
    expect(await decide('VERIFY_IDENTITY', { applicantNik: applicant.nik })).toMatchObject({ status: 'APPROVED', note: expect.any(String) });
  });

  it('rejects a NIK Dukcapil has not registered, and a deceased resident', async () => {
    expect(reasonOf(await decide('VERIFY_IDENTITY', { applicantNik: UNREGISTERED_NIK }))).toMatch(/no citizen registered under the applicant's NIK/);
    const deceased = take('resident', () => true);
    await dukcapil.db.update(citizens).set({ diedOn: '2025-02-03' }).where(eq(citizens.nik, deceased.nik));
    expect(reasonOf(await decide('VERIFY_IDENTITY', { applicantNik: deceased.nik }))).toBe(`Dukcapil records the applicant (${deceased.fullName}) as deceased since 2025-02-03.`);
  });

  it('treats inputs that break the contract as permanent: the task is dead-lettered, not decided', async () => {
    await expect(decide('VERIFY_IDENTITY', { applicantNik: '35100150059000' })).rejects.toThrow(PermanentEventError);
    await expect(decide('VERIFY_IDENTITY', {})).rejects.toThrow(/malformed inputs/);
  });
});

describe('MOVE_RESIDENCE', () => {
  it('moves a member out of their household to a new family card at the new address, with an SKPWNI', async () => {
    const mover = takeHousehold('adult child of a household', (c) => c.familyRelationship === 'CHILD' && ageOf(c) >= 18 && membersOf(c.familyCardNumber).length > 1);
    const decision = await decide('MOVE_RESIDENCE', { applicantNik: mover.nik, newAddress: BOGOR_ADDRESS, movingDate: TODAY });
    const documents = documentsOf(decision);
    expect(documents.MOVING_CERTIFICATE).toMatch(MOVING_CERTIFICATE_NUMBER);
    expect(documents.MOVING_CERTIFICATE!.startsWith(`SKPWNI/${mover.address.regencyCode}/`)).toBe(true);
    const card = parseFamilyCardNumber(documents.FAMILY_CARD!);
    expect(card).toMatchObject({ ok: true, value: { regionCode: '327104', issuedOn: TODAY } });

    const view = await citizenView(mover.nik);
    expect(view).toMatchObject({
      address: { street: 'Jl. Pajajaran No. 21', rt: '004', rw: '007', village: 'Babakan', district: { code: '327104', name: 'Bogor Tengah' }, regency: { code: '3271' }, postalCode: '16128' },
      familyCard: { number: documents.FAMILY_CARD, issuedOn: TODAY, head: { nik: mover.nik }, members: [{ nik: mover.nik, relationship: 'HEAD' }] },
    });
    const origin = await familyCardView(mover.familyCardNumber);
    expect(origin!.members.map((m) => m.nik).sort()).toEqual(membersOf(mover.familyCardNumber).filter((m) => m.nik !== mover.nik).map((m) => m.nik).sort());
    expect(origin!.issuedOn).toBe(TODAY);
    const [certificate] = await dukcapil.db.select().from(movingCertificates).where(eq(movingCertificates.number, documents.MOVING_CERTIFICATE!));
    expect(certificate).toMatchObject({ nik: mover.nik, fromFamilyCardNumber: mover.familyCardNumber, toFamilyCardNumber: documents.FAMILY_CARD, newAddress: BOGOR_ADDRESS });

    // Alone on that card now, moving again takes the card along: same number, new address.
    const again = documentsOf(await decide('MOVE_RESIDENCE', { applicantNik: mover.nik, newAddress: 'Jl. Sudirman 5, RT 1/RW 2, Kel. Tegallega, Kec. Bogor Tengah, Kota Bogor 16129', movingDate: TODAY }));
    expect(again.FAMILY_CARD).toBe(documents.FAMILY_CARD);
    expect(again.MOVING_CERTIFICATE).not.toBe(documents.MOVING_CERTIFICATE);
    expect(await citizenView(mover.nik)).toMatchObject({ address: { street: 'Jl. Sudirman 5', village: 'Tegallega', postalCode: '16129' }, familyCard: { number: documents.FAMILY_CARD } });
  });

  it('hands the family card to the spouse when its head moves out alone', async () => {
    const head = takeHousehold('married head with a spouse', (c) => c.familyRelationship === 'HEAD' && membersOf(c.familyCardNumber).some((m) => m.familyRelationship === 'SPOUSE'));
    const spouse = membersOf(head.familyCardNumber).find((m) => m.familyRelationship === 'SPOUSE')!;
    documentsOf(await decide('MOVE_RESIDENCE', { applicantNik: head.nik, newAddress: BOGOR_ADDRESS, movingDate: TODAY }));
    const origin = await familyCardView(head.familyCardNumber);
    expect(origin!.head).toEqual({ nik: spouse.nik });
    expect(origin!.members).toContainEqual({ nik: spouse.nik, relationship: 'HEAD' });
    expect(origin!.members.map((m) => m.nik)).not.toContain(head.nik);
  });

  it('rejects an address it cannot file, the address already registered, and an unknown applicant', async () => {
    const applicant = take('resident', () => true);
    expect(reasonOf(await decide('MOVE_RESIDENCE', { applicantNik: applicant.nik, newAddress: 'Jl. Merdeka 1, Bogor', movingDate: TODAY }))).toMatch(/incomplete.*RT\/RW/);
    expect(
      reasonOf(await decide('MOVE_RESIDENCE', { applicantNik: applicant.nik, newAddress: 'Jl. Braga 1, RT 1/RW 1, Kel. Braga, Kec. Sumur Bandung, Kota Bandung 40111', movingDate: TODAY })),
    ).toMatch(/"Sumur Bandung" is not a kecamatan/);
    const a = applicant.address;
    const current = `${a.street}, RT ${a.rt}/RW ${a.rw}, Desa ${a.village}, Kec. ${a.districtName}, ${a.postalCode}`;
    expect(reasonOf(await decide('MOVE_RESIDENCE', { applicantNik: applicant.nik, newAddress: current, movingDate: TODAY }))).toMatch(/already registered at that address/);
    expect(reasonOf(await decide('MOVE_RESIDENCE', { applicantNik: UNREGISTERED_NIK, newAddress: BOGOR_ADDRESS, movingDate: TODAY }))).toMatch(/no citizen registered/);
    expect((await citizenView(applicant.nik))!.familyCard.number).toBe(applicant.familyCardNumber);
  });
});

describe('ISSUE_FAMILY_CARD', () => {
  const MARRIAGE_CERTIFICATE = { kind: 'MARRIAGE_CERTIFICATE', number: '0042/351016/XI/2026' };

  it("issues the couple's KK at the groom's address, groom as head, both recorded married, once per task", async () => {
    const groom = takeHousehold('single man', (c) => c.sex === 'MALE' && c.maritalStatus === 'SINGLE' && ageOf(c) >= 19);
    const bride = takeHousehold('single woman', (c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE' && ageOf(c) >= 19);
    const taskId = uuidv7();
    const inputs = { groomNik: groom.nik, brideNik: bride.nik, issuedDocuments: [MARRIAGE_CERTIFICATE] };
    const decision = await decide('ISSUE_FAMILY_CARD', inputs, taskId);
    const { FAMILY_CARD: number } = documentsOf(decision);
    const parsed = parseFamilyCardNumber(number!);
    expect(parsed).toMatchObject({ ok: true, value: { regionCode: groom.address.districtCode, issuedOn: TODAY } });
    expect(number!.slice(6, 12)).toBe(ddmmyy(TODAY));

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

    // The same task sent again (a new event) is answered as before, without a second KK.
    expect(await decide('ISSUE_FAMILY_CARD', inputs, taskId)).toEqual(decision);
    expect(await dukcapil.db.$count(taskApprovals, eq(taskApprovals.taskId, taskId))).toBe(1);
    // Another application for the same couple finds them married.
    expect(reasonOf(await decide('ISSUE_FAMILY_CARD', inputs))).toMatch(/groom .* as already married/);
  });

  it('rejects a groom already married, an unknown bride, and a request without a marriage certificate', async () => {
    const married = take('married man', (c) => c.sex === 'MALE' && c.maritalStatus === 'MARRIED');
    const single = take('single woman', (c) => c.sex === 'FEMALE' && c.maritalStatus === 'SINGLE' && ageOf(c) >= 19);
    const groom = take('single man', (c) => c.sex === 'MALE' && c.maritalStatus === 'SINGLE' && ageOf(c) >= 19);
    expect(reasonOf(await decide('ISSUE_FAMILY_CARD', { groomNik: married.nik, brideNik: single.nik, issuedDocuments: [MARRIAGE_CERTIFICATE] }))).toBe(
      `Dukcapil records the groom (${married.fullName}) as already married; the earlier marriage must be ended in the registry (divorce or death) first.`,
    );
    expect(reasonOf(await decide('ISSUE_FAMILY_CARD', { groomNik: groom.nik, brideNik: UNREGISTERED_NIK, issuedDocuments: [MARRIAGE_CERTIFICATE] }))).toMatch(
      /no citizen registered under the bride's NIK/,
    );
    expect(reasonOf(await decide('ISSUE_FAMILY_CARD', { groomNik: groom.nik, brideNik: single.nik }))).toMatch(/No marriage certificate/);
    expect((await citizenView(single.nik))!.maritalStatus).toBe('SINGLE');
    expect((await citizenView(groom.nik))!.familyCard.number).toBe(groom.familyCardNumber);
    await expect(decide('ISSUE_FAMILY_CARD', { groomNik: groom.nik, brideNik: groom.nik, issuedDocuments: [] })).rejects.toThrow(PermanentEventError);
  });
});

describe('BIRTH_REGISTRATION: birth certificate, family card, KIA', () => {
  it('issues the akta, adds the child to the KK with a new NIK, then the KIA', async () => {
    const mother = takeHousehold('young wife', (c) => c.familyRelationship === 'SPOUSE' && c.sex === 'FEMALE' && ageOf(c) < 45);
    const father = membersOf(mother.familyCardNumber).find((m) => m.familyRelationship === 'HEAD')!;
    const childBirthDate = TODAY;
    const child = { childName: 'Putri Ayu Lestari', childSex: 'FEMALE', childBirthDate };

    const birth = await decide('ISSUE_BIRTH_CERTIFICATE', { ...child, birthPlace: 'RSUD Blambangan', motherNik: mother.nik, fatherNik: father.nik, familyCardNumber: mother.familyCardNumber });
    const { BIRTH_CERTIFICATE: certificate } = documentsOf(birth);
    expect(certificate).toMatch(BIRTH_CERTIFICATE_NUMBER);
    expect(certificate!.startsWith(`${mother.address.regencyCode}-LU-`)).toBe(true);
    expect(reasonOf(await decide('ISSUE_BIRTH_CERTIFICATE', { ...child, birthPlace: 'RSUD Blambangan', motherNik: mother.nik, familyCardNumber: mother.familyCardNumber }))).toMatch(
      `already has birth certificate ${certificate}`,
    );

    const update = await decide('UPDATE_FAMILY_CARD', { familyCardNumber: mother.familyCardNumber, ...child, issuedDocuments: [{ kind: 'BIRTH_CERTIFICATE', number: certificate }] });
    const { NIK: childNik, FAMILY_CARD: card } = documentsOf(update);
    expect(card).toBe(mother.familyCardNumber);
    const parsedNik = parseNik(childNik!);
    expect(parsedNik).toMatchObject({ ok: true, value: { districtCode: mother.address.districtCode, birthDate: childBirthDate, sex: 'FEMALE' } });
    expect(Number(childNik!.slice(6, 8))).toBe(Number(childBirthDate.slice(8, 10)) + 40);
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
    expect(reasonOf(await decide('UPDATE_FAMILY_CARD', { familyCardNumber: mother.familyCardNumber, ...child, issuedDocuments: [{ kind: 'BIRTH_CERTIFICATE', number: certificate }] }))).toMatch(
      /already on a family card/,
    );

    const kia = await decide('ISSUE_CHILD_ID_CARD', { familyCardNumber: mother.familyCardNumber, childName: child.childName, issuedDocuments: [{ kind: 'NIK', number: childNik }, { kind: 'FAMILY_CARD', number: card }] });
    expect(documentsOf(kia)).toEqual({ CHILD_ID_CARD: childNik });
    const [holder] = await dukcapil.db.select().from(childIdCards).where(eq(childIdCards.nik, childNik!));
    // Issued to a newborn: valid until the day before the 5th birthday.
    expect(holder).toEqual({ nik: childNik, issuedOn: TODAY, validUntil: dayBeforeBirthday(childBirthDate, 5) });
    expect(reasonOf(await decide('ISSUE_CHILD_ID_CARD', { familyCardNumber: mother.familyCardNumber, childName: child.childName }))).toMatch(/already holds a KIA/);
  });

  it('rejects a birth certificate when the mother is not on the given KK, is unknown or is a man', async () => {
    const mother = take('wife', (c) => c.familyRelationship === 'SPOUSE' && c.sex === 'FEMALE');
    const otherCard = world.familyCards.find((card) => card.number !== mother.familyCardNumber)!.number;
    const man = take('man', (c) => c.sex === 'MALE');
    const child = { childName: 'Bayu', childSex: 'MALE', childBirthDate: TODAY, birthPlace: 'Banyuwangi' };
    expect(reasonOf(await decide('ISSUE_BIRTH_CERTIFICATE', { ...child, motherNik: mother.nik, familyCardNumber: otherCard }))).toBe(
      `The mother (${mother.fullName}) is not on the given family card. Give the number of the KK she is registered on.`,
    );
    expect(reasonOf(await decide('ISSUE_BIRTH_CERTIFICATE', { ...child, motherNik: UNREGISTERED_NIK, familyCardNumber: mother.familyCardNumber }))).toMatch(/mother's NIK/);
    expect(reasonOf(await decide('ISSUE_BIRTH_CERTIFICATE', { ...child, motherNik: man.nik, familyCardNumber: man.familyCardNumber }))).toMatch(/registered to a man/);
    expect(await dukcapil.db.$count(birthCertificates, eq(birthCertificates.motherNik, mother.nik))).toBe(0);
  });

  it('adds no child without a birth certificate, and issues no KIA to a 17-year-old or to someone not on the card', async () => {
    const member = takeHousehold('adult child', (c) => c.familyRelationship === 'CHILD' && ageOf(c) >= 18);
    const before = await dukcapil.db.$count(citizens);
    expect(reasonOf(await decide('UPDATE_FAMILY_CARD', { familyCardNumber: member.familyCardNumber, childName: 'Tanpa Akta', childSex: 'MALE', childBirthDate: TODAY }))).toMatch(
      /No birth certificate for Tanpa Akta/,
    );
    expect(await dukcapil.db.$count(citizens)).toBe(before);
    expect(reasonOf(await decide('ISSUE_CHILD_ID_CARD', { familyCardNumber: member.familyCardNumber, childName: member.fullName }))).toMatch(/a KIA is for children under 17/);
    expect(reasonOf(await decide('ISSUE_CHILD_ID_CARD', { familyCardNumber: member.familyCardNumber, childName: 'Nobody Here' }))).toMatch(/No one named Nobody Here/);
  });

  it('issues a KIA to a school-age child on the card, valid until the day before 17', async () => {
    const child = take('child aged 7 to 15', (c) => c.familyRelationship === 'CHILD' && ageOf(c) >= 7 && ageOf(c) <= 15 && !c.birthDate.endsWith('02-29'));
    const kia = await decide('ISSUE_CHILD_ID_CARD', { familyCardNumber: child.familyCardNumber, childName: child.fullName.toLowerCase() });
    expect(documentsOf(kia)).toEqual({ CHILD_ID_CARD: child.nik });
    const [card] = await dukcapil.db.select().from(childIdCards).where(eq(childIdCards.nik, child.nik));
    expect(card).toEqual({ nik: child.nik, issuedOn: TODAY, validUntil: dayBeforeBirthday(child.birthDate, 17) });
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
