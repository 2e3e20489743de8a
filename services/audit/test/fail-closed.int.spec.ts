/**
 * A subgraph with auditing on (AUDIT_URL) in front of the real audit service on Postgres: personal
 * data leaves only once its access is in the log; when the log cannot take it, the data stays.
 */
import { parse } from 'graphql';
import { hashNik } from '@simpul/events';
import {
  ACCESS_DIRECTIVES_SDL,
  auditOptionsFromEnv,
  createLogger,
  createSubgraph,
  serveSubgraph,
  type RequestContext,
} from '@simpul/service-kit';
import { postGraphQL } from '@simpul/testing';
import { gatewayKeys, PEPPER, SITI, startAudit, verification, type RunningAudit, type TestCaller } from './audit-harness';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  ${ACCESS_DIRECTIVES_SDL}
  type Query {
    citizen(nik: String!): Citizen @access(roles: ["officer", "self"])
    officeName: String! @access(roles: ["*"])
  }
  type Citizen @key(fields: "nik") @access(roles: ["officer", "self"]) {
    nik: String!
    fullName: String! @personalData
    maritalStatus: String! @personalData
  }
`);

const resolvers = {
  Query: {
    citizen: (_: unknown, { nik }: { nik: string }) => (nik === SITI ? { nik, fullName: 'Siti Rahmawati', maritalStatus: 'KAWIN' } : null),
    officeName: () => 'MPP Banyuwangi',
  },
};

async function serveDukcapil(auditUrl: string, internalContextPublicKey?: string) {
  const subgraph = await createSubgraph<RequestContext>({
    name: 'dukcapil',
    typeDefs,
    resolvers,
    logger: createLogger('dukcapil', 'silent'),
    createContext: (base) => base,
    // What a service's environment gives it: AUDIT_URL and the deployment's pepper.
    audit: auditOptionsFromEnv({ AUDIT_URL: auditUrl, NIK_HASH_PEPPER: PEPPER, AUDIT_TIMEOUT_MS: 1000 }, false),
    internalContextPublicKey,
  });
  return serveSubgraph(subgraph, {});
}

const CITIZEN = `{ citizen(nik: "${SITI}") { nik fullName maritalStatus } }`;
const withheld = {
  status: 200,
  data: null,
  errors: [expect.objectContaining({ path: ['citizen'], extensions: { code: 'AUDIT_UNAVAILABLE' } })],
};

describe('a subgraph auditing to the audit service', () => {
  let audit: RunningAudit;
  let dukcapil: Awaited<ReturnType<typeof serveDukcapil>>;
  beforeAll(async () => {
    audit = await startAudit();
    dukcapil = await serveDukcapil(audit.origin);
  });
  afterAll(async () => {
    await dukcapil?.stop();
    await audit?.stop();
  });

  it('answers with the personal data once its access is in the log', async () => {
    const response = await postGraphQL(dukcapil.url, CITIZEN, undefined, { 'x-correlation-id': 'corr-read-1' });
    expect(response).toEqual({ status: 200, data: { citizen: { nik: SITI, fullName: 'Siti Rahmawati', maritalStatus: 'KAWIN' } } });
    // The subgraph's hash is @simpul/events' hashNik: one pseudonym per citizen across events and the log.
    expect(await audit.sql('select service, actor, nik_hash, fields, kind, correlation_id from audit.audit_record')).toEqual([
      {
        service: 'dukcapil',
        actor: 'anonymous',
        nik_hash: hashNik(SITI, PEPPER),
        fields: ['Citizen.fullName', 'Citizen.maritalStatus'],
        kind: 'READ',
        correlation_id: 'corr-read-1',
      },
    ]);
    expect((await verification(audit.url)).intact).toBe(true);
  });

  it('fails closed when the audit store cannot take the record: no data, AUDIT_UNAVAILABLE', async () => {
    await audit.sql('alter table audit.audit_record rename to audit_record_away');
    try {
      expect(await postGraphQL(dukcapil.url, CITIZEN)).toEqual(withheld);
      // No personal data, no record needed: still answered.
      expect((await postGraphQL(dukcapil.url, '{ officeName }')).data).toEqual({ officeName: 'MPP Banyuwangi' });
    } finally {
      await audit.sql('alter table audit.audit_record_away rename to audit_record');
    }
    expect((await postGraphQL(dukcapil.url, CITIZEN)).data).toEqual({ citizen: expect.objectContaining({ fullName: 'Siti Rahmawati' }) });
  });

  it('fails closed when the audit service is down', async () => {
    await audit.stopServer();
    const response = await postGraphQL(dukcapil.url, `{ officeName citizen(nik: "${SITI}") { fullName } }`);
    expect(response).toEqual({
      status: 200,
      data: null,
      errors: [
        expect.objectContaining({ path: ['officeName'], extensions: { code: 'AUDIT_UNAVAILABLE' } }),
        expect.objectContaining({ path: ['citizen'], extensions: { code: 'AUDIT_UNAVAILABLE' } }),
      ],
    });
    expect(JSON.stringify(response)).not.toContain('Siti');
  });
});

describe('a subgraph and the audit service both verifying the gateway\'s context', () => {
  let audit: RunningAudit;
  let dukcapil: Awaited<ReturnType<typeof serveDukcapil>>;
  let keys: Awaited<ReturnType<typeof gatewayKeys>>;
  const officer: TestCaller = {
    subject: 'f3b0c6d2-officer-petugas',
    client: 'mpp-console',
    actorType: 'user',
    roles: ['officer'],
    purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
    correlationId: 'corr-officer',
  };
  beforeAll(async () => {
    keys = await gatewayKeys();
    audit = await startAudit({ internalContextPublicKey: keys.publicJwk });
    dukcapil = await serveDukcapil(audit.origin, keys.publicJwk);
  });
  afterAll(async () => {
    await dukcapil?.stop();
    await audit?.stop();
  });

  it('records the verified caller: actor, client, roles and purpose', async () => {
    const response = await postGraphQL(dukcapil.url, CITIZEN, undefined, { 'x-simpul-context': await keys.sign(officer, 'dukcapil') });
    expect(response.data).toEqual({ citizen: expect.objectContaining({ maritalStatus: 'KAWIN' }) });
    const citizen = { subject: 'warga', client: 'mpp-console', actorType: 'user' as const, roles: ['citizen'], nik: SITI, purpose: 'legal-basis:CITIZEN_OWN_DATA_REQUEST', correlationId: 'corr-warga' };
    expect((await postGraphQL(dukcapil.url, CITIZEN, undefined, { 'x-simpul-context': await keys.sign(citizen, 'dukcapil') })).errors).toBeUndefined();
    expect(await audit.sql('select actor, actor_type, client, roles, purpose from audit.audit_record order by sequence')).toEqual([
      { actor: officer.subject, actor_type: 'user', client: 'mpp-console', roles: ['officer'], purpose: officer.purpose },
      { actor: 'warga', actor_type: 'user', client: 'mpp-console', roles: ['citizen'], purpose: citizen.purpose },
    ]);
  });

  it('records nothing for a refused read, which returns no data either', async () => {
    const before = await audit.sql('select count(*)::int as n from audit.audit_record');
    const response = await postGraphQL(dukcapil.url, CITIZEN, undefined, { 'x-simpul-context': await keys.sign({ ...officer, purpose: undefined }, 'dukcapil') });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'PURPOSE_REQUIRED' });
    expect(JSON.stringify(response.data ?? null)).not.toContain('KAWIN');
    expect(await audit.sql('select count(*)::int as n from audit.audit_record')).toEqual(before);
  });
});
