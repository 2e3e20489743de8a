import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import * as events from '@simpul/events';
import { loadTaskWorkerEnv, PermanentEventError } from '@simpul/events';
import { CollectingAuditRecorder, GatewayQueryError, auditNikHash, createGatewayClient, createLogger } from '@simpul/service-kit';
import { jakartaClock } from '@simpul/identifiers';
import { generateWorld } from '@simpul/synthetic-data';
import { taxService } from '@simpul/tax';
import { vehicleTaxes, type TaxSchema } from '@simpul/tax/schema';
import { taxTaskHandlers } from '@simpul/tax/tasks';
import { freePort, postGraphQL, startSubgraphOnPostgres, taskDecider, taskWorkerHarness, type SubgraphOnPostgres } from '@simpul/testing';
import { policeService } from '../src/app';
import { stnkValidations, vehicles, type PoliceSchema } from '../src/db/schema';
import { STNK_VALIDATION_NUMBER_PATTERN } from '../src/modules/vehicle/vehicle.service';
import { policeTaskHandlers } from '../src/tasks';

jest.setTimeout(60_000);

// The police and the tax office seed their slices of the same world, so plates and owners agree.
const WORLD = { citizens: 200, seed: 23 };
const world = generateWorld(WORLD);
// 03:00 UTC is 10:00 WIB, the world's first working day of 2026.
const NOW = new Date('2026-01-02T03:00:00Z');
const TODAY = '2026-01-02';

let police: SubgraphOnPostgres<PoliceSchema>;
let tax: SubgraphOnPostgres<TaxSchema>;
let handlers: ReturnType<typeof policeTaskHandlers>;

beforeAll(async () => {
  [police, tax] = await Promise.all([startSubgraphOnPostgres(policeService, WORLD), startSubgraphOnPostgres(taxService, WORLD)]);
  // The tax subgraph's root fields answer the same through the gateway as from the subgraph itself.
  handlers = policeTaskHandlers({ gateway: createGatewayClient({ url: tax.url }), clock: jakartaClock(() => NOW) });
});

afterAll(async () => {
  await Promise.all([police?.stop(), tax?.stop()]);
});

const PEPPER = 'police-tasks-test-pepper-0123';
const hashOf = (nik: string) => auditNikHash(nik, PEPPER);
const assignment = { participant: 'police', dueAt: () => '2026-01-03T00:00:00.000Z', nikHashPepper: PEPPER };
/** Decides a task the way the worker does: in one transaction of the service's database, reporting to an audit recorder. */
const { assignedTask, decideAudited, decide } = taskDecider({ ...assignment, db: () => police.db, handlers: () => handlers, now: () => NOW });

/** The police's own data checked before validating an STNK (the PKB is the tax office's to record). */
const STNK_CHECKED = ['Vehicle.owner', 'Vehicle.stnkExpiresOn', 'Vehicle.stnkValidation'];
const STNK_VALIDATED = ['StnkValidation.number', 'StnkValidation.validUntil', 'StnkValidation.validatedOn', 'Vehicle.stnkValidation'];

async function validationCount(): Promise<number> {
  const [row] = await police.db.select({ n: count() }).from(stnkValidations);
  return row!.n;
}

const VEHICLE = 'query ($plate: String!) { vehicle(plateNumber: $plate) { plateNumber registeredAddress stnkValidation { number validatedOn validUntil } } }';
type VehicleAnswer = { vehicle: { plateNumber: string; registeredAddress: string | null; stnkValidation: { number: string; validatedOn: string; validUntil: string } | null } };

const ownersOf = new Map<string, string[]>();
for (const vehicle of world.vehicles) ownersOf.set(vehicle.ownerNik, [...(ownersOf.get(vehicle.ownerNik) ?? []), vehicle.plateNumber]);
const taxOf = new Map(world.vehicleTaxes.map((t) => [t.plateNumber, t]));
const adultWithoutVehicle = world.citizens.find((c) => c.birthDate < '2000-01-01' && !ownersOf.has(c.nik))!;
const current = world.vehicles.filter((v) => v.stnkExpiresOn > '2027-06-30');
const withPaidPkb = current.filter((v) => taxOf.get(v.plateNumber)?.status === 'PAID');
const withUnpaidPkb = current.filter((v) => taxOf.get(v.plateNumber)?.status !== 'PAID');

