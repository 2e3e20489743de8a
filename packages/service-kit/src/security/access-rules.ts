import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';

/**
 * Field access, declared next to the field in each subgraph's SDL:
 *
 *   directive @access(roles: [String!]!) on FIELD_DEFINITION | OBJECT
 *   directive @personalData on FIELD_DEFINITION | OBJECT
 *
 * On a field, they govern that field; on a type definition or extension, every field declared in
 * that same block (a field's own `@access` replaces its block's). The SDL declares both directives
 * itself (ACCESS_DIRECTIVES_SDL); federation composition drops them, so the gateway has none.
 *
 * A role entry of `@access(roles:)` is one of:
 * - a role of the security contract: `officer`, `supervisor`, `auditor`, `admin`, `citizen`,
 *   `integrator`, `agency:<code>`, `participant:<code>`;
 * - `agency:*` / `participant:*`: any agency / any participant;
 * - `self`: a citizen user (role `citizen`) whose NIK is the NIK of the data (see data-subject.ts);
 * - `*`: any caller the gateway vouches for (never on personal data).
 * The caller needs one of them. `@personalData` additionally needs a declared purpose, and every
 * resolved value is reported to the audit recorder. With enforcement on, a field without any
 * `@access` is refused to everyone (NO_ACCESS_RULE).
 */
export const ACCESS_DIRECTIVE = 'access';
export const PERSONAL_DATA_DIRECTIVE = 'personalData';
export const SELF_ROLE = 'self';
export const ANY_CALLER_ROLE = '*';

/** What each subgraph's SDL declares (once) to use the directives. */
export const ACCESS_DIRECTIVES_SDL = [
  'directive @access(roles: [String!]!) on FIELD_DEFINITION | OBJECT',
  'directive @personalData on FIELD_DEFINITION | OBJECT',
].join('\n');

const ROLE_ENTRY = /^(\*|self|officer|supervisor|auditor|admin|citizen|integrator|(agency|participant):([a-z0-9]+(-[a-z0-9]+)*|\*))$/;

export interface FieldAccessRule {
  typeName: string;
  fieldName: string;
  /** Undefined: no `@access` on the field or its block. */
  roles?: readonly string[];
  personal: boolean;
}

/** Introspection and the federation plumbing (`_entities`, `_service`): any verified caller, never wrapped. */
export function isExemptField(typeName: string, fieldName: string): boolean {
  return typeName.startsWith('__') || typeName === '_Service' || fieldName === '_entities' || fieldName === '_service' || fieldName.startsWith('__');
}

function directivesNamed(nodes: readonly ConstDirectiveNode[] | undefined, name: string): ConstDirectiveNode[] {
  return (nodes ?? []).filter((directive) => directive.name.value === name);
}

function rolesOf(directive: ConstDirectiveNode, where: string): string[] {
  const argument = directive.arguments?.find((arg) => arg.name.value === 'roles');
  const roles = argument ? (valueFromASTUntyped(argument.value) as unknown) : undefined;
  const list = typeof roles === 'string' ? [roles] : roles;
  if (!Array.isArray(list) || list.length === 0 || !list.every((role): role is string => typeof role === 'string')) {
    throw new Error(`@access on ${where} needs a non-empty roles list`);
  }
  for (const role of list) {
    if (!ROLE_ENTRY.test(role)) throw new Error(`@access on ${where} names an unknown role ${JSON.stringify(role)}`);
  }
  return list;
}

