import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse, type GraphQLError } from 'graphql';
import type { PersonalDataAccess } from '../audit/audit-recorder';
import { DomainError } from '../errors';
import { createGraphQLHandler, listen } from '../http-server';
import { createLogger } from '../logger';
import { createSubgraph, serveSubgraph, type RequestContext } from '../subgraph-server';
import { schemaAccessRules } from './access-rules';
import { applyFieldAccess, roleEntryGrants } from './field-access';
import { INTERNAL_CONTEXT_HEADER, generateInternalContextKeys, graphqlRequestHash, signInternalContext, type Ed25519Jwk, type InternalCaller } from './internal-context';
import { defineServiceEnv, loadEnv } from '../env';
import { enforcesInternalContext } from './subgraph-security';

const HEAD = '3510011501900001';
const MEMBER = '3510014101920002';
const STRANGER = '3171010101800003';
const CARD = '3510010101000001';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  directive @access(roles: [String!]!) on FIELD_DEFINITION | OBJECT
  directive @personalData on FIELD_DEFINITION | OBJECT

  type Query {
    citizen(nik: String!): Citizen @access(roles: ["officer", "self", "agency:*"]) @personalData
    catalogue: [String!]! @access(roles: ["*"])
    unruled: String
  }

  type Mutation {
    register(input: RegisterInput!): Boolean! @access(roles: ["officer"]) @personalData
  }

  input RegisterInput {
    applicantNik: String!
  }

  type Citizen @key(fields: "nik") @access(roles: ["officer", "self"]) @personalData {
    nik: String! @access(roles: ["officer", "self", "agency:*"])
    fullName: String @access(roles: ["officer", "self", "agency:*"])
    religion: String
    address: Address
    card: Card
  }

  type Address @access(roles: ["officer", "self"]) @personalData {
    street: String
    region: Region
  }

  type Region @access(roles: ["*"]) {
    name: String
  }

  type Card @key(fields: "number") @access(roles: ["officer", "self"]) @personalData {
    number: String
    members: [Member]
  }

  type Member @access(roles: ["officer", "self"]) @personalData {
    nik: String
    name: String
  }
