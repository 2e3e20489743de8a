import { hashNik } from '@simpul/events';
import { postGraphQL } from '@simpul/testing';
import { auditRecord, BUDI, gatewayKeys, PEPPER, postRecords, recordFor, SITI, startAudit, verification, type RunningAudit, type TestCaller } from './audit-harness';

const officer: TestCaller = {
  subject: 'f3b0c6d2-officer-petugas',
  client: 'mpp-console',
  actorType: 'user',
  roles: ['officer'],
  purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
  correlationId: 'corr-officer',
};
const taxAgency: TestCaller = {
  subject: 'service-account-agency-tax',
  client: 'agency-tax',
  actorType: 'client',
  roles: ['agency:tax', 'participant:tax'],
  purpose: 'application:0190b7a0-0000-7000-8000-000000000001',
  correlationId: 'corr-tax',
};
const citizen = (nik: string): TestCaller => ({ subject: `warga-${nik.slice(-4)}`, client: 'mpp-console', actorType: 'user', roles: ['citizen'], nik, correlationId: `corr-${nik}` });
const auditor: TestCaller = {
  subject: 'auditor-inspektorat',
  client: 'mpp-console',
  actorType: 'user',
  roles: ['auditor'],
  purpose: 'legal-basis:AUDIT_OVERSIGHT',
  correlationId: 'corr-auditor',
};

const MY_LOG = /* GraphQL */ `
  query ($first: Int, $after: String) {
    myDataAccessLog(first: $first, after: $after) {
      entries { at service actorType client purpose fields kind }
      nextCursor
    }
  }
`;

const LOG_OF = /* GraphQL */ `
  query ($nik: String, $nikHash: String, $from: String, $to: String) {
    dataAccessLog(nik: $nik, nikHash: $nikHash, from: $from, to: $to) {
      records { sequence service actor actorType client roles purpose nikHash fields kind correlationId occurredAt }
      nextCursor
    }
  }
`;

type Entry = { at: string; service: string; actorType: string; client: string; purpose: string | null; fields: string[]; kind: string };