describe('UPDATE_VEHICLE_REGISTRATION_ADDRESS', () => {
  it('updates the address on every STNK of the citizen, visible through Query.vehicle, and no one else’s', async () => {
    const [ownerNik, plates] = [...ownersOf.entries()].find(([, p]) => p.length >= 2)!;
    const otherPlate = world.vehicles.find((v) => v.ownerNik !== ownerNik)!.plateNumber;
    const { decision, audited } = await decideAudited('UPDATE_VEHICLE_REGISTRATION_ADDRESS', { applicantNik: ownerNik, newAddress: 'Jl. Ahmad Yani No. 3, Badung' });
    expect(decision).toEqual({ status: 'APPROVED', note: expect.stringContaining([...plates].sort().join(', ')) });
    expect(audited).toEqual([
      { nikHash: hashOf(ownerNik), kind: 'READ', fields: ['Citizen.vehicles', 'Vehicle.plateNumber'] },
      { nikHash: hashOf(ownerNik), kind: 'CHANGE', fields: ['Vehicle.registeredAddress'] },
    ]);

    for (const plate of [...plates, otherPlate]) {
      const response = await postGraphQL<VehicleAnswer>(police.url, VEHICLE, { plate });
      expect(response.errors).toBeUndefined();
      expect(response.data!.vehicle.registeredAddress).toBe(plate === otherPlate ? null : 'Jl. Ahmad Yani No. 3, Badung');
    }
  });

  it('approves with a note, changing nothing, for a citizen with no vehicle (once-only)', async () => {
    const before = await police.db.select().from(vehicles);
    const { decision, audited } = await decideAudited('UPDATE_VEHICLE_REGISTRATION_ADDRESS', { applicantNik: adultWithoutVehicle.nik, newAddress: 'Jl. Merdeka 1' });
    expect(decision).toEqual({ status: 'APPROVED', note: expect.stringMatching(/No vehicle is registered to the applicant/) });
    expect(audited).toEqual([{ nikHash: hashOf(adultWithoutVehicle.nik), kind: 'READ', fields: ['Citizen.vehicles'] }]);
    expect(await police.db.select().from(vehicles)).toEqual(before);
  });

  it('treats a malformed NIK as a contract bug', async () => {
    await expect(decide('UPDATE_VEHICLE_REGISTRATION_ADDRESS', { applicantNik: '12', newAddress: 'Jl. Merdeka 1' })).rejects.toBeInstanceOf(PermanentEventError);
  });
});

