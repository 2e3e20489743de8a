import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import * as events from '@simpul/events';
import { loadTaskWorkerEnv, PermanentEventError } from '@simpul/events';
import { jakartaClock, parseNpwp } from '@simpul/identifiers';
import { auditNikHash, createLogger } from '@simpul/service-kit';
import { generateWorld } from '@simpul/synthetic-data';
import { postGraphQL, startSubgraphOnPostgres, taskDecider, taskWorkerHarness, type AuditedAccess, type SubgraphOnPostgres } from '@simpul/testing';
import { taxService } from '../src/app';
import { businessTaxpayers, taxpayers, vehicleTaxPayments, vehicleTaxes, type TaxSchema } from '../src/db/schema';
import { PKB_RECEIPT_NUMBER_PATTERN } from '../src/modules/vehicle-tax/vehicle-tax.service';
import { taxTaskHandlers } from '../src/tasks';

jest.setTimeout(60_000);

const WORLD = { citizens: 150, seed: 17 };
const world = generateWorld(WORLD);
// 20:00 UTC is 03:00 the next day in WIB: what the office issues carries Indonesia's date.
const NOW = new Date('2026-03-09T20:00:00Z');
const TODAY_IN_INDONESIA = '2026-03-10';
const handlers = taxTaskHandlers(jakartaClock(() => NOW));
let tax: SubgraphOnPostgres<TaxSchema>;

beforeAll(async () => {
  tax = await startSubgraphOnPostgres(taxService, WORLD);
});

afterAll(async () => {
  await tax?.stop();
});

const PEPPER = 'tax-tasks-test-pepper-0123';
const hashOf = (nik: string) => auditNikHash(nik, PEPPER);
const assignment = { participant: 'tax', dueAt: () => '2026-03-12T00:00:00.000Z', nikHashPepper: PEPPER };
/** Decides a task the way the worker does: in one transaction of the service's database, reporting to an audit recorder. */
const { decideAudited, decide } = taskDecider({ ...assignment, db: () => tax.db, handlers: () => handlers, now: () => NOW });

async function rowCount(table: typeof businessTaxpayers | typeof vehicleTaxPayments): Promise<number> {
  const [row] = await tax.db.select({ n: count() }).from(table);
  return row!.n;
}

const taxpayerNiks = new Set(world.taxpayers.map((t) => t.nik));
const adults = world.citizens.filter((c) => c.birthDate < '2000-01-01');
const nonTaxpayer = adults.find((c) => !taxpayerNiks.has(c.nik))!;
let nextNib = 9120000000001;
const freshNib = () => String(nextNib++);