`);

interface CitizenRow {
  nik: string;
  fullName: string;
  religion: string;
  cardNumber: string;
}
const card = { number: CARD, headNik: HEAD };
const citizens = new Map<string, CitizenRow>([
  [HEAD, { nik: HEAD, fullName: 'Budi Santoso', religion: 'ISLAM', cardNumber: CARD }],
  [MEMBER, { nik: MEMBER, fullName: 'Siti Santoso', religion: 'ISLAM', cardNumber: CARD }],
]);

/** Every resolver that would have hit a database. */
let lookups: string[] = [];
const resolvers = {
  Query: {
    citizen: (_: unknown, args: { nik: string }) => {
      lookups.push(`citizen:${args.nik}`);
      return citizens.get(args.nik) ?? null;
    },
    catalogue: () => ['BUSINESS_START'],
    unruled: () => 'secret',
  },
  Mutation: {
    register: () => {
      lookups.push('register');
      return true;
    },
  },
  Citizen: {
    __resolveReference: (ref: { nik: string }) => citizens.get(ref.nik) ?? null,
    address: () => ({ street: 'Jl. Merdeka 1', region: { name: 'Banyuwangi' } }),
    card: () => card,
  },
  Card: {
    __resolveReference: (ref: { number: string }) => (ref.number === CARD ? card : null),
    members: () => [...citizens.values()].map((c) => ({ nik: c.nik, name: c.fullName })),
  },
};

const logger = createLogger('field-access-spec', 'silent');
const caller = (roles: string[], extra: Partial<InternalCaller> = {}): InternalCaller => ({
  subject: 'someone',
  client: 'mpp-console',
  actorType: 'user',
  roles,
  purpose: 'legal-basis:PUBLIC_SERVICE_DELIVERY',
  correlationId: 'req-1',
  audience: 'people',
  ...extra,
});
const OFFICER = caller(['officer']);
const CITIZEN_HEAD = caller(['citizen'], { nik: HEAD });
const CITIZEN_MEMBER = caller(['citizen'], { nik: MEMBER });
const AGENCY = caller(['agency:tax', 'participant:tax'], { actorType: 'client', client: 'agency-tax' });
const BANK = caller(['participant:bank-bpd'], { actorType: 'client', client: 'bank-bpd' });

function run(source: string, context: { caller?: InternalCaller; audit?: { access(entry: PersonalDataAccess): void } }, enforce = true) {
  const schema = applyFieldAccess(buildSubgraphSchema([{ typeDefs, resolvers }]), { enforce });
  return graphql({ schema, source, contextValue: context });
}

/** Path, code and rule of each error (graphql() runs no formatError: the DomainError is the original error). */
const errorsOf = (result: { errors?: readonly GraphQLError[] }) =>
  (result.errors ?? []).map((error) => {
    const original = error.originalError instanceof DomainError ? error.originalError : undefined;
    return { path: error.path?.join('.'), code: original?.code, rule: original?.details.rule };
  });

beforeEach(() => {
  lookups = [];
});

describe('roleEntryGrants', () => {
  it('matches roles exactly, or by the agency:* / participant:* prefix', () => {
    expect(roleEntryGrants('officer', OFFICER, [])).toBe(true);
    expect(roleEntryGrants('officer', caller(['officers']), [])).toBe(false);
    expect(roleEntryGrants('agency:*', AGENCY, [])).toBe(true);
    expect(roleEntryGrants('agency:*', caller(['agency:']), [])).toBe(false);
    expect(roleEntryGrants('agency:*', caller(['agencyx:tax']), [])).toBe(false);
    expect(roleEntryGrants('participant:*', BANK, [])).toBe(true);
    expect(roleEntryGrants('agency:tax', caller(['agency:tax-office']), [])).toBe(false);
    expect(roleEntryGrants('*', caller([]), [])).toBe(true);
  });

  it('grants self only to a citizen user whose NIK is a subject of the data', () => {
    expect(roleEntryGrants('self', CITIZEN_HEAD, [HEAD])).toBe(true);
    expect(roleEntryGrants('self', CITIZEN_HEAD, [MEMBER, HEAD])).toBe(true);
    expect(roleEntryGrants('self', CITIZEN_HEAD, [MEMBER])).toBe(false);
    expect(roleEntryGrants('self', CITIZEN_HEAD, [])).toBe(false);
    expect(roleEntryGrants('self', caller(['officer'], { nik: HEAD }), [HEAD])).toBe(false);
    expect(roleEntryGrants('self', caller(['citizen'], { nik: HEAD, actorType: 'client' }), [HEAD])).toBe(false);
  });
});

describe('applyFieldAccess (enforcing)', () => {
  const PROFILE = `{ citizen(nik: "${HEAD}") { nik fullName religion address { street region { name } } card { number members { nik name } } } }`;

  it('gives an officer the whole profile', async () => {
    const result = await run(PROFILE, { caller: OFFICER });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      citizen: {
        nik: HEAD,
        fullName: 'Budi Santoso',
        religion: 'ISLAM',
        address: { street: 'Jl. Merdeka 1', region: { name: 'Banyuwangi' } },
        card: { number: CARD, members: [{ nik: HEAD, name: 'Budi Santoso' }, { nik: MEMBER, name: 'Siti Santoso' }] },
      },
    });
  });

  it('gives an agency only the fields it is listed on, an error at each other one', async () => {
    const result = await run(PROFILE, { caller: AGENCY });
    expect(result.data).toEqual({ citizen: { nik: HEAD, fullName: 'Budi Santoso', religion: null, address: null, card: null } });
    expect(errorsOf(result)).toEqual([
      { path: 'citizen.religion', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' },
      { path: 'citizen.address', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' },
      { path: 'citizen.card', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' },
    ]);
  });

  it('refuses a bank at the root field, before the resolver looks anything up', async () => {
    const result = await run(PROFILE, { caller: BANK });
    expect(result.data).toEqual({ citizen: null });
    expect(errorsOf(result)).toEqual([{ path: 'citizen', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' }]);
    expect(lookups).toEqual([]);
  });

  it('lets a citizen read their own data, including what sits below it, and only their own', async () => {
    const own = await run(PROFILE, { caller: CITIZEN_HEAD });
    expect(own.data?.citizen).toMatchObject({ religion: 'ISLAM', address: { street: 'Jl. Merdeka 1' }, card: { number: CARD } });
    // The family card is reached through the head, so it is his; each member entry is its member's.
    expect((own.data?.citizen as { card: { members: unknown[] } }).card.members).toEqual([
      { nik: HEAD, name: 'Budi Santoso' },
      { nik: null, name: null },
    ]);
    expect(errorsOf(own)).toEqual([
      { path: 'citizen.card.members.1.nik', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' },
      { path: 'citizen.card.members.1.name', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' },
    ]);

    const other = await run(`{ citizen(nik: "${MEMBER}") { nik fullName } }`, { caller: CITIZEN_HEAD });
    expect(other.data).toEqual({ citizen: null });
    expect(errorsOf(other)).toEqual([{ path: 'citizen', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' }]);
    expect(lookups).not.toContain(`citizen:${MEMBER}`);
  });

  it('checks entities reached through _entities as a root query would', async () => {
    const query = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Citizen { nik fullName religion } ... on Card { number } } }`;
    const representations = [
      { __typename: 'Citizen', nik: MEMBER },
      { __typename: 'Card', number: CARD },
    ];
    const schema = applyFieldAccess(buildSubgraphSchema([{ typeDefs, resolvers }]), { enforce: true });
    const asHead = await graphql({ schema, source: query, variableValues: { representations }, contextValue: { caller: CITIZEN_HEAD } });
    // Not his person record (its non-null nik refused, the entity is null); his family card (its head is him).
    expect(asHead.data).toEqual({ _entities: [null, { number: CARD }] });
    expect(errorsOf(asHead)).toContainEqual({ path: '_entities.0.nik', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' });
    const asMember = await graphql({ schema, source: query, variableValues: { representations }, contextValue: { caller: CITIZEN_MEMBER } });
    expect(asMember.data).toEqual({ _entities: [{ nik: MEMBER, fullName: 'Siti Santoso', religion: 'ISLAM' }, { number: null }] });
    const asAgency = await graphql({ schema, source: query, variableValues: { representations }, contextValue: { caller: AGENCY } });
    expect(asAgency.data).toEqual({ _entities: [{ nik: MEMBER, fullName: 'Siti Santoso', religion: null }, { number: null }] });
  });

  it('refuses personal data without a purpose, and serves what is not personal', async () => {
    const { purpose: _purpose, ...noPurpose } = OFFICER;
    const result = await run(`{ catalogue citizen(nik: "${HEAD}") { fullName } }`, { caller: noPurpose });
    expect(result.data).toEqual({ catalogue: ['BUSINESS_START'], citizen: null });
    expect(errorsOf(result)).toEqual([{ path: 'citizen', code: 'FORBIDDEN', rule: 'PURPOSE_REQUIRED' }]);
    expect(result.errors?.[0]?.message).toMatch(/x-simpul-purpose/);
  });

  it('serves an application purpose only for its parties, as the gateway found them for this caller (PURPOSE_NOT_APPLICABLE)', async () => {
    const purpose = 'application:0193c4b2-7c1e-7d4a-9f3e-2b8c1d0e5f6a';
    const query = `{ citizen(nik: "${HEAD}") { fullName } }`;
    const bound = await run(query, { caller: caller(['officer'], { purpose, purposeParties: [HEAD, MEMBER] }) });
    expect(bound.data).toEqual({ citizen: { fullName: 'Budi Santoso' } });
    // No lookup result (a context without it), an application that binds nobody, or a citizen who is not a party.
    for (const purposeParties of [undefined, [], [STRANGER]]) {
      const result = await run(query, { caller: caller(['officer'], { purpose, ...(purposeParties ? { purposeParties } : {}) }) });
      expect(result.data).toEqual({ citizen: null });
      expect(errorsOf(result)).toEqual([{ path: 'citizen', code: 'FORBIDDEN', rule: 'PURPOSE_NOT_APPLICABLE' }]);
    }
    // A party's family card reached through them lists a member who is not a party: that member's data is refused.
    const members = await run(`{ citizen(nik: "${HEAD}") { card { members { nik name } } } }`, { caller: caller(['officer'], { purpose, purposeParties: [HEAD] }) });
    expect(errorsOf(members)).toContainEqual({ path: 'citizen.card.members.1.nik', code: 'FORBIDDEN', rule: 'PURPOSE_NOT_APPLICABLE' });
  });

  it('accepts a legal basis only from the roles it is meant for (PURPOSE_NOT_ALLOWED_FOR_ROLE)', async () => {
    const query = (nik: string) => `{ citizen(nik: "${nik}") { fullName } }`;
    const lawEnforcement = { purpose: 'legal-basis:LAW_ENFORCEMENT' };
    expect(errorsOf(await run(query(HEAD), { caller: caller(['officer'], lawEnforcement) }))).toEqual([{ path: 'citizen', code: 'FORBIDDEN', rule: 'PURPOSE_NOT_ALLOWED_FOR_ROLE' }]);
    expect(errorsOf(await run(query(HEAD), { caller: caller(['agency:tax'], { ...lawEnforcement, actorType: 'client' }) }))).toEqual([
      { path: 'citizen', code: 'FORBIDDEN', rule: 'PURPOSE_NOT_ALLOWED_FOR_ROLE' },
    ]);
    expect((await run(query(HEAD), { caller: caller(['agency:police'], { ...lawEnforcement, actorType: 'client' }) })).data).toEqual({ citizen: { fullName: 'Budi Santoso' } });
    const ownData = { purpose: 'legal-basis:CITIZEN_OWN_DATA_REQUEST' };
    expect((await run(query(HEAD), { caller: caller(['citizen'], { ...ownData, nik: HEAD }) })).data).toEqual({ citizen: { fullName: 'Budi Santoso' } });
    expect(errorsOf(await run(query(HEAD), { caller: caller(['officer'], ownData) }))).toEqual([{ path: 'citizen', code: 'FORBIDDEN', rule: 'PURPOSE_NOT_ALLOWED_FOR_ROLE' }]);
  });

  it('refuses a field that declares no rule to everyone', async () => {
    const result = await run('{ unruled }', { caller: caller(['officer', 'supervisor', 'admin', 'auditor']) });
    expect(result.data).toEqual({ unruled: null });
    expect(errorsOf(result)).toEqual([{ path: 'unruled', code: 'FORBIDDEN', rule: 'NO_ACCESS_RULE' }]);
  });

  it('lets only the listed roles call a mutation', async () => {
    const mutation = `mutation { register(input: { applicantNik: "${HEAD}" }) }`;
    expect(errorsOf(await run(mutation, { caller: AGENCY }))).toEqual([{ path: 'register', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' }]);
    expect(errorsOf(await run(mutation, { caller: CITIZEN_HEAD }))).toEqual([{ path: 'register', code: 'FORBIDDEN', rule: 'FIELD_ACCESS' }]);
    expect(lookups).toEqual([]);
    expect((await run(mutation, { caller: OFFICER })).data).toEqual({ register: true });
    expect(lookups).toEqual(['register']);
  });

  it('refuses everything when the context has no caller at all', async () => {
    const result = await run('{ catalogue }', {});
    expect(errorsOf(result)).toEqual([{ path: 'catalogue', code: 'UNAUTHENTICATED', rule: undefined }]);
  });
});

describe('applyFieldAccess audit reports', () => {
  it('reports every resolved personal field once per data subject, with the NIK found for it', async () => {
    const accesses: PersonalDataAccess[] = [];
    const result = await run(
      `{ citizen(nik: "${HEAD}") { fullName address { street region { name } } card { members { nik } } } }`,
      { caller: OFFICER, audit: { access: (entry) => accesses.push(entry) } },
    );
    expect(result.errors).toBeUndefined();
    const seen = accesses.map((a) => `${a.kind} ${a.typeName}.${a.fieldName} ${a.nik}`);
    expect(seen.sort()).toEqual(
      [
        `READ Query.citizen ${HEAD}`,
        `READ Citizen.fullName ${HEAD}`,
        `READ Citizen.address ${HEAD}`,
        `READ Address.street ${HEAD}`,
        `READ Address.region ${HEAD}`,
        `READ Citizen.card ${HEAD}`,
        `READ Card.members ${HEAD}`,
        `READ Member.nik ${HEAD}`,
        `READ Member.nik ${MEMBER}`,
      ].sort(),
    );
  });

  it('reports a refused field as nothing, and a mutation as a CHANGE of the NIK in its input', async () => {
    const accesses: PersonalDataAccess[] = [];
    const audit = { access: (entry: PersonalDataAccess) => accesses.push(entry) };
    await run(`{ citizen(nik: "${HEAD}") { fullName religion } }`, { caller: AGENCY, audit });
    expect(accesses.map((a) => `${a.typeName}.${a.fieldName}`).sort()).toEqual(['Citizen.fullName', 'Query.citizen']);
    accesses.length = 0;
    await run(`mutation { register(input: { applicantNik: "${MEMBER}" }) }`, { caller: OFFICER, audit });
    expect(accesses).toEqual([{ nik: MEMBER, typeName: 'Mutation', fieldName: 'register', kind: 'CHANGE' }]);
  });

  it('keeps reporting with enforcement off, and refuses nothing then', async () => {
    const accesses: PersonalDataAccess[] = [];
    const result = await run(`{ unruled citizen(nik: "${STRANGER}") { nik } catalogue }`, { audit: { access: (entry) => accesses.push(entry) } }, false);
    expect(result).toEqual({ data: { unruled: 'secret', citizen: null, catalogue: ['BUSINESS_START'] } });
    expect(accesses).toEqual([{ nik: STRANGER, typeName: 'Query', fieldName: 'citizen', kind: 'READ' }]);
  });
});

describe('schemaAccessRules', () => {
  const rulesOf = (sdl: string) =>
    schemaAccessRules(buildSubgraphSchema([{ typeDefs: parse(`directive @access(roles: [String!]!) on FIELD_DEFINITION | OBJECT\ndirective @personalData on FIELD_DEFINITION | OBJECT\n${sdl}`) }]));

  it('applies a block directive to the fields of that block only', () => {
    const rules = rulesOf(
      'type Query @access(roles: ["officer"]) @personalData { a: String b: String @access(roles: ["self"]) } extend type Query { c: String d: String @access(roles: ["*"]) }',
    );
    expect(rules.map((r) => [r.fieldName, r.roles, r.personal])).toEqual([
      ['a', ['officer'], true],
      ['b', ['self'], true],
      ['c', undefined, false],
      ['d', ['*'], false],
    ]);
    expect(() => rulesOf('type Query @personalData { a: String @access(roles: ["*"]) }')).toThrow(/cannot be open to every caller/);
  });

  it('refuses an unknown role at start-up, so a typo is not a silent denial', () => {
    expect(() => rulesOf('type Query { a: String @access(roles: ["oficer"]) }')).toThrow(/unknown role "oficer"/);
    expect(() => rulesOf('type Query { a: String @access(roles: []) }')).toThrow(/non-empty/);
    expect(rulesOf('type Query { a: String @access(roles: ["agency:religious-affairs", "participant:*", "self"]) }')[0]?.roles).toEqual([
      'agency:religious-affairs',
      'participant:*',
      'self',
    ]);
  });
});

describe('createSubgraph with INTERNAL_CONTEXT_PUBLIC_KEY', () => {
  let keys: { publicKey: Ed25519Jwk; privateKey: Ed25519Jwk };
  beforeAll(async () => {
    keys = await generateInternalContextKeys();
  });

  const definition = (publicKey?: Ed25519Jwk) => ({
    name: 'people',
    typeDefs,
    resolvers,
    logger,
    audit: false as const,
    internalContextPublicKey: publicKey ? JSON.stringify(publicKey) : undefined,
    createContext: (base: RequestContext) => base,
  });

  async function post(url: string, query: string, headers: Record<string, string> = {}) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
  }
  const QUERY = `{ citizen(nik: "${HEAD}") { fullName } }`;

  it('refuses a request without a valid context with 401, before resolving anything', async () => {
    const http = await serveSubgraph(await createSubgraph(definition(keys.publicKey)), {});
    try {
      const other = await generateInternalContextKeys();
      const forged = await signInternalContext(OFFICER, other.privateKey);
      const attempts: Record<string, string>[] = [{}, { [INTERNAL_CONTEXT_HEADER]: 'garbage' }, { [INTERNAL_CONTEXT_HEADER]: forged }];
      for (const headers of attempts) {
        const response = await post(http.url, QUERY, headers);
        expect(response.status).toBe(401);
        expect(response.body.data).toBeUndefined();
        expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      }
      // Not even parsed: a broken query is still a 401.
      expect((await post(http.url, '{ citizen(', {})).status).toBe(401);
      const get = await fetch(`${http.url}?query=${encodeURIComponent('{ catalogue }')}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(get.status).toBe(401);
      expect(lookups).toEqual([]);

      const served = await post(http.url, QUERY, { [INTERNAL_CONTEXT_HEADER]: await signInternalContext(OFFICER, keys.privateKey) });
      expect(served).toEqual({ status: 200, body: { data: { citizen: { fullName: 'Budi Santoso' } } } });
    } finally {
      await http.stop();
    }
  });

  it('refuses a context signed for another subgraph, or for another request of this one (a captured context replayed)', async () => {
    const http = await serveSubgraph(await createSubgraph(definition(keys.publicKey)), {});
    try {
      const forTax = await signInternalContext({ ...OFFICER, audience: 'tax' }, keys.privateKey);
      const forAnotherQuery = await signInternalContext({ ...OFFICER, requestHash: graphqlRequestHash(`{ citizen(nik: "${MEMBER}") { fullName } }`, undefined) }, keys.privateKey);
      for (const context of [forTax, forAnotherQuery]) {
        const response = await post(http.url, QUERY, { [INTERNAL_CONTEXT_HEADER]: context });
        expect(response.status).toBe(401);
        expect(response.body.data).toBeUndefined();
      }
      expect(lookups).toEqual([]);
      const bound = await signInternalContext({ ...OFFICER, requestHash: graphqlRequestHash(QUERY, undefined) }, keys.privateKey);
      expect(await post(http.url, QUERY, { [INTERNAL_CONTEXT_HEADER]: bound })).toEqual({ status: 200, body: { data: { citizen: { fullName: 'Budi Santoso' } } } });
    } finally {
      await http.stop();
    }
  });

  it('refuses too through a handler of the service’s own over the same server (second line, in Apollo)', async () => {
    const subgraph = await createSubgraph(definition(keys.publicKey));
    expect(enforcesInternalContext(subgraph.apollo as never)).toBe(true);
    const handler = createGraphQLHandler<RequestContext>({ server: subgraph.apollo, context: () => ({ logger, correlationId: 'own-handler' }) });
    const http = await listen(handler, {});
    try {
      const refused = await post(http.url, QUERY);
      expect(refused.status).toBe(401);
      expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
      expect(lookups).toEqual([]);
      const served = await post(http.url, QUERY, { [INTERNAL_CONTEXT_HEADER]: await signInternalContext(AGENCY, keys.privateKey) });
      expect(served).toEqual({ status: 200, body: { data: { citizen: { fullName: 'Budi Santoso' } } } });
    } finally {
      await http.close();
      await subgraph.apollo.stop();
    }
  });

  it('serves as before without a key, and refuses a private key given as the public one', async () => {
    {
      const subgraph = await createSubgraph(definition());
      expect(enforcesInternalContext(subgraph.apollo as never)).toBe(false);
      const http = await serveSubgraph(subgraph, {});
      try {
        expect(await post(http.url, `{ unruled citizen(nik: "${HEAD}") { religion } }`)).toEqual({
          status: 200,
          body: { data: { unruled: 'secret', citizen: { religion: 'ISLAM' } } },
        });
      } finally {
        await http.stop();
      }
      await expect(createSubgraph({ ...definition(), internalContextPublicKey: JSON.stringify(keys.privateKey) })).rejects.toThrow(/holds a private key/);
    }
  });
});

describe('INTERNAL_CONTEXT_PUBLIC_KEY in a service environment', () => {
  const base = { PORT: '0', DATA_DIR: '/tmp/x' };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadEnv(defineServiceEnv({}), { ...base, ...env });
      return [];
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
  };

  it('is required in production and must be a public Ed25519 JWK', async () => {
    const keys = await generateInternalContextKeys();
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^INTERNAL_CONTEXT_PUBLIC_KEY: required in production/)]);
    expect(problemsOf({ NODE_ENV: 'production', INTERNAL_CONTEXT_PUBLIC_KEY: JSON.stringify(keys.publicKey) })).toEqual([]);
    expect(problemsOf({ INTERNAL_CONTEXT_PUBLIC_KEY: JSON.stringify(keys.privateKey) })).toEqual([expect.stringMatching(/^INTERNAL_CONTEXT_PUBLIC_KEY: .*private key/)]);
    expect(problemsOf({ INTERNAL_CONTEXT_PUBLIC_KEY: 'not json' })).toEqual([expect.stringMatching(/not JSON/)]);
    expect(problemsOf({})).toEqual([]);
    expect(loadEnv(defineServiceEnv({}), { ...base, INTERNAL_CONTEXT_PUBLIC_KEY: '' }).INTERNAL_CONTEXT_PUBLIC_KEY).toBeUndefined();
  });
});