describe('the access logs, with the gateway\'s context verified', () => {
  let audit: RunningAudit;
  let keys: Awaited<ReturnType<typeof gatewayKeys>>;
  const as = async (caller: TestCaller, audience: string) => ({ 'x-simpul-context': await keys.sign(caller, audience) });
  const ask = async <T>(caller: TestCaller | undefined, query: string, variables?: Record<string, unknown>) =>
    postGraphQL<T>(audit.url, query, variables, caller ? await as(caller, 'audit') : {});

  beforeAll(async () => {
    keys = await gatewayKeys();
    audit = await startAudit({ internalContextPublicKey: keys.publicJwk });
    // The counter officer reads Siti's and Budi's data; the tax agency changes Siti's, later.
    const appended = [
      await postRecords(audit.origin, { service: 'dukcapil', records: [recordFor(officer, { nikHash: hashNik(SITI, PEPPER), occurredAt: '2025-03-01T08:00:00.000Z' })] }, await as(officer, 'dukcapil')),
      await postRecords(audit.origin, { service: 'dukcapil', records: [recordFor(officer, { nikHash: hashNik(BUDI, PEPPER), occurredAt: '2025-03-01T08:01:00.000Z' })] }, await as(officer, 'dukcapil')),
      await postRecords(
        audit.origin,
        { service: 'tax', records: [recordFor(taxAgency, { nikHash: hashNik(SITI, PEPPER), fields: ['Taxpayer.address'], kind: 'CHANGE', occurredAt: '2025-03-02T09:00:00.000Z' })] },
        await as(taxAgency, 'tax'),
      ),
    ];
    expect(appended.map((r) => r.status)).toEqual([201, 201, 201]);
  });
  afterAll(() => audit?.stop());

  it('appends only records naming the caller of the signed context that comes with them', async () => {
    const before = await audit.sql('select count(*)::int as n from audit.audit_record');
    const batch = { service: 'dukcapil', records: [recordFor(officer)] };
    const other = await gatewayKeys();
    const refused = [
      await postRecords(audit.origin, batch),
      await postRecords(audit.origin, batch, { 'x-simpul-context': await other.sign(officer, 'dukcapil') }),
      await postRecords(audit.origin, batch, { 'x-simpul-context': await keys.sign(officer, 'dukcapil', new Date(Date.now() - 10 * 60_000)) }),
    ];
    expect(refused.map((r) => [r.status, r.body.error?.code])).toEqual(Array(3).fill([401, 'UNAUTHENTICATED']));
    const misattributed = [
      { ...batch, records: [recordFor(officer, { actor: 'another-officer' })] },
      { ...batch, records: [recordFor(officer, { client: 'agency-tax' })] },
      { ...batch, records: [recordFor(officer, { purpose: 'legal-basis:LAW_ENFORCEMENT' })] },
      { ...batch, records: [recordFor(officer), recordFor(officer, { roles: ['admin', 'officer'] })] },
      { ...batch, records: [auditRecord()] },
    ];
    for (const wrong of misattributed) {
      const response = await postRecords(audit.origin, wrong, await as(officer, 'dukcapil'));
      expect([response.status, response.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    }
    // Several services' records at once only from the gateway, with the context it signed for the audit log.
    const gatewayBody = { batches: [batch, { service: 'tax', records: [recordFor(officer)] }] };
    const fromSubgraph = await postRecords(audit.origin, gatewayBody, await as(officer, 'dukcapil'));
    expect([fromSubgraph.status, fromSubgraph.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    // A context a subgraph was given opens no other service's records: tax cannot append in dukcapil's name with it.
    const elsewhere = await postRecords(audit.origin, batch, await as(officer, 'tax'));
    expect([elsewhere.status, elsewhere.body.error?.code]).toEqual([403, 'FORBIDDEN']);
    expect(await audit.sql('select count(*)::int as n from audit.audit_record')).toEqual(before);
  });

  it('appends the gateway\'s records of a whole request in one block, every service\'s batch naming the caller', async () => {
    const reader = { ...officer, correlationId: 'corr-gateway-request' };
    const body = { batches: [{ service: 'dukcapil', records: [recordFor(reader)] }, { service: 'tax', records: [recordFor(reader), recordFor(reader)] }] };
    const response = await postRecords(audit.origin, body, await as(reader, 'audit'));
    expect(response).toMatchObject({ status: 201, body: { appended: 3 } });
    const rows = await audit.sql(`select service, chain, sequence from audit.audit_record where correlation_id = 'corr-gateway-request' order by sequence`);
    expect(rows.map((row) => row.service)).toEqual(['dukcapil', 'tax', 'tax']);
    expect(rows.map((row) => Number(row.sequence))).toEqual([1, 2, 3].map((i) => Number(rows[0]!.sequence) + i - 1));
    const wrong = await postRecords(audit.origin, { batches: [{ service: 'tax', records: [recordFor(reader, { actor: 'someone-else' })] }] }, await as(reader, 'audit'));
    expect(wrong.status).toBe(403);
  });

  it('shows a citizen who accessed their own data, newest first, and nothing of anyone else\'s', async () => {
    const siti = await ask<{ myDataAccessLog: { entries: Entry[]; nextCursor: string | null } }>(citizen(SITI), MY_LOG);
    expect(siti.errors).toBeUndefined();
    expect(siti.data?.myDataAccessLog).toEqual({
      entries: [
        {
          at: '2025-03-02T09:00:00.000Z',
          service: 'tax',
          actorType: 'CLIENT',
          client: 'agency-tax',
          purpose: taxAgency.purpose,
          fields: ['Taxpayer.address'],
          kind: 'CHANGE',
        },
        {
          at: '2025-03-01T08:00:00.000Z',
          service: 'dukcapil',
          actorType: 'USER',
          client: 'mpp-console',
          purpose: officer.purpose,
          fields: ['Citizen.fullName', 'Citizen.maritalStatus'],
          kind: 'READ',
        },
      ],
      nextCursor: null,
    });
    const budi = await ask<{ myDataAccessLog: { entries: Entry[] } }>(citizen(BUDI), MY_LOG);
    expect(budi.data?.myDataAccessLog.entries.map((e) => [e.service, e.at])).toEqual([['dukcapil', '2025-03-01T08:01:00.000Z']]);
    // The officer's own identity is not part of the citizen's view.
    const actor = await ask(citizen(SITI), '{ myDataAccessLog { entries { actor } } }');
    expect(actor.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('pages a citizen\'s log with nextCursor', async () => {
    const first = await ask<{ myDataAccessLog: { entries: Entry[]; nextCursor: string | null } }>(citizen(SITI), MY_LOG, { first: 1 });
    expect(first.data?.myDataAccessLog.entries.map((e) => e.service)).toEqual(['tax']);
    const cursor = first.data?.myDataAccessLog.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await ask<{ myDataAccessLog: { entries: Entry[]; nextCursor: string | null } }>(citizen(SITI), MY_LOG, { first: 1, after: cursor });
    expect(second.data?.myDataAccessLog).toEqual({ entries: [expect.objectContaining({ service: 'dukcapil' })], nextCursor: null });
    const bad = await ask(citizen(SITI), MY_LOG, { first: 1000 });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'PAGE_SIZE' });
  });

  it('refuses the citizen\'s log to anyone but a signed-in citizen', async () => {
    const anonymous = await ask(undefined, MY_LOG);
    expect([anonymous.status, anonymous.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const byOfficer = await ask(officer, MY_LOG);
    expect(byOfficer.data).toBeNull();
    expect(byOfficer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const citizenWithoutNik = await ask({ ...citizen(SITI), nik: undefined }, MY_LOG);
    expect(citizenWithoutNik.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'CITIZEN_REQUIRED' });
  });

  it('gives auditors a citizen\'s full records, with a purpose, and records their look in that citizen\'s log', async () => {
    const byOfficer = await ask(officer, LOG_OF, { nik: SITI });
    expect(byOfficer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const withoutPurpose = await ask({ ...auditor, purpose: undefined }, LOG_OF, { nik: SITI });
    expect(withoutPurpose.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'PURPOSE_REQUIRED' });

    const byNik = await ask<{ dataAccessLog: { records: Record<string, unknown>[] } }>(auditor, LOG_OF, { nik: SITI });
    expect(byNik.errors).toBeUndefined();
    expect(byNik.data?.dataAccessLog.records).toEqual([
      expect.objectContaining({ service: 'tax', actor: taxAgency.subject, actorType: 'CLIENT', kind: 'CHANGE', correlationId: 'corr-tax' }),
      expect.objectContaining({
        service: 'dukcapil',
        actor: officer.subject,
        roles: ['officer'],
        nikHash: hashNik(SITI, PEPPER),
        correlationId: 'corr-officer',
        occurredAt: '2025-03-01T08:00:00.000Z',
      }),
    ]);
    const byHash = await ask<{ dataAccessLog: { records: { service: string }[] } }>(auditor, LOG_OF, { nikHash: hashNik(SITI, PEPPER), from: '2025-03-02' });
    // Only what happened from 2 March on: the tax change, and the auditor's own look a moment ago.
    expect(byHash.data?.dataAccessLog.records.map((r) => r.service)).toEqual(['audit', 'tax']);
    const both = await ask(auditor, LOG_OF, { nik: SITI, nikHash: hashNik(SITI, PEPPER) });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'ONE_CITIZEN' });

    // Siti sees that an auditor looked, through which client and why.
    const siti = await ask<{ myDataAccessLog: { entries: Entry[] } }>(citizen(SITI), MY_LOG);
    expect(siti.data?.myDataAccessLog.entries.slice(0, 2)).toEqual([
      expect.objectContaining({ service: 'audit', actorType: 'USER', client: 'mpp-console', purpose: 'legal-basis:AUDIT_OVERSIGHT', fields: ['Query.dataAccessLog'], kind: 'READ' }),
      expect.objectContaining({ service: 'audit', fields: ['Query.dataAccessLog'] }),
    ]);
    const [own] = await audit.sql(`select actor, correlation_id from audit.audit_record where service = 'audit' order by sequence limit 1`);
    expect(own).toEqual({ actor: auditor.subject, correlation_id: expect.any(String) });
  });

  it('verifies the chain for auditors and admins only', async () => {
    const byOfficer = await ask(officer, '{ auditLogVerification { intact } }');
    expect(byOfficer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await verification(audit.url, await as({ ...auditor, roles: ['admin'] }, 'audit'))).toMatchObject({ intact: true, problem: null });
  });
});

describe('the access logs without identity configured (development)', () => {
  let audit: RunningAudit;
  beforeAll(async () => {
    audit = await startAudit();
    await postRecords(audit.origin, { service: 'dukcapil', records: [auditRecord({ nikHash: hashNik(SITI, PEPPER) })] });
  });
  afterAll(() => audit?.stop());

  it('has no citizen to show a log to, while the auditor views are open and still recorded', async () => {
    const mine = await postGraphQL(audit.url, MY_LOG);
    expect(mine.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const log = await postGraphQL<{ dataAccessLog: { records: { service: string; actor: string }[] } }>(audit.url, LOG_OF, { nik: SITI });
    expect(log.data?.dataAccessLog.records).toEqual([expect.objectContaining({ service: 'dukcapil', actor: 'anonymous' })]);
    expect((await audit.sql(`select actor from audit.audit_record where service = 'audit'`))).toEqual([{ actor: 'anonymous' }]);
    expect((await verification(audit.url)).intact).toBe(true);
  });
});