describe('REGISTER_NPWP', () => {
  const applicant = adults[0]!;
  const REGISTERED_BUSINESS_TAXPAYER = ['address', 'name', 'nib', 'npwp', 'registeredOn', 'responsible'].map((field) => `BusinessTaxpayer.${field}`);
  const registration = (nib?: string) => ({
    applicantNik: applicant.nik,
    businessName: 'Warung Makan Sederhana',
    businessAddress: 'Jl. Sultan Syarif Kasim No. 12, Siak',
    ...(nib ? { issuedDocuments: [{ kind: 'NIB', number: nib }] } : {}),
  });

  it('registers the business of the issued NIB and issues a valid 15-digit NPWP, visible through businessTaxpayer', async () => {
    const nib = freshNib();
    const { decision, audited } = await decideAudited('REGISTER_NPWP', registration(nib));
    expect(decision).toMatchObject({ status: 'APPROVED', documents: [{ kind: 'NPWP', number: expect.any(String) }] });
    expect(audited).toEqual([{ nikHash: hashOf(applicant.nik), kind: 'CHANGE', fields: REGISTERED_BUSINESS_TAXPAYER }]);
    const number = (decision as { documents: { number: string }[] }).documents[0]!.number;
    const parsed = parseNpwp(number);
    expect(parsed).toMatchObject({ ok: true, value: { kind: 'LEGACY_15', formatted: number } });

    const response = await postGraphQL(
      tax.url,
      'query ($npwp: String!) { businessTaxpayer(npwp: $npwp) { npwp nib name address registeredOn responsible { nik } } }',
      { npwp: number },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      businessTaxpayer: {
        npwp: number,
        nib,
        name: 'Warung Makan Sederhana',
        address: 'Jl. Sultan Syarif Kasim No. 12, Siak',
        registeredOn: TODAY_IN_INDONESIA,
        responsible: { nik: applicant.nik },
      },
    });
  });

  it('answers a task sent again with the NPWP it issued, registering nothing twice and telling only that number again', async () => {
    const ids = { taskId: randomUUID(), applicationId: randomUUID() };
    const first = await decide('REGISTER_NPWP', registration(freshNib()), ids);
    const before = await rowCount(businessTaxpayers);
    const { decision, audited } = await decideAudited('REGISTER_NPWP', registration(freshNib()), { ...ids, attempt: 2 });
    expect(decision).toEqual(first);
    expect(await rowCount(businessTaxpayers)).toBe(before);
    expect(audited).toEqual([{ nikHash: hashOf(applicant.nik), kind: 'READ', fields: ['BusinessTaxpayer.npwp'] }]);
  });

  it('issues every business its own NPWP, none an individual already holds', async () => {
    const numbers = [];
    for (let i = 0; i < 3; i++) {
      const decision = await decide('REGISTER_NPWP', registration(freshNib()));
      numbers.push((decision as { documents: { number: string }[] }).documents[0]!.number.replace(/\D/g, ''));
    }
    expect(new Set(numbers).size).toBe(3);
    const individual = new Set(world.taxpayers.map((t) => t.npwp));
    expect(numbers.filter((n) => individual.has(n))).toEqual([]);
    for (const number of numbers) expect(parseNpwp(number).ok).toBe(true);
  });

  it('rejects, registering nothing, when no NIB was issued', async () => {
    const before = await rowCount(businessTaxpayers);
    const { decision, audited } = await decideAudited('REGISTER_NPWP', { ...registration(), issuedDocuments: [{ kind: 'KK', number: '1408010101200001' }] });
    expect(decision).toEqual({ status: 'REJECTED', reason: expect.stringMatching(/No NIB was issued/) });
    // Refused on the inputs alone: no taxpayer's data was read.
    expect(audited).toEqual([]);
    expect(await decide('REGISTER_NPWP', registration())).toMatchObject({ status: 'REJECTED' });
    expect(await rowCount(businessTaxpayers)).toBe(before);
  });

  it('rejects a NIB that already has an NPWP, naming it, and keeps the first registration', async () => {
    const nib = freshNib();
    const first = await decide('REGISTER_NPWP', registration(nib));
    const npwp = (first as { documents: { number: string }[] }).documents[0]!.number;

    const second = await decideAudited('REGISTER_NPWP', { ...registration(nib), businessName: 'Another Name' });
    expect(second.decision).toEqual({ status: 'REJECTED', reason: expect.stringContaining(`NPWP ${npwp}`) });
    expect(second.audited).toEqual([{ nikHash: hashOf(applicant.nik), kind: 'READ', fields: ['BusinessTaxpayer.nib', 'BusinessTaxpayer.npwp'] }]);

    // Someone else applying with that NIB reads the registration of its responsible person, not their own.
    const other = adults[2]!;
    const third = await decideAudited('REGISTER_NPWP', { ...registration(nib), applicantNik: other.nik });
    expect(third.decision).toMatchObject({ status: 'REJECTED' });
    expect(third.audited).toEqual([{ nikHash: hashOf(applicant.nik), kind: 'READ', fields: ['BusinessTaxpayer.nib', 'BusinessTaxpayer.npwp'] }]);
    const rows = await tax.db.select().from(businessTaxpayers).where(eq(businessTaxpayers.nib, nib));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('Warung Makan Sederhana');
  });

  it.each([
    ['a malformed NIK', { applicantNik: '123' }],
    ['a missing business name', { businessName: undefined }],
    ['a malformed NIB', { issuedDocuments: [{ kind: 'NIB', number: '12345' }] }],
  ])('treats %s as a contract bug (PermanentEventError), registering nothing', async (_, override) => {
    const before = await rowCount(businessTaxpayers);
    await expect(decide('REGISTER_NPWP', { ...registration(freshNib()), ...override })).rejects.toBeInstanceOf(PermanentEventError);
    expect(await rowCount(businessTaxpayers)).toBe(before);
  });
});

