import { HeaderMap, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { BadUserInputError } from '@simpul/service-kit';
import {
  GraphQLError,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface OperationLimits {
  /** Nesting of fields: `{ citizen { nik } }` is depth 2. */
  maxDepth: number;
  /** Aliased fields in the operation, fragments counted where they are spread. */
  maxAliases: number;
  /** Fields selected on the root type (Query or Mutation), fragments included. */
  maxRootFields: number;
  /** Estimated cost: see measureOperation. */
  maxCost: number;
  /** Largest value a page-size argument (PAGE_SIZE_ARGUMENTS) may take. */
  maxPageSize: number;
  /** How many items the cost estimate assumes for a list field without a page-size argument. */
  defaultListSize: number;
}

/**
 * Argument names read as "how many items of this list": a value the client gives above maxPageSize
 * is refused, and the value (or the argument's schema default) is the list's size in the cost.
 */
export const PAGE_SIZE_ARGUMENTS: ReadonlySet<string> = new Set(['first', 'last', 'limit', 'pageSize', 'take']);

/** `extensions.rule` of each refusal (with `extensions.code` BAD_USER_INPUT). */
export type OperationLimitRule = 'MAX_PAGE_SIZE' | 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_ROOT_FIELDS' | 'MAX_COST';

export interface OperationLimitViolation {
  rule: OperationLimitRule;
  limit: number;
  actual: number;
  message: string;
  /** MAX_PAGE_SIZE only: `Type.field` and the argument. */
  field?: string;
  argument?: string;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  rootFields: number;
  cost: number;
  /** The largest page-size argument that exceeds maxPageSize, if any. */
  oversizedPage?: { field: string; argument: string; value: number };
}

interface SelectionMeasure {
  depth: number;
  aliases: number;
  fields: number;
  cost: number;
}

const INTROSPECTION_ROOT_FIELDS = new Set(['__schema', '__type']);

/**
 * Measures an operation that already passed GraphQL validation (so fragments exist and do not
 * cycle). Fragments are measured once and counted wherever they are spread, so a document that
 * spreads fragments into each other cannot make this walk exponential; its numbers just get large.
 *
 * Cost: every field costs 1 (`__typename` 0); a field with a selection set adds the cost of that
 * selection multiplied by the number of items it may return: for a list, its page-size argument
 * (PAGE_SIZE_ARGUMENTS, the client's value or the schema default), else the page size of the page
 * object it sits in, else `defaultListSize`; 1 for a single object. A page-size argument on a
 * field returning one object (`myDataAccessLog(first: 20) { entries { … } nextCursor }`) sizes the
 * lists directly inside that object. `__schema`/`__type` are not measured (the gateway
 * answers them itself and production mode refuses them).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: Pick<OperationLimits, 'maxPageSize' | 'defaultListSize'>,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  const variableValues = coerced.coerced ?? {};
  const fragmentMeasures = new Map<string, SelectionMeasure>();
  let oversizedPage: OperationMeasure['oversizedPage'];

  const pageSizeOf = (field: GraphQLField<unknown, unknown>, node: FieldNode, parent: GraphQLCompositeType): number | undefined => {
    const pageArguments = field.args.filter((arg) => PAGE_SIZE_ARGUMENTS.has(arg.name));
    if (pageArguments.length === 0) return undefined;
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(field, node, variableValues);
    } catch {
      // An invalid argument value fails execution before any query plan; nothing to measure.
      return undefined;
    }
    let size: number | undefined;
    for (const arg of pageArguments) {
      const value = values[arg.name];
      if (typeof value !== 'number') continue;
      // The schema's own default counts in the cost, but is the server's choice, not an oversized request.
      const given = node.arguments?.find((argument) => argument.name.value === arg.name)?.value;
      const chosenByClient = given !== undefined && (given.kind !== Kind.VARIABLE || given.name.value in variableValues);
      if (chosenByClient && value > limits.maxPageSize && (!oversizedPage || value > oversizedPage.value)) {
        oversizedPage = { field: `${parent.name}.${field.name}`, argument: arg.name, value };
      }
      size = Math.max(size ?? 0, value);
    }
    return size;
  };

  /**
   * `pageListSize`: the page size of the field whose selection this is, when that field returns one
   * object (a page or connection such as `{ entries [..] nextCursor }`): the lists directly in it
   * hold that many items.
   */
  const measureSelectionSet = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, pageListSize?: number): SelectionMeasure => {
    const total: SelectionMeasure = { depth: 0, aliases: 0, fields: 0, cost: 0 };
    const add = (part: SelectionMeasure) => {
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.fields += part.fields;
      total.cost += part.cost;
    };
    for (const selection of selectionSet.selections) {
      switch (selection.kind) {
        case Kind.FIELD:
          add(measureField(selection, parent, pageListSize));
          break;
        case Kind.INLINE_FRAGMENT: {
          const type = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parent;
          add(measureSelectionSet(selection.selectionSet, isCompositeType(type) ? type : parent, pageListSize));
          break;
        }
        case Kind.FRAGMENT_SPREAD: {
          const key = `${selection.name.value}|${pageListSize ?? ''}`;
          let measure = fragmentMeasures.get(key);
          if (!measure) {
            const fragment = fragments.get(selection.name.value);
            if (!fragment) break;
            const type = typeFromAST(schema, fragment.typeCondition);
            measure = measureSelectionSet(fragment.selectionSet, isCompositeType(type) ? type : parent, pageListSize);
            fragmentMeasures.set(key, measure);
          }
          add(measure);
          break;
        }
      }
    }
    return total;
  };

  const measureField = (node: FieldNode, parent: GraphQLCompositeType, pageListSize: number | undefined): SelectionMeasure => {
    const name = node.name.value;
    const aliased = node.alias ? 1 : 0;
    if (INTROSPECTION_ROOT_FIELDS.has(name)) return { depth: 0, aliases: 0, fields: 0, cost: 0 };
    if (name === '__typename') return { depth: 1, aliases: aliased, fields: 1, cost: 0 };
    const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
    if (!field) return { depth: 1, aliases: aliased, fields: 1, cost: 1 };

    const pageSize = pageSizeOf(field, node, parent);
    const returned = getNamedType(field.type);
    if (!node.selectionSet || !isCompositeType(returned)) return { depth: 1, aliases: aliased, fields: 1, cost: 1 };
    const returnsList = isListType(getNullableType(field.type));
    const listSize = returnsList ? (pageSize ?? pageListSize ?? limits.defaultListSize) : 1;
    const child = measureSelectionSet(node.selectionSet, returned, returnsList ? undefined : pageSize);
    return {
      depth: 1 + child.depth,
      aliases: aliased + child.aliases,
      fields: 1,
      cost: 1 + Math.max(0, listSize) * child.cost,
    };
  };

  const root = schema.getRootType(operation.operation);
  const measure = root ? measureSelectionSet(operation.selectionSet, root) : { depth: 0, aliases: 0, fields: 0, cost: 0 };
  return {
    depth: measure.depth,
    aliases: measure.aliases,
    rootFields: measure.fields,
    cost: measure.cost,
    ...(oversizedPage ? { oversizedPage } : {}),
  };
}