/** The rule of every field of `type` (its own directives, else its block's). */
export function typeAccessRules(type: GraphQLObjectType): FieldAccessRule[] {
  const fields = type.getFields();
  const rules = new Map<string, FieldAccessRule>();
  for (const block of [type.astNode, ...type.extensionASTNodes]) {
    if (!block) continue;
    const blockAccess = directivesNamed(block.directives, ACCESS_DIRECTIVE);
    const blockPersonal = directivesNamed(block.directives, PERSONAL_DATA_DIRECTIVE).length > 0;
    if (blockAccess.length > 1) throw new Error(`${type.name} has more than one @access on one block`);
    for (const fieldNode of block.fields ?? []) {
      const fieldName = fieldNode.name.value;
      const where = `${type.name}.${fieldName}`;
      const fieldAccess = directivesNamed(fieldNode.directives, ACCESS_DIRECTIVE);
      if (fieldAccess.length > 1) throw new Error(`${where} has more than one @access`);
      const access = fieldAccess[0] ?? blockAccess[0];
      const rule: FieldAccessRule = {
        typeName: type.name,
        fieldName,
        personal: blockPersonal || directivesNamed(fieldNode.directives, PERSONAL_DATA_DIRECTIVE).length > 0,
      };
      if (access) rule.roles = rolesOf(access, where);
      if (rule.personal && rule.roles?.includes(ANY_CALLER_ROLE)) {
        throw new Error(`${where} is @personalData and cannot be open to every caller ("*"): name its roles`);
      }
      rules.set(fieldName, rule);
    }
  }
  // Fields added by the schema builder (federation's) and not in any block: no rule.
  for (const fieldName of Object.keys(fields)) {
    if (!rules.has(fieldName)) rules.set(fieldName, { typeName: type.name, fieldName, personal: false });
  }
  return [...rules.values()];
}

/** The access rule of every non-exempt field of every object type of `schema`. */
export function schemaAccessRules(schema: GraphQLSchema): FieldAccessRule[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__'))
    .flatMap((type) => typeAccessRules(type))
    .filter((rule) => !isExemptField(rule.typeName, rule.fieldName));
}

/** A field's type as the matrix tests need it, without graphql-js types. */
export interface AccessTypeReference {
  /** The named type, e.g. `Citizen`, `String`. */
  name: string;
  kind: 'OBJECT' | 'LEAF' | 'OTHER';
  list: boolean;
  nonNull: boolean;
}

export interface AccessFieldDescription extends FieldAccessRule {
  type: AccessTypeReference;
  args: { name: string; type: string; required: boolean }[];
}

export interface AccessTypeDescription {
  name: string;
  /** The field sets of its `@key` directives (simple keys only, e.g. `[["nik"]]`); empty for a value type. */
  keys: string[][];
  fields: AccessFieldDescription[];
}

function referenceOf(type: GraphQLType): AccessTypeReference {
  const named = getNamedType(type);
  const inner = isNonNullType(type) ? type.ofType : type;
  return {
    name: named.name,
    kind: isObjectType(named) ? 'OBJECT' : isLeafType(named) ? 'LEAF' : 'OTHER',
    list: isListType(inner),
    nonNull: isNonNullType(type),
  };
}

function describeField(rule: FieldAccessRule, field: GraphQLField<unknown, unknown>): AccessFieldDescription {
  return {
    ...rule,
    type: referenceOf(field.type),
    args: field.args.map((arg) => ({ name: arg.name, type: String(arg.type), required: isNonNullType(arg.type) && arg.defaultValue === undefined })),
  };
}

/**
 * Every object type of a subgraph schema with its keys and each field's rule, type and arguments:
 * what a generated role × field matrix test walks (packages/testing, access-matrix).
 */
export function describeSchemaAccess(schema: GraphQLSchema): AccessTypeDescription[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith('__') && type.name !== '_Service')
    .map((type) => {
      const fields = type.getFields();
      const keys = [type.astNode, ...type.extensionASTNodes]
        .flatMap((block) => directivesNamed(block?.directives, 'key'))
        .map((directive) => directive.arguments?.find((arg) => arg.name.value === 'fields'))
        .map((argument) => (argument ? String(valueFromASTUntyped(argument.value)) : ''))
        .filter((fieldSet) => fieldSet !== '' && !fieldSet.includes('{'))
        .map((fieldSet) => fieldSet.split(/\s+/).filter(Boolean));
      return {
        name: type.name,
        keys,
        fields: typeAccessRules(type)
          .filter((rule) => !isExemptField(rule.typeName, rule.fieldName))
          .flatMap((rule) => (fields[rule.fieldName] ? [describeField(rule, fields[rule.fieldName]!)] : [])),
      };
    });
}

/** describeSchemaAccess of the subgraph schema `typeDefs` builds to (its SDL, e.g. from loadTypeDefs). */
export function describeSubgraphAccess(typeDefs: DocumentNode): AccessTypeDescription[] {
  return describeSchemaAccess(buildSubgraphSchema([{ typeDefs }]));
}
