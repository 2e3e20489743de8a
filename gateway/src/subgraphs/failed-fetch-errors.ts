import {
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  getDirectiveValues,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export const SUBGRAPH_ERROR_CODES = ['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_TIMEOUT', 'SUBGRAPH_RESPONSE_TOO_LARGE'] as const;
export type SubgraphErrorCode = (typeof SUBGRAPH_ERROR_CODES)[number];

export interface SubgraphFailure {
  code: SubgraphErrorCode;
  /** Client-facing message: names the subgraph, never its address or the low-level cause. */
  message: string;
  serviceName: string;
}

type Variables = Record<string, unknown> | undefined;
type PathSegment = string | number;

/**
 * The errors a failed subgraph fetch stands for, shaped as if the subgraph had answered them itself:
 * one error per field the fetch asked for, with the path that field has IN THE SUBGRAPH RESPONSE.
 *
 * @apollo/gateway turns a thrown fetch into a single error without a path. Handing it these errors
 * instead lets the gateway map each path onto the client's response the same way it maps any
 * subgraph error: `[field]` of a root fetch lands under the fetch's position in the query, and
 * `["_entities", i, field]` of an entity fetch lands on the i-th entity the fetch was resolving
 * (e.g. `["citizen", "businesses"]` or `["citizens", 3, "vehicles", 0, "taxDue"]`).
 */
export function failedFetchErrors(
  operation: DocumentNode,
  variables: Variables,
  failure: SubgraphFailure,
  operationName?: string | null,
): GraphQLFormattedError[] {
  const definition = findOperation(operation, operationName);
  const extensions = { code: failure.code, serviceName: failure.serviceName };
  if (!definition) return [{ message: failure.message, extensions }];

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const node of operation.definitions) {
    if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node);
  }

  const paths: PathSegment[][] = [];
  for (const field of collectFields(definition.selectionSet, fragments, variables, () => true)) {
    if (field.name.value === '__typename') continue;
    if (field.name.value !== '_entities') {
      paths.push([responseKey(field)]);
      continue;
    }
    const representations = Array.isArray(variables?.representations) ? (variables.representations as unknown[]) : [];
    representations.forEach((representation, index) => {
      const typename = typenameOf(representation);
      const entityFields = field.selectionSet
        ? collectFields(field.selectionSet, fragments, variables, (typeCondition) => typeCondition === typename)
        : [];
      const keys = unique(entityFields.map(responseKey).filter((key) => key !== '__typename'));
      // No field selected for this entity's type (e.g. an interface condition): point at the entity.
      if (keys.length === 0) paths.push([responseKey(field), index]);
      for (const key of keys) paths.push([responseKey(field), index, key]);
    });
  }

  const seen = new Set<string>();
  const errors: GraphQLFormattedError[] = [];
  for (const path of paths) {
    const id = JSON.stringify(path);
    if (seen.has(id)) continue;
    seen.add(id);
    errors.push({ message: failure.message, path, extensions });
  }
  return errors.length > 0 ? errors : [{ message: failure.message, extensions }];
}

function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((node) => node.name?.value === operationName);
  return operations[0];
}

/**
 * The fields a selection set asks for, through fragment spreads and inline fragments, leaving out
 * what `@skip`/`@include` exclude. `matchesType` decides whether a type-conditioned fragment applies.
 */
function collectFields(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
  matchesType: (typeCondition: string) => boolean,
  visitedFragments = new Set<string>(),
): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (!isIncluded(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) {
      fields.push(selection);
      continue;
    }
    let fragment: FragmentDefinitionNode | InlineFragmentNode | undefined;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const name = selection.name.value;
      if (visitedFragments.has(name)) continue;
      visitedFragments.add(name);
      fragment = fragments.get(name);
    } else {
      fragment = selection;
    }
    if (!fragment) continue;
    const typeCondition = fragment.typeCondition?.name.value;
    if (typeCondition !== undefined && !matchesType(typeCondition)) continue;
    fields.push(...collectFields(fragment.selectionSet, fragments, variables, matchesType, visitedFragments));
  }
  return fields;
}

function isIncluded(node: Parameters<typeof getDirectiveValues>[1], variables: Variables): boolean {
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    if (getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if === false) return false;
  } catch {
    // A condition we cannot evaluate: keep the field rather than lose its error.
  }
  return true;
}

function responseKey(field: FieldNode): string {
  return field.alias?.value ?? field.name.value;
}

function typenameOf(representation: unknown): string | undefined {
  if (typeof representation !== 'object' || representation === null) return undefined;
  const typename = (representation as { __typename?: unknown }).__typename;
  return typeof typename === 'string' ? typename : undefined;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
