import { generateKeyPair, SignJWT } from 'jose';
import { parse } from 'graphql';
import { createLogger } from '../logger';
import { ACCESS_DIRECTIVES_SDL } from '../security/access-rules';
import { generateInternalContextKeys, signInternalContext } from '../security/internal-context';
import { createSubgraph, serveSubgraph, type RequestContext } from '../subgraph-server';
import { AuditUnavailableError, type AuditAppendRequest, type AuditSink } from './audit-client';
import { auditActorOf } from './audit-plugin';
import { AUDIT_RESPONSE_EXTENSION, auditNikHash, type AuditBatch } from './audit-record';

const PEPPER = 'pepper-for-the-audit-plugin-spec';
const SITI = '3510014508900002';
const BUDI = '3510011203850001';
const logger = createLogger('audit-plugin-spec', 'silent');

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    citizen(nik: String!): Citizen
    citizens(niks: [String!]!): [Citizen!]!
    ping: String!
  }
  type Mutation {
    marry(nik: String!): Citizen
    moveResidence(nik: String!, address: String!): Citizen
  }
  type Citizen @key(fields: "nik") {
    nik: String!
    fullName: String!
    maritalStatus: String!
  }
`);

/** Stands in for the security layer: every Citizen field but nik is personal data. */
const personal = (fieldName: string) => (citizen: { nik: string }, _: unknown, context: RequestContext, info: { parentType: { name: string }; operation: { operation: string } }) => {
  context.audit!.access({ nik: citizen.nik, typeName: info.parentType.name, fieldName, kind: info.operation.operation === 'mutation' ? 'CHANGE' : 'READ' });
  return fieldName === 'fullName' ? `Citizen ${citizen.nik.slice(-4)}` : 'KAWIN';
};

const resolvers = {
  Query: {
    citizen: (_: unknown, { nik }: { nik: string }) => ({ nik }),
    citizens: (_: unknown, { niks }: { niks: string[] }) => niks.map((nik) => ({ nik })),
    ping: () => 'pong',
  },
  Mutation: {
    marry: (_: unknown, { nik }: { nik: string }) => ({ nik }),
    // As a service does it: the change is recorded before it is committed, and not made when that fails.
    moveResidence: async (_: unknown, { nik, address }: { nik: string; address: string }, context: RequestContext) => {
      await context.audit!.recordChanges([{ nik, typeName: 'Citizen', fieldName: 'address' }]);
      committedAddresses.set(nik, address);
      context.audit!.access({ nik, typeName: 'Citizen', fieldName: 'address', kind: 'CHANGE' });
      return { nik };
    },
  },
  Citizen: {
    __resolveReference: (reference: { nik: string }) => ({ nik: reference.nik }),
    fullName: personal('fullName'),
    maritalStatus: personal('maritalStatus'),
  },
};

/** The addresses moveResidence committed. */
const committedAddresses = new Map<string, string>();

class RecordingSink implements AuditSink {
  batches: { batch: AuditBatch; request: AuditAppendRequest; committedBefore?: boolean }[] = [];
  failWith: Error | undefined;
  async append(batch: AuditBatch, request: AuditAppendRequest) {
    if (this.failWith) throw this.failWith;
    this.batches.push({ batch, request, committedBefore: committedAddresses.size > 0 });
  }
}

async function serve(sink: AuditSink | undefined) {
  const subgraph = await createSubgraph<RequestContext>({
    name: 'dukcapil',
    typeDefs,
    resolvers,
    logger,
    createContext: (base) => base,
    audit: sink ? { sink, nikHashPepper: PEPPER } : false,
  });
  return serveSubgraph(subgraph, {});
}

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  return (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
    extensions?: Record<string, { records: unknown[] }>;
  };
}

describe('auditPlugin', () => {
  const sink = new RecordingSink();
  let http: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    http = await serve(sink);
  });
  afterAll(() => http.stop());
  beforeEach(() => {
    sink.batches = [];
    sink.failWith = undefined;
  });

  it('appends one record per citizen naming the fields returned, before answering', async () => {
    const body = await post(http.url, `{ citizens(niks: ["${SITI}", "${BUDI}"]) { nik fullName maritalStatus } again: citizen(nik: "${SITI}") { fullName } }`, {
      'x-correlation-id': 'corr-1',
    });
    expect(body.errors).toBeUndefined();
    expect(sink.batches).toHaveLength(1);
    const [{ batch, request }] = sink.batches as [{ batch: AuditBatch; request: AuditAppendRequest }];
    expect(batch.service).toBe('dukcapil');
    expect(request).toEqual({ internalContext: undefined, correlationId: 'corr-1' });
    expect(batch.records).toEqual([
      {
        actor: 'anonymous',
        actorType: 'anonymous',
        client: 'unknown',
        roles: [],
        purpose: null,
        nikHash: auditNikHash(SITI, PEPPER),
        fields: ['Citizen.fullName', 'Citizen.maritalStatus'],
        kind: 'READ',
        correlationId: 'corr-1',
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      expect.objectContaining({ nikHash: auditNikHash(BUDI, PEPPER), fields: ['Citizen.fullName', 'Citizen.maritalStatus'], kind: 'READ' }),
    ]);
    // Never the plaintext NIK.
    expect(JSON.stringify(batch)).not.toContain(SITI);
  });

  it('records a mutation as a CHANGE', async () => {
    await post(http.url, `mutation { marry(nik: "${SITI}") { maritalStatus } }`);
    expect(sink.batches[0]?.batch.records.map((r) => [r.kind, r.fields])).toEqual([['CHANGE', ['Citizen.maritalStatus']]]);
  });

  it('appends a change recorded with recordChanges before the resolver commits it, and only once', async () => {
    committedAddresses.clear();
    const body = await post(http.url, `mutation { moveResidence(nik: "${SITI}", address: "Jl. Baru 1") { nik } }`, { 'x-correlation-id': 'corr-move' });
    expect(body.errors).toBeUndefined();
    expect(committedAddresses.get(SITI)).toBe('Jl. Baru 1');
    expect(sink.batches.map(({ batch, committedBefore }) => [batch.records.map((r) => [r.kind, r.fields, r.correlationId]), committedBefore])).toEqual([
      [[['CHANGE', ['Citizen.address'], 'corr-move']], false],
    ]);
  });

  it('refuses a change the audit log cannot record: AUDIT_UNAVAILABLE, nothing committed', async () => {
    committedAddresses.clear();
    sink.failWith = new AuditUnavailableError('audit service down');
    const body = await post(http.url, `mutation { moveResidence(nik: "${SITI}", address: "Jl. Baru 2") { nik } }`);
    expect(body.data).toEqual({ moveResidence: null });
    expect(body.errors).toEqual([expect.objectContaining({ path: ['moveResidence'], extensions: { code: 'AUDIT_UNAVAILABLE' } })]);
    expect(committedAddresses.has(SITI)).toBe(false);
  });

  it('appends nothing for an operation that touched no personal data', async () => {
    expect((await post(http.url, '{ ping citizen(nik: "3510014508900002") { nik } }')).data).toEqual({ ping: 'pong', citizen: { nik: SITI } });
    expect(sink.batches).toEqual([]);
  });

  it('names the actor of the gateway-signed context and forwards the context', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    const token = await new SignJWT({ azp: 'mpp-console', act: 'user', roles: ['officer', 'supervisor'], purpose: 'legal-basis:UU_ADMINDUK', cid: 'c-9' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('officer-7')
      .setIssuer('simpul-gateway')
      .setAudience('simpul-subgraph')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(privateKey);
    await post(http.url, `{ citizen(nik: "${SITI}") { fullName } }`, { 'x-simpul-context': token });
    expect(sink.batches[0]?.request.internalContext).toBe(token);
    expect(sink.batches[0]?.batch.records[0]).toMatchObject({
      actor: 'officer-7',
      actorType: 'user',
      client: 'mpp-console',
      roles: ['officer', 'supervisor'],
      purpose: 'legal-basis:UU_ADMINDUK',
    });
  });

  it('fails closed: when the audit log does not confirm, the response has no data, only AUDIT_UNAVAILABLE', async () => {
    sink.failWith = new AuditUnavailableError('audit service down');
    const body = await post(http.url, `{ citizen(nik: "${SITI}") { fullName } ping }`);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['citizen'], extensions: { code: 'AUDIT_UNAVAILABLE' } }),
      expect.objectContaining({ path: ['ping'], extensions: { code: 'AUDIT_UNAVAILABLE' } }),
    ]);
    expect(JSON.stringify(body)).not.toContain('Citizen 0002');
  });

  it('withholds each entity of an entity fetch', async () => {
    sink.failWith = new Error('connection reset');
    const representations = [SITI, BUDI].map((nik) => `{ __typename: "Citizen", nik: "${nik}" }`).join(', ');
    const body = await post(http.url, `{ _entities(representations: [${representations}]) { ... on Citizen { fullName } } }`);
    expect(body).toEqual({
      data: null,
      errors: [
        expect.objectContaining({ path: ['_entities', 0], extensions: { code: 'AUDIT_UNAVAILABLE' } }),
        expect.objectContaining({ path: ['_entities', 1], extensions: { code: 'AUDIT_UNAVAILABLE' } }),
      ],
    });
  });
});

describe('auditPlugin without auditing configured', () => {
  it('still gives resolvers a recorder, and answers as before', async () => {
    const http = await serve(undefined);
    try {
      const body = await post(http.url, `{ citizen(nik: "${SITI}") { fullName } }`);
      expect(body).toEqual({ data: { citizen: { fullName: 'Citizen 0002' } } });
    } finally {
      await http.stop();
    }
  });
});

describe('auditPlugin behind the security layer', () => {
  /** A tax subgraph verifying contexts, whose taxpayer field `role` may read, recording into a fresh sink. */
  async function securedTaxSubgraph(role: string) {
    const { publicKey, privateKey } = await generateInternalContextKeys();
    const sink = new RecordingSink();
    const subgraph = await createSubgraph<RequestContext>({
      name: 'tax',
      typeDefs: parse(`
        ${ACCESS_DIRECTIVES_SDL}
        type Query { taxpayer(nik: String!): Taxpayer @access(roles: ["${role}"]) }
        type Taxpayer @access(roles: ["${role}"]) { nik: String! npwp: String! @personalData }
      `),
      resolvers: { Query: { taxpayer: (_: unknown, { nik }: { nik: string }) => ({ nik, npwp: nik }) } },
      logger,
      createContext: (base) => base,
      audit: { sink, nikHashPepper: PEPPER },
      internalContextPublicKey: publicKey,
    });
    return { http: await serveSubgraph(subgraph, {}), sink, privateKey };
  }

  it('records the caller the subgraph verified, and the fields the field layer reports', async () => {
    const { http, sink, privateKey } = await securedTaxSubgraph('agency:*');
    try {
      const caller = { subject: 'sa-agency-licensing', client: 'agency-licensing', actorType: 'client' as const, roles: ['agency:licensing'], purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY', correlationId: 'c-42', audience: 'tax' };
      const body = await post(http.url, `{ taxpayer(nik: "${SITI}") { npwp } }`, { 'x-simpul-context': await signInternalContext(caller, privateKey) });
      expect(body.errors).toBeUndefined();
      expect(sink.batches.map((b) => b.batch)).toEqual([
        {
          service: 'tax',
          records: [
            expect.objectContaining({
              actor: 'sa-agency-licensing',
              actorType: 'client',
              client: 'agency-licensing',
              roles: ['agency:licensing'],
              purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
              nikHash: auditNikHash(SITI, PEPPER),
              fields: ['Taxpayer.npwp'],
              kind: 'READ',
            }),
          ],
        },
      ]);
    } finally {
      await http.stop();
    }
  });

  it('hands the records back with the response when the gateway says it records them, appending nothing itself', async () => {
    const { http, sink, privateKey } = await securedTaxSubgraph('officer');
    try {
      const officer = { subject: 'petugas', client: 'mpp-console', actorType: 'user' as const, roles: ['officer'], purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY', correlationId: 'c-43', audience: 'tax' };
      const headers = { 'x-simpul-context': await signInternalContext({ ...officer, auditedBy: 'gateway' }, privateKey) };
      const body = await post(http.url, `{ taxpayer(nik: "${SITI}") { npwp } }`, headers);
      expect(body.data).toEqual({ taxpayer: { npwp: SITI } });
      expect(sink.batches).toEqual([]);
      expect(body.extensions?.[AUDIT_RESPONSE_EXTENSION]?.records).toEqual([
        expect.objectContaining({ actor: 'petugas', client: 'mpp-console', purpose: officer.purpose, nikHash: auditNikHash(SITI, PEPPER), fields: ['Taxpayer.npwp'], kind: 'READ' }),
      ]);
    } finally {
      await http.stop();
    }
  });
});

describe('auditActorOf', () => {
  it('is anonymous without a context or with one that is not a JWT', () => {
    const anonymous = { actor: 'anonymous', actorType: 'anonymous', client: 'unknown', roles: [], purpose: null };
    expect(auditActorOf(undefined)).toEqual(anonymous);
    expect(auditActorOf('not-a-jwt')).toEqual(anonymous);
  });
});
