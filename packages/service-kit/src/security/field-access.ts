import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { AuditRecorder } from '../audit/audit-recorder';
import { DISCARDING_AUDIT_RECORDER } from '../audit/collecting-audit-recorder';
import { DomainError } from '../errors';
import { ANY_CALLER_ROLE, SELF_ROLE, isExemptField, typeAccessRules, type FieldAccessRule } from './access-rules';
import { dataSubjectsOf } from './data-subject';
import type { InternalCaller } from './internal-context';
import { LEGAL_BASIS_ROLES, parsePurpose } from './purpose';

/** What the field layer reads of a request context (RequestContext has both). */
interface FieldAccessContext {
  caller?: InternalCaller;
  audit?: AuditRecorder;
}

/** Whether one `@access` role entry lets `caller` at data of `subjects`. */
export function roleEntryGrants(entry: string, caller: InternalCaller, subjects: readonly string[]): boolean {
  if (entry === ANY_CALLER_ROLE) return true;
  if (entry === SELF_ROLE) {
    return caller.actorType === 'user' && caller.roles.includes('citizen') && caller.nik !== undefined && subjects.includes(caller.nik);
  }
  if (entry.endsWith(':*')) {
    const prefix = entry.slice(0, -1);
    return caller.roles.some((role) => role.startsWith(prefix) && role.length > prefix.length);
  }
  return caller.roles.includes(entry);
}

/** Why `caller` may not resolve a field under `rule` (the FORBIDDEN error), or undefined when it may. */
export function fieldAccessDenial(rule: FieldAccessRule, caller: InternalCaller, subjects: readonly string[]): DomainError | undefined {
  const field = `${rule.typeName}.${rule.fieldName}`;
  if (!rule.roles) {
    return new DomainError('FORBIDDEN', `${field} declares no @access rule, so nobody may read it`, { rule: 'NO_ACCESS_RULE', field });
  }
  if (!rule.roles.some((entry) => roleEntryGrants(entry, caller, subjects))) {
    return new DomainError('FORBIDDEN', `Not allowed to access ${field}`, { rule: 'FIELD_ACCESS', field });
  }
  if (rule.personal && !caller.purpose) {
    return new DomainError(
      'FORBIDDEN',
      `${field} is personal data: declare the purpose of the request in x-simpul-purpose (application:<uuid> or legal-basis:<CODE>)`,
      { rule: 'PURPOSE_REQUIRED', field },
    );
  }
  if (rule.personal) return purposeDenial(field, caller, subjects);
  return undefined;
}

/**
 * Whether the declared purpose covers this caller reading this data (purpose binding): an
 * `application:<uuid>` only for the application's citizens, as the gateway found them for this
 * caller (`purposeParties`; none or empty: PURPOSE_NOT_APPLICABLE); a `legal-basis:<CODE>` only for
 * the roles of LEGAL_BASIS_ROLES, `self` only for the citizen's own data (PURPOSE_NOT_ALLOWED_FOR_ROLE).
 */
export function purposeDenial(field: string, caller: InternalCaller, subjects: readonly string[]): DomainError | undefined {
  const parsed = caller.purpose === undefined ? undefined : parsePurpose(caller.purpose);
  if (!parsed?.ok) return undefined;
  const { purpose } = parsed;
  if (purpose.kind === 'application') {
    const parties = caller.purposeParties ?? [];
    const outsider = subjects.find((nik) => !parties.includes(nik));
    if (parties.length > 0 && outsider === undefined) return undefined;
    const why = parties.length === 0 ? 'it does not exist, is closed, or this caller has no part in it' : 'the data is about a citizen who is not a party to it';
    return new DomainError('FORBIDDEN', `${field}: the purpose ${purpose.value} does not apply: ${why}`, { rule: 'PURPOSE_NOT_APPLICABLE', field });
  }
  const allowed = LEGAL_BASIS_ROLES[purpose.code].some((entry) =>
    // A citizen's own data: every subject theirs (none: what the field reads by the caller's own NIK).
    entry === SELF_ROLE ? roleEntryGrants(SELF_ROLE, caller, [caller.nik ?? '']) && subjects.every((nik) => nik === caller.nik) : roleEntryGrants(entry, caller, subjects),
  );
  if (allowed) return undefined;
  return new DomainError('FORBIDDEN', `${field}: the legal basis ${purpose.code} is not one this caller may invoke for this data`, {
    rule: 'PURPOSE_NOT_ALLOWED_FOR_ROLE',
    field,
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export interface FieldAccessOptions {
  /**
   * Refuse every field the context's caller may not resolve. Off (no INTERNAL_CONTEXT_PUBLIC_KEY,
   * development and tests): nothing is refused, and personal-data fields are still reported to
   * `context.audit`.
   */
  enforce: boolean;
}

/**
 * Wraps the resolver of every field of every object type of `schema` (in place; default resolvers
 * included, so an `_entities` representation's fields are covered as much as a root query's): the
 * field's `@access` rule is checked before it resolves, a refused field is a FORBIDDEN error at its
 * path and its value is never produced, and each resolved `@personalData` field reports one access
 * per data subject to `context.audit` (READ; CHANGE for a mutation's root field).
 */
export function applyFieldAccess(schema: GraphQLSchema, options: FieldAccessOptions): GraphQLSchema {
  const mutationType = schema.getMutationType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = type.getFields();
    for (const rule of typeAccessRules(type)) {
      const field = fields[rule.fieldName];
      if (!field || isExemptField(rule.typeName, rule.fieldName)) continue;
      const resolve: GraphQLFieldResolver<unknown, FieldAccessContext> = field.resolve ?? defaultFieldResolver;
      const kind = type === mutationType ? 'CHANGE' : 'READ';
      field.resolve = (source, args: Record<string, unknown>, context: FieldAccessContext, info) => {
        // Subjects are worked out for every field, so the personal fields below it find theirs (data-subject.ts).
        if (!options.enforce && (!context.audit || context.audit === DISCARDING_AUDIT_RECORDER)) return resolve(source, args, context, info);
        const subjects = dataSubjectsOf(source, args, info.path);
        if (options.enforce) {
          const caller = context.caller;
          if (!caller) throw new DomainError('UNAUTHENTICATED', 'Only the gateway may call this service');
          const denial = fieldAccessDenial(rule, caller, subjects);
          if (denial) throw denial;
        }
        const result = resolve(source, args, context, info);
        const audit = context.audit;
        if (!rule.personal || !audit || subjects.length === 0) return result;
        const report = (value: unknown) => {
          if (value instanceof Error) return value;
          for (const nik of subjects) audit.access({ nik, typeName: rule.typeName, fieldName: rule.fieldName, kind });
          return value;
        };
        return isPromiseLike(result) ? Promise.resolve(result).then(report) : report(result);
      };
    }
  }
  return schema;
}