/** The first limit the measure breaks, in the order page size, depth, aliases, root fields, cost. */
export function firstViolation(measure: OperationMeasure, limits: OperationLimits): OperationLimitViolation | undefined {
  if (measure.oversizedPage) {
    const { field, argument, value } = measure.oversizedPage;
    return {
      rule: 'MAX_PAGE_SIZE',
      limit: limits.maxPageSize,
      actual: value,
      field,
      argument,
      message: `${field}(${argument}: ${value}) asks for more than ${limits.maxPageSize} items`,
    };
  }
  const checks: [OperationLimitRule, number, number, (actual: number) => string][] = [
    ['MAX_DEPTH', limits.maxDepth, measure.depth, (n) => `The operation is nested ${n} levels deep`],
    ['MAX_ALIASES', limits.maxAliases, measure.aliases, (n) => `The operation uses ${n} aliases`],
    ['MAX_ROOT_FIELDS', limits.maxRootFields, measure.rootFields, (n) => `The operation selects ${n} root fields`],
    ['MAX_COST', limits.maxCost, measure.cost, (n) => `The operation has an estimated cost of ${n}`],
  ];
  for (const [rule, limit, measured, describe] of checks) {
    if (measured > limit) {
      const actual = Math.min(measured, Number.MAX_SAFE_INTEGER);
      return { rule, limit, actual, message: `${describe(actual)}; the gateway allows at most ${limit}` };
    }
  }
  return undefined;
}

/** A refusal as the request pipeline reports it: HTTP 400, BAD_USER_INPUT with the rule, limit and actual value. */
export function operationLimitError(violation: OperationLimitViolation): GraphQLError {
  const { message, ...details } = violation;
  return new GraphQLError(message, {
    originalError: new BadUserInputError(message, details),
    extensions: { http: { status: 400, headers: new HeaderMap() } },
  });
}

/**
 * Enforces the limits once the operation is validated and before the gateway plans it, so a
 * refused operation never reaches a subgraph. (didResolveOperation is the last hook before
 * execution, and the first that sees the variables, which page sizes may come from.)
 */
export function operationLimitsPlugin<TContext extends BaseContext>(limits: OperationLimits): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // No operation to run (e.g. an unknown operationName): execution refuses it, nothing to measure.
          if (!operation) return;
          const measure = measureOperation(schema, document, operation, request.variables, limits);
          const violation = firstViolation(measure, limits);
          if (violation) throw operationLimitError(violation);
        },
      };
    },
  };
}