describe('UPDATE_TAXPAYER_ADDRESS', () => {
  const TAXPAYER = 'query ($npwp: String!) { taxpayer(npwp: $npwp) { npwp address citizen { nik } } }';

  it("updates the taxpayer's address, visible through Query.taxpayer", async () => {
    const taxpayer = world.taxpayers[0]!;
    const before = await postGraphQL<{ taxpayer: { address: string | null } }>(tax.url, TAXPAYER, { npwp: taxpayer.npwp });
    expect(before.data!.taxpayer.address).toBeNull();

    const { decision, audited } = await decideAudited('UPDATE_TAXPAYER_ADDRESS', { applicantNik: taxpayer.nik, newAddress: 'Jl. Diponegoro No. 5, Banyuwangi' });
    expect(decision).toMatchObject({ status: 'APPROVED' });
    expect(audited).toEqual([
      { nikHash: hashOf(taxpayer.nik), kind: 'READ', fields: ['Taxpayer.npwp'] },
      { nikHash: hashOf(taxpayer.nik), kind: 'CHANGE', fields: ['Taxpayer.address'] },
    ]);
    const after = await postGraphQL<{ taxpayer: { address: string | null } }>(tax.url, TAXPAYER, { npwp: taxpayer.npwp });
    expect(after.data!.taxpayer).toMatchObject({ address: 'Jl. Diponegoro No. 5, Banyuwangi', citizen: { nik: taxpayer.nik } });
  });

  it('approves with a note, changing nothing, for a citizen who is not a taxpayer (once-only)', async () => {
    const { decision, audited } = await decideAudited('UPDATE_TAXPAYER_ADDRESS', { applicantNik: nonTaxpayer.nik, newAddress: 'Jl. Merdeka 1' });
    expect(decision).toEqual({ status: 'APPROVED', note: expect.stringMatching(/not a registered taxpayer.*no address to update/) });
    // It learnt that the citizen has no NPWP, and changed nothing.
    expect(audited).toEqual([{ nikHash: hashOf(nonTaxpayer.nik), kind: 'READ', fields: ['Citizen.npwp'] }]);
    expect(await tax.db.select().from(taxpayers).where(eq(taxpayers.nik, nonTaxpayer.nik))).toEqual([]);
  });

  it('treats an empty address as a contract bug', async () => {
    const taxpayer = world.taxpayers[1]!;
    await expect(decide('UPDATE_TAXPAYER_ADDRESS', { applicantNik: taxpayer.nik, newAddress: '  ' })).rejects.toBeInstanceOf(PermanentEventError);
    const [row] = await tax.db.select().from(taxpayers).where(eq(taxpayers.nik, taxpayer.nik));
    expect(row!.address).toBeNull();
  });
});