describe('VALIDATE_STNK', () => {
  it('has vehicles with paid and unpaid PKBs in the world', () => {
    expect(withPaidPkb.length).toBeGreaterThanOrEqual(7);
    expect(withUnpaidPkb.length).toBeGreaterThanOrEqual(3);
  });

  it('validates the STNK of a vehicle whose PKB is paid for a year, with a valid unique number, visible through Query.vehicle', async () => {
    const vehicle = withPaidPkb[0]!;
    const { decision, audited } = await decideAudited('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber });
    expect(audited).toEqual([
      { nikHash: hashOf(vehicle.ownerNik), kind: 'READ', fields: STNK_CHECKED },
      { nikHash: hashOf(vehicle.ownerNik), kind: 'CHANGE', fields: STNK_VALIDATED },
    ]);
    expect(decision).toMatchObject({ status: 'APPROVED', documents: [{ kind: 'STNK_VALIDATION', number: expect.stringMatching(STNK_VALIDATION_NUMBER_PATTERN) }] });
    const number = (decision as { documents: { number: string }[] }).documents[0]!.number;
    expect(number.slice(5, 9)).toBe('2026');

    const response = await postGraphQL<VehicleAnswer>(police.url, VEHICLE, { plate: vehicle.plateNumber });
    expect(response.errors).toBeUndefined();
    expect(response.data!.vehicle.stnkValidation).toEqual({ number, validatedOn: TODAY, validUntil: '2027-01-02' });

    // The next validation extends the validity a year further, under a new number.
    const nextApplication = randomUUID();
    const nextTask = randomUUID();
    const { decision: next, audited: nextAudited } = await decideAudited(
      'VALIDATE_STNK',
      { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber },
      { taskId: nextTask, applicationId: nextApplication },
    );
    expect(nextAudited).toEqual([
      { nikHash: hashOf(vehicle.ownerNik), kind: 'READ', fields: ['StnkValidation.validUntil', ...STNK_CHECKED] },
      { nikHash: hashOf(vehicle.ownerNik), kind: 'CHANGE', fields: STNK_VALIDATED },
    ]);
    const nextNumber = (next as { documents: { number: string }[] }).documents[0]!.number;
    expect(nextNumber).not.toBe(number);
    const after = await postGraphQL<VehicleAnswer>(police.url, VEHICLE, { plate: vehicle.plateNumber });
    expect(after.data!.vehicle.stnkValidation).toEqual({ number: nextNumber, validatedOn: TODAY, validUntil: '2028-01-02' });

    // The same task sent again (same task id) gets the validation it was given, not a third one; only its number is told again.
    const { decision: resent, audited: resentAudited } = await decideAudited(
      'VALIDATE_STNK',
      { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber },
      { taskId: nextTask, applicationId: nextApplication },
    );
    expect(resent).toEqual(next);
    expect(resentAudited).toEqual([{ nikHash: hashOf(vehicle.ownerNik), kind: 'READ', fields: ['StnkValidation.number'] }]);
    const unchanged = await postGraphQL<VehicleAnswer>(police.url, VEHICLE, { plate: vehicle.plateNumber });
    expect(unchanged.data!.vehicle.stnkValidation).toEqual(after.data!.vehicle.stnkValidation);
  });

  it('refuses while the PKB is unpaid, and validates once the tax office recorded the payment', async () => {
    const vehicle = withUnpaidPkb[0]!;
    const pkb = taxOf.get(vehicle.plateNumber)!;
    const before = await validationCount();
    const { decision: refused, audited } = await decideAudited('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber });
    // Only the police's own data: the PKB read through the gateway is the tax office's to record.
    expect(audited).toEqual([{ nikHash: hashOf(vehicle.ownerNik), kind: 'READ', fields: STNK_CHECKED }]);
    expect(refused).toEqual({
      status: 'REJECTED',
      reason: `The PKB of ${vehicle.plateNumber} (due ${pkb.dueOn}) is ${pkb.status === 'OVERDUE' ? 'overdue' : 'unpaid'}; the STNK is validated only once the PKB is paid.`,
    });
    expect(await validationCount()).toBe(before);

    // The previous step of VEHICLE_ANNUAL_RENEWAL, as the tax office performs it.
    const recordPayment = taxTaskHandlers(jakartaClock(() => NOW)).RECORD_VEHICLE_TAX_PAYMENT!;
    const recorded = await tax.db.transaction((tx) =>
      recordPayment(
        { ...assignedTask('RECORD_VEHICLE_TAX_PAYMENT', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber, issuedDocuments: [{ kind: 'PKB_PAYMENT', number: 'BPD-1' }] }), participant: 'tax' },
        tx,
        new CollectingAuditRecorder(),
      ),
    );
    expect(recorded).toMatchObject({ status: 'APPROVED' });
    expect(await decide('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber })).toMatchObject({ status: 'APPROVED' });
  });

  it('refuses a plate the tax office has no PKB record of', async () => {
    const vehicle = withPaidPkb[1]!;
    await tax.db.delete(vehicleTaxes).where(eq(vehicleTaxes.plateNumber, vehicle.plateNumber));
    const before = await validationCount();
    expect(await decide('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber })).toEqual({
      status: 'REJECTED',
      reason: expect.stringMatching(/tax office has no PKB record/),
    });
    expect(await validationCount()).toBe(before);
  });

  it('refuses a vehicle registered to someone else, and an unregistered plate', async () => {
    const vehicle = withPaidPkb[2]!;
    const before = await validationCount();
    const someoneElses = await decideAudited('VALIDATE_STNK', { applicantNik: adultWithoutVehicle.nik, plateNumber: vehicle.plateNumber });
    expect(someoneElses.decision).toEqual({
      status: 'REJECTED',
      reason: expect.stringMatching(/not registered to the applicant/),
    });
    // What was read is whose vehicle it is: the owner's, not the applicant's.
    expect(someoneElses.audited).toEqual([{ nikHash: hashOf(vehicle.ownerNik), kind: 'READ', fields: ['Vehicle.owner'] }]);
    const unregistered = await decideAudited('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: 'BM 9999 ZZZ' });
    expect(unregistered.decision).toEqual({
      status: 'REJECTED',
      reason: 'No vehicle with plate BM 9999 ZZZ is registered with the police.',
    });
    expect(unregistered.audited).toEqual([]);
    expect(await validationCount()).toBe(before);
  });

  it('refuses an expired STNK (five-yearly renewal), and validates no further than the STNK’s expiry', async () => {
    const [expired, expiring] = [withPaidPkb[3]!, withPaidPkb[4]!];
    await police.db.update(vehicles).set({ stnkExpiresOn: '2025-12-31' }).where(eq(vehicles.plateNumber, expired.plateNumber));
    await police.db.update(vehicles).set({ stnkExpiresOn: '2026-05-31' }).where(eq(vehicles.plateNumber, expiring.plateNumber));

    const refused = await decideAudited('VALIDATE_STNK', { applicantNik: expired.ownerNik, plateNumber: expired.plateNumber });
    expect(refused.decision).toEqual({
      status: 'REJECTED',
      reason: expect.stringMatching(/expired on 2025-12-31: it needs the five-yearly renewal/),
    });
    expect(refused.audited).toEqual([{ nikHash: hashOf(expired.ownerNik), kind: 'READ', fields: ['Vehicle.owner', 'Vehicle.stnkExpiresOn'] }]);
    expect(await decide('VALIDATE_STNK', { applicantNik: expiring.ownerNik, plateNumber: expiring.plateNumber })).toMatchObject({ status: 'APPROVED' });
    const response = await postGraphQL<VehicleAnswer>(police.url, VEHICLE, { plate: expiring.plateNumber });
    expect(response.data!.vehicle.stnkValidation).toMatchObject({ validUntil: '2026-05-31' });
    const again = await decideAudited('VALIDATE_STNK', { applicantNik: expiring.ownerNik, plateNumber: expiring.plateNumber });
    expect(again.decision).toEqual({
      status: 'REJECTED',
      reason: expect.stringMatching(/already validated until it expires on 2026-05-31/),
    });
    expect(again.audited).toEqual([{ nikHash: hashOf(expiring.ownerNik), kind: 'READ', fields: ['StnkValidation.validUntil', ...STNK_CHECKED] }]);
  });

  it('throws (to be retried) rather than rejects when the tax office cannot be asked', async () => {
    const vehicle = withPaidPkb[5]!;
    const unreachable = policeTaskHandlers({ gateway: createGatewayClient({ url: `http://127.0.0.1:${await freePort()}/graphql`, timeoutMs: 2_000 }), clock: jakartaClock(() => NOW) });
    const before = await validationCount();
    await expect(decide('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber }, { handlers: unreachable })).rejects.toBeInstanceOf(GatewayQueryError);
    expect(await validationCount()).toBe(before);
    // Once the tax office answers again, the same task is decided.
    expect(await decide('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber })).toMatchObject({ status: 'APPROVED' });
  });

  it('treats a malformed plate as a contract bug', async () => {
    await expect(decide('VALIDATE_STNK', { applicantNik: withPaidPkb[0]!.ownerNik, plateNumber: 'XX 1' })).rejects.toBeInstanceOf(PermanentEventError);
  });
});

describe('the police task worker, over the embedded broker', () => {
  const tasks = taskWorkerHarness({ ...assignment, events });
  beforeAll(() => tasks.start());
  afterAll(() => tasks.stop());

  it('validates an STNK from a task-assigned event, asking the PKB at GATEWAY_URL, and publishes the status', async () => {
    await tasks.startWorker(({ eventsUrl }) =>
      policeService.tasks.start(
        { db: police.db, env: { ...loadTaskWorkerEnv({ EVENTS_URL: eventsUrl }), GATEWAY_URL: tax.url }, logger: createLogger('police', 'silent') },
        { clock: jakartaClock(() => NOW), relay: { pollIntervalMs: 50 } },
      ),
    );
    const vehicle = withPaidPkb[6]!;
    const { data } = await tasks.assign('VALIDATE_STNK', { applicantNik: vehicle.ownerNik, plateNumber: vehicle.plateNumber });
    const { applicationId } = data;

    const [published] = await tasks.awaitStatuses(data.taskId, 1, 30_000);
    const status = published!.data;
    expect(status).toMatchObject({ applicationId, participant: 'police', status: 'APPROVED', documents: [{ kind: 'STNK_VALIDATION' }] });
    const [stored] = await police.db.select().from(stnkValidations).where(eq(stnkValidations.number, status.documents[0]!.number));
    expect(stored).toMatchObject({ plateNumber: vehicle.plateNumber, taskId: data.taskId });
  });
});
