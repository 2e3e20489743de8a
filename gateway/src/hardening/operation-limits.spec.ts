import { buildSchema, getOperationAST, parse, validate } from 'graphql';
import { DEFAULT_OPERATION_LIMITS } from './hardening-env';
import { firstViolation, measureOperation, operationLimitError, type OperationLimits } from './operation-limits';

const schema = buildSchema(`
  type Query {
    citizen(nik: String!): Citizen
    citizens(first: Int = 20): [Citizen!]!
    search(limit: Int, take: Int): [Citizen!]!
    page(first: Int = 25, after: String): CitizenPage!
    status: String!
  }
  type CitizenPage { items: [Citizen!]! nextCursor: String }
  type Citizen { nik: String! fullName: String! spouse: Citizen children: [Citizen!]! tags(first: Int): [String!]! }
`);

const LIMITS: OperationLimits = { ...DEFAULT_OPERATION_LIMITS };

function measure(query: string, variables?: Record<string, unknown>, limits = LIMITS) {
  const document = parse(query);
  expect(validate(schema, document)).toEqual([]);
  return measureOperation(schema, document, getOperationAST(document)!, variables, limits);
}

describe('measureOperation', () => {
  it('counts depth from the root field, leaf fields costing 1', () => {
    expect(measure('{ status }')).toEqual({ depth: 1, aliases: 0, rootFields: 1, cost: 1 });
    expect(measure('{ citizen(nik: "1") { nik fullName } }')).toEqual({ depth: 2, aliases: 0, rootFields: 1, cost: 3 });
    expect(measure('{ citizen(nik: "1") { spouse { spouse { nik } } } }').depth).toBe(4);
  });

  it('multiplies a list without page size by the default list size, and a list of scalars costs 1', () => {
    // 1 (citizen) + 1 (nik) + 1 (tags) + [1 (children) + 10 × 1 (nik)]
    expect(measure('{ citizen(nik: "1") { nik tags children { nik } } }').cost).toBe(1 + 1 + 1 + 1 + 10);
  });

  it('uses the page-size argument as the list size, from a literal, a variable or the schema default', () => {
    expect(measure('{ citizens(first: 3) { nik } }').cost).toBe(1 + 3);
    expect(measure('query ($n: Int) { citizens(first: $n) { nik } }', { n: 7 }).cost).toBe(1 + 7);
    expect(measure('query ($n: Int = 5) { citizens(first: $n) { nik } }').cost).toBe(1 + 5);
    expect(measure('{ citizens { nik } }').cost).toBe(1 + 20);
    expect(measure('{ search(limit: 2, take: 4) { nik } }').cost).toBe(1 + 4);
  });

  it('sizes the lists directly inside a page object by the page size', () => {
    // 1 (page) + [1 (items) + 30 × (1 (nik) + 1 (children) + 10 × 1 (nik))] + 1 (nextCursor)
    expect(measure('{ page(first: 30) { items { nik children { nik } } nextCursor } }').cost).toBe(1 + 1 + 30 * 12 + 1);
    expect(measure('{ page { items { nik } } }').cost).toBe(1 + 1 + 25);
    const viaFragment = measure('{ page(first: 3) { ...P } } fragment P on CitizenPage { items { nik } }');
    expect(viaFragment.cost).toBe(1 + 1 + 3);
  });

  it('reports the largest page-size argument above the maximum', () => {
    expect(measure('{ citizens(first: 100) { nik } }').oversizedPage).toBeUndefined();
    expect(measure('{ a: citizens(first: 101) { nik } b: search(limit: 5000) { nik } }').oversizedPage).toEqual({
      field: 'Query.search',
      argument: 'limit',
      value: 5000,
    });
    expect(measure('query ($n: Int) { citizens(first: $n) { nik } }', { n: 1000 }).oversizedPage).toMatchObject({ value: 1000 });
    expect(measure('query ($n: Int = 300) { citizens(first: $n) { nik } }').oversizedPage).toMatchObject({ value: 300 });
    expect(measure('{ page(first: 101) { nextCursor } }').oversizedPage).toMatchObject({ field: 'Query.page', value: 101 });
    expect(measure('{ citizen(nik: "1") { tags(first: 1000) } }').oversizedPage).toEqual({ field: 'Citizen.tags', argument: 'first', value: 1000 });
  });

  it("does not refuse the schema's own default page size, but counts it in the cost", () => {
    const result = measure('query ($n: Int) { citizens(first: $n) { nik } }', {}, { ...LIMITS, maxPageSize: 5 });
    expect(result.oversizedPage).toBeUndefined();
    expect(result.cost).toBe(1 + 20);
    expect(measure('{ citizens { nik } }', undefined, { ...LIMITS, maxPageSize: 5 }).oversizedPage).toBeUndefined();
  });

  it('counts aliases and root fields through fragments and inline fragments', () => {
    const query = `
      query { a: citizen(nik: "1") { ...F } b: citizen(nik: "2") { ...F } ... on Query { c: status } }
      fragment F on Citizen { n: nik spouse { m: nik } }
    `;
    expect(measure(query)).toMatchObject({ aliases: 3 + 2 * 2, rootFields: 3, depth: 3 });
  });

  it('stays fast on a fragment bomb, whose numbers just get large', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Citizen { spouse { ...F${i + 1} } children { ...F${i + 1} } }`);
    const query = `{ citizen(nik: "1") { ...F0 } } ${fragments.join(' ')} fragment F40 on Citizen { nik }`;
    const started = performance.now();
    const result = measure(query);
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.depth).toBe(42);
    expect(result.cost).toBeGreaterThan(1e30);
  });

  it('does not measure introspection (the gateway answers it; production mode refuses it)', () => {
    expect(measure('{ __schema { types { name fields { name type { name ofType { name } } } } } }')).toEqual({
      depth: 0,
      aliases: 0,
      rootFields: 0,
      cost: 0,
    });
    expect(measure('{ t: __typename }')).toEqual({ depth: 1, aliases: 1, rootFields: 1, cost: 0 });
  });
});

describe('firstViolation', () => {
  const ok = { depth: 1, aliases: 0, rootFields: 1, cost: 1 };

  it('is undefined within every limit, including exactly at it', () => {
    expect(firstViolation(ok, LIMITS)).toBeUndefined();
    expect(
      firstViolation({ depth: LIMITS.maxDepth, aliases: LIMITS.maxAliases, rootFields: LIMITS.maxRootFields, cost: LIMITS.maxCost }, LIMITS),
    ).toBeUndefined();
  });

  it('names the rule, the limit and the actual value', () => {
    expect(firstViolation({ ...ok, depth: 12 }, LIMITS)).toMatchObject({ rule: 'MAX_DEPTH', limit: 8, actual: 12 });
    expect(firstViolation({ ...ok, aliases: 100, rootFields: 100 }, LIMITS)).toMatchObject({ rule: 'MAX_ALIASES', limit: 15, actual: 100 });
    expect(firstViolation({ ...ok, rootFields: 11 }, LIMITS)).toMatchObject({ rule: 'MAX_ROOT_FIELDS', limit: 10, actual: 11 });
    expect(firstViolation({ ...ok, cost: Infinity }, LIMITS)).toMatchObject({ rule: 'MAX_COST', actual: Number.MAX_SAFE_INTEGER });
    expect(firstViolation({ ...ok, depth: 12, oversizedPage: { field: 'Query.citizens', argument: 'first', value: 500 } }, LIMITS)).toEqual({
      rule: 'MAX_PAGE_SIZE',
      limit: 100,
      actual: 500,
      field: 'Query.citizens',
      argument: 'first',
      message: 'Query.citizens(first: 500) asks for more than 100 items',
    });
  });

  it('becomes a 400 GraphQL error whose original error is a BAD_USER_INPUT domain error', () => {
    const error = operationLimitError(firstViolation({ ...ok, depth: 12 }, LIMITS)!);
    expect(error.message).toBe('The operation is nested 12 levels deep; the gateway allows at most 8');
    expect(error.extensions.http).toMatchObject({ status: 400 });
    expect(error.originalError).toMatchObject({ code: 'BAD_USER_INPUT', details: { rule: 'MAX_DEPTH', limit: 8, actual: 12 } });
  });
});