describe('RECORD_VEHICLE_TAX_PAYMENT', () => {
  const VEHICLE_TAX = 'query ($plate: String!) { vehicleTax(plateNumber: $plate) { plateNumber amount status receiptNumber paidOn } }';
  const ownerOf = new Map(world.vehicles.map((v) => [v.plateNumber, v.ownerNik]));
  const unpaid = world.vehicleTaxes.filter((t) => t.status !== 'PAID');
  const paid = world.vehicleTaxes.find((t) => t.status === 'PAID')!;
  const bankReceipt = { kind: 'PKB_PAYMENT', number: 'BPD-2026-000123' };
  const payment = (plateNumber: string, applicantNik = ownerOf.get(plateNumber)!, issuedDocuments: unknown[] = [bankReceipt]) => ({
    applicantNik,
    plateNumber,
    issuedDocuments,
  });

  it('has unpaid PKBs in the world to pay', () => {
    expect(unpaid.length).toBeGreaterThanOrEqual(4);
  });

  it('records the PKB as paid and issues the SKPD/PKB receipt, visible through Query.vehicleTax', async () => {
    const tax_ = unpaid[0]!;
    // Typed in any spacing or case, as the catalogue accepts it.
    const { decision, audited } = await decideAudited('RECORD_VEHICLE_TAX_PAYMENT', payment(tax_.plateNumber.toLowerCase().replace(/ /g, ''), ownerOf.get(tax_.plateNumber)));
    const owner = hashOf(ownerOf.get(tax_.plateNumber)!);
    expect(audited).toEqual([
      { nikHash: owner, kind: 'READ', fields: ['VehicleTax.amount', 'VehicleTax.dueOn', 'VehicleTax.plateNumber', 'VehicleTax.receiptNumber', 'VehicleTax.status'] },
      { nikHash: owner, kind: 'CHANGE', fields: ['VehicleTax.paidOn', 'VehicleTax.receiptNumber', 'VehicleTax.status'] },
    ]);
    expect(decision).toMatchObject({ status: 'APPROVED', documents: [{ kind: 'PKB_RECEIPT', number: expect.stringMatching(PKB_RECEIPT_NUMBER_PATTERN) }] });
    const receiptNumber = (decision as { documents: { number: string }[] }).documents[0]!.number;
    expect(receiptNumber.slice(4, 8)).toBe(tax_.dueOn.slice(0, 4));

    const response = await postGraphQL(tax.url, VEHICLE_TAX, { plate: tax_.plateNumber });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      vehicleTax: { plateNumber: tax_.plateNumber, amount: tax_.amount, status: 'PAID', receiptNumber, paidOn: TODAY_IN_INDONESIA },
    });
    const [stored] = await tax.db.select().from(vehicleTaxPayments).where(eq(vehicleTaxPayments.receiptNumber, receiptNumber));
    expect(stored).toMatchObject({ plateNumber: tax_.plateNumber, amount: tax_.amount, bankReference: 'PKB_PAYMENT:BPD-2026-000123' });
  });

  it('issues unique receipt numbers', async () => {
    const numbers = [];
    for (const tax_ of unpaid.slice(1, 3)) {
      const decision = await decide('RECORD_VEHICLE_TAX_PAYMENT', payment(tax_.plateNumber));
      numbers.push((decision as { documents: { number: string }[] }).documents[0]!.number);
    }
    const [first] = await tax.db.select().from(vehicleTaxPayments).where(eq(vehicleTaxPayments.plateNumber, unpaid[0]!.plateNumber));
    expect(new Set([first!.receiptNumber, ...numbers]).size).toBe(3);
  });

  it('rejects a second payment of the same year, naming the receipt, and records nothing more', async () => {
    const before = await rowCount(vehicleTaxPayments);
    const again = await decideAudited('RECORD_VEHICLE_TAX_PAYMENT', payment(unpaid[0]!.plateNumber));
    expect(again.decision).toEqual({ status: 'REJECTED', reason: expect.stringMatching(/already paid \(receipt PKB\/\d{4}\/\d{8}\)/) });
    expect(again.audited).toEqual([
      { nikHash: hashOf(ownerOf.get(unpaid[0]!.plateNumber)!), kind: 'READ', fields: ['VehicleTax.dueOn', 'VehicleTax.plateNumber', 'VehicleTax.receiptNumber', 'VehicleTax.status'] },
    ]);
    expect(await decide('RECORD_VEHICLE_TAX_PAYMENT', payment(paid.plateNumber))).toEqual({
      status: 'REJECTED',
      reason: expect.stringMatching(/already paid/),
    });
    expect(await rowCount(vehicleTaxPayments)).toBe(before);
  });

  /** Rejects and changes nothing; answers what the decision recorded. */
  async function expectRejectedUnchanged(inputs: Record<string, unknown>, reason: RegExp, plateNumber: string): Promise<AuditedAccess[]> {
    const before = await tax.db.select().from(vehicleTaxes).where(eq(vehicleTaxes.plateNumber, plateNumber));
    const payments = await rowCount(vehicleTaxPayments);
    const { decision, audited } = await decideAudited('RECORD_VEHICLE_TAX_PAYMENT', inputs);
    expect(decision).toEqual({ status: 'REJECTED', reason: expect.stringMatching(reason) });
    expect(await tax.db.select().from(vehicleTaxes).where(eq(vehicleTaxes.plateNumber, plateNumber))).toEqual(before);
    expect(await rowCount(vehicleTaxPayments)).toBe(payments);
    return audited;
  }

  it('rejects a vehicle the tax office has no PKB record of', async () => {
    const plateNumber = 'BM 9999 ZZZ';
    expect(ownerOf.has(plateNumber)).toBe(false);
    expect(await expectRejectedUnchanged(payment(plateNumber, adults[0]!.nik), /no PKB record for plate BM 9999 ZZZ/, plateNumber)).toEqual([]);
  });

  it('rejects a vehicle registered to someone else', async () => {
    const tax_ = unpaid[3]!;
    const someoneElse = adults.find((c) => c.nik !== ownerOf.get(tax_.plateNumber))!;
    const audited = await expectRejectedUnchanged(payment(tax_.plateNumber, someoneElse.nik), /not registered to the applicant/, tax_.plateNumber);
    // What was read is the owner's PKB record, so the record names the owner, not the applicant.
    expect(audited).toEqual([{ nikHash: hashOf(ownerOf.get(tax_.plateNumber)!), kind: 'READ', fields: ['VehicleTax.plateNumber'] }]);
  });

  it('rejects when no bank payment document came', async () => {
    const tax_ = unpaid[3]!;
    expect(await expectRejectedUnchanged(payment(tax_.plateNumber, undefined, []), /No proof of a bank payment/, tax_.plateNumber)).toEqual([
      { nikHash: hashOf(ownerOf.get(tax_.plateNumber)!), kind: 'READ', fields: ['VehicleTax.plateNumber'] },
    ]);
    await expectRejectedUnchanged(payment(tax_.plateNumber, undefined, [{ kind: 'NIB', number: '9120000000999' }]), /No proof of a bank payment/, tax_.plateNumber);
  });

  it('accepts a bank document whose number came hashed', async () => {
    const tax_ = unpaid[3]!;
    const decision = await decide('RECORD_VEHICLE_TAX_PAYMENT', payment(tax_.plateNumber, undefined, [{ kind: 'PAYMENT_RECEIPT', numberHash: 'a'.repeat(64) }]));
    expect(decision).toMatchObject({ status: 'APPROVED' });
  });

  it('treats a malformed plate as a contract bug', async () => {
    await expect(decide('RECORD_VEHICLE_TAX_PAYMENT', payment('BM 12345 AB', adults[0]!.nik))).rejects.toBeInstanceOf(PermanentEventError);
  });
});

describe('the tax task worker, end to end over the embedded broker', () => {
  const tasks = taskWorkerHarness({ ...assignment, events });
  beforeAll(() => tasks.start());
  afterAll(() => tasks.stop());

  it('decides a task delivered three times once: one NPWP registered, one status published, its accesses recorded once', async () => {
    const worker = await tasks.startWorker(({ eventsUrl, audit }) =>
      taxService.tasks.start({ db: tax.db, logger: createLogger('tax', 'silent'), env: loadTaskWorkerEnv({ EVENTS_URL: eventsUrl }) }, { relay: { pollIntervalMs: 50 }, audit }),
    );
    try {
      const applicationId = randomUUID();
      const nib = freshNib();
      const registration = tasks.taskAssigned(
        'REGISTER_NPWP',
        { applicantNik: adults[1]!.nik, businessName: 'Toko Besi Makmur', businessAddress: 'Jl. Raya Lahat 7', issuedDocuments: [{ kind: 'NIB', number: nib }] },
        { applicationId },
      );
      // Same application, so same partition: once its status is out, the three deliveries before it were consumed.
      const sentinel = tasks.taskAssigned('UPDATE_TAXPAYER_ADDRESS', { applicantNik: nonTaxpayer.nik, newAddress: 'Jl. Merdeka 2' }, { applicationId });
      for (let delivery = 0; delivery < 3; delivery++) await tasks.publish(registration);
      await tasks.publish(sentinel);

      const sentinelStatuses = (await tasks.awaitStatuses(sentinel.data.taskId, 1, 30_000)).map((status) => status.data);
      const registrationStatuses = (await tasks.statusesOf(registration.data.taskId)).map((status) => status.data);
      expect(registrationStatuses).toHaveLength(1);
      expect(registrationStatuses[0]).toMatchObject({ applicationId, participant: 'tax', status: 'APPROVED', documents: [{ kind: 'NPWP' }] });
      const npwp = registrationStatuses[0]!.documents[0]!.number;
      expect(parseNpwp(npwp).ok).toBe(true);
      expect(sentinelStatuses).toMatchObject([{ status: 'APPROVED', documents: [] }]);

      const rows = await tax.db.select().from(businessTaxpayers).where(eq(businessTaxpayers.nib, nib));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.npwp).toBe(npwp.replace(/\D/g, ''));

      const records = tasks.auditLog.batches.flatMap((batch) => batch.records).filter((record) => record.purpose === `application:${applicationId}`);
      expect(records.map(({ nikHash, kind, fields }) => ({ nikHash, kind, fields }))).toEqual([
        { nikHash: hashOf(adults[1]!.nik), kind: 'CHANGE', fields: expect.arrayContaining(['BusinessTaxpayer.npwp', 'BusinessTaxpayer.nib']) },
        { nikHash: hashOf(nonTaxpayer.nik), kind: 'READ', fields: ['Citizen.npwp'] },
      ]);
      expect(records.every((record) => record.actor === 'service:tax' && record.correlationId === applicationId)).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
