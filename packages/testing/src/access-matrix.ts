import type { AccessFieldDescription, AccessTypeDescription } from '@simpul/service-kit';
import type { GraphQLResponse } from './graphql-client';

/**
 * A generated role × field matrix over the `@access` / `@personalData` rules of subgraph SDLs.
 *
 * From each entry into a subgraph (a root field with arguments, or an entity representation sent to
 * `_entities`), the shortest selection path to every object type it reaches is found, and every field
 * of every reached type becomes a probe: one operation selecting exactly that field (and
 * `__typename` below it when it is an object). Each probe runs for every caller of the security
 * contract with a declared purpose, and, where the caller may read it, once more without one. The
 * expected outcome is worked out here from the SDL alone (an evaluator independent of the
 * subgraphs' field layer): allowed → the same values an all-roles caller gets and no refusal on
 * the path; refused → no value, and a FORBIDDEN error with the right rule at the first field on the
 * path that refuses.
 *
 * How a probe reaches a subgraph is the executor's business: directly with a signed
 * `x-simpul-context` (access-matrix.spec.ts), or — once the identity provider and the gateway's
 * token verification run in the test stack — through the gateway with the caller's bearer token and
 * `x-simpul-purpose` (root probes only: `_entities` is not part of the supergraph).
 */

/**
 * A caller of the security contract. A citizen's NIK is either fixed (`nik`: a real user whose token
 * says it, as through the gateway) or chosen per probe (`citizen`: the probe's data subject's, or
 * another citizen's, as a signed context can say anything).
 */
export interface MatrixCaller {
  name: string;
  roles: readonly string[];
  actorType: 'user' | 'client';
  client: string;
  citizen?: 'own data' | 'someone else';
  nik?: string;
}

export const CONTRACT_AGENCIES = ['dukcapil', 'licensing', 'tax', 'immigration', 'police', 'religious-affairs'] as const;
export const CONTRACT_BUMN_AND_BANKS = ['pln', 'bpjs-kesehatan', 'bank-bpd'] as const;

/** Every kind of caller the contract's realm has: its demo users' role sets, and each client's service-account roles. */
export function contractCallers(): MatrixCaller[] {
  const user = (name: string, roles: string[], citizen?: MatrixCaller['citizen']): MatrixCaller => ({ name, roles, actorType: 'user', client: 'mpp-console', ...(citizen ? { citizen } : {}) });
  const client = (name: string, roles: string[]): MatrixCaller => ({ name, roles, actorType: 'client', client: name });
  return [
    user('petugas (officer)', ['officer']),
    user('supervisor', ['supervisor', 'officer']),
    user('auditor', ['auditor']),
    user('admin', ['admin']),
    user('warga (own data)', ['citizen'], 'own data'),
    user('warga (someone else)', ['citizen'], 'someone else'),
    client('integrator-demo', ['integrator']),
    // The applications service's own account (audit records of its work, and checking with Dukcapil the
    // citizens an application names): an agency role of its own, so the identity basics and no more.
    client('simpul-applications', ['agency:mpp']),
    ...CONTRACT_AGENCIES.map((code) => client(`agency-${code}`, [`agency:${code}`, `participant:${code}`])),
    ...CONTRACT_BUMN_AND_BANKS.map((code) => client(code === 'bank-bpd' ? code : `bumn-${code}`, [`participant:${code}`])),
  ];
}

/** Sees everything: the reference a permitted caller's values are compared with, and what says a probe reaches data at all. */
export const ALL_ROLES_CALLER: MatrixCaller = {
  name: 'all roles',
  roles: ['officer', 'supervisor', 'auditor', 'admin', 'citizen', 'integrator', ...CONTRACT_AGENCIES.flatMap((c) => [`agency:${c}`, `participant:${c}`]), ...CONTRACT_BUMN_AND_BANKS.map((c) => `participant:${c}`)],
  actorType: 'user',
  client: 'mpp-console',
  citizen: 'own data',
};

/** Where probes start: root fields with their arguments, entity representations; each with whose data it is. */
export interface MatrixEntries {
  root?: Record<string, { args?: Record<string, unknown>; subjects: string[] }>;
  entities?: Record<string, { representation: Record<string, unknown>; subjects: string[] }>;
}

export interface MatrixProbe {
  subgraph: string;
  /** `Type.field` probed. */
  target: string;
  /** `Query.citizen`, `Mutation.submitApplication` or `_entities(Citizen)`. */
  entry: string;
  /** The fields selected from the entry down to the target (a root entry's field first). */
  hops: AccessFieldDescription[];
  /** The response path of the target, list indices left out. */
  responsePath: string[];
  /** Whose data the entry is. */
  subjects: string[];
  /** Whose data the root field itself is: the NIKs among its arguments (a subgraph knows no other before resolving it). */
  rootSubjects: string[];
  /** Hops from this index on are another person's record (a Citizen or family member reached from the entry), so `self` cannot be predicted there. */
  subjectUnknownFrom: number;
  operation: 'query' | 'mutation';
  document: string;
  variables: Record<string, unknown>;
}

const isObjectField = (field: AccessFieldDescription) => field.type.kind === 'OBJECT';
const NIK = /^\d{16}$/;

/** The NIKs among root arguments (`nik`, `<x>Nik`, also one level inside an input object). */
function nikArguments(args: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const scan = (value: Record<string, unknown>) => {
    for (const [key, candidate] of Object.entries(value)) {
      if ((key === 'nik' || key.endsWith('Nik')) && typeof candidate === 'string' && NIK.test(candidate)) found.add(candidate);
    }
  };
  scan(args);
  for (const value of Object.values(args)) if (value && typeof value === 'object' && !Array.isArray(value)) scan(value as Record<string, unknown>);
  return [...found];
}
const needsArguments = (field: AccessFieldDescription) => field.args.some((arg) => arg.required);

/** A type whose objects are one person's record of their own: reaching it by a field changes whose data it is. */
function isPersonType(type: AccessTypeDescription | undefined): boolean {
  return Boolean(type?.fields.some((field) => field.fieldName === 'nik'));
}

function selection(hops: AccessFieldDescription[], rootArguments: string): string {
  let inner = isObjectField(hops[hops.length - 1]!) ? ' { __typename }' : '';
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = hops[index]!;
    const args = index === 0 ? rootArguments : '';
    inner = `${hop.fieldName}${args}${inner}`;
    if (index > 0) inner = ` { ${inner} }`;
  }
  return inner;
}

/** Every probe of one subgraph: each field it declares, reached from a root entry and from an entity entry where either can. */
export function planAccessProbes(subgraph: string, types: AccessTypeDescription[], entries: MatrixEntries): MatrixProbe[] {
  const typeByName = new Map(types.map((type) => [type.name, type]));
  /** Shortest hops from the entry's object to each type it reaches. */
  const reach = (start: string): Map<string, AccessFieldDescription[]> => {
    const paths = new Map<string, AccessFieldDescription[]>([[start, []]]);
    const queue = [start];
    while (queue.length > 0) {
      const name = queue.shift()!;
      for (const field of typeByName.get(name)?.fields ?? []) {
        if (!isObjectField(field) || needsArguments(field) || paths.has(field.type.name)) continue;
        paths.set(field.type.name, [...paths.get(name)!, field]);
        queue.push(field.type.name);
      }
    }
    return paths;
  };

  type Built = Pick<MatrixProbe, 'document' | 'variables' | 'operation' | 'responsePath'>;
  const candidates: (MatrixProbe & { via: 'root' | 'entities' })[] = [];
  const addProbes = (via: 'root' | 'entities', entry: string, prefix: AccessFieldDescription[], start: string, subjects: string[], rootSubjects: string[], build: (hops: AccessFieldDescription[]) => Built) => {
    // A hop into a person record (other than the entry's own object) is someone else's from there on.
    const subjectUnknownFrom = (hops: AccessFieldDescription[]) => {
      const index = hops.findIndex((hop, i) => i >= prefix.length && isPersonType(typeByName.get(hop.type.name)));
      return index < 0 ? hops.length : index + 1;
    };
    const add = (target: string, hops: AccessFieldDescription[]) =>
      candidates.push({ via, subgraph, target, entry, hops, subjects, rootSubjects, subjectUnknownFrom: subjectUnknownFrom(hops), ...build(hops) });
    if (prefix.length > 0) add(entry, prefix);
    for (const [typeName, path] of reach(start)) {
      for (const field of typeByName.get(typeName)?.fields ?? []) {
        if (!needsArguments(field)) add(`${typeName}.${field.fieldName}`, [...prefix, ...path, field]);
      }
    }
  };

  for (const [rootName, operation] of [['Query', 'query'], ['Mutation', 'mutation']] as const) {
    for (const field of typeByName.get(rootName)?.fields ?? []) {
      const entry = entries.root?.[field.fieldName];
      if (!entry && needsArguments(field)) continue;
      const args = entry?.args ?? {};
      const declared = field.args.filter((arg) => arg.name in args);
      const variables = Object.fromEntries(declared.map((arg, index) => [`a${index}`, args[arg.name]]));
      const rootArguments = declared.length > 0 ? `(${declared.map((arg, index) => `${arg.name}: $a${index}`).join(', ')})` : '';
      const header = declared.length > 0 ? `(${declared.map((arg, index) => `$a${index}: ${arg.type}`).join(', ')})` : '';
      const build = (hops: AccessFieldDescription[]): Built => ({
        operation,
        document: `${operation} Probe${header} { ${selection(hops, rootArguments)} }`,
        variables,
        responsePath: hops.map((hop) => hop.fieldName),
      });
      const name = `${rootName}.${field.fieldName}`;
      // A mutation is probed at its root field only: each permitted probe changes data.
      if (isObjectField(field) && operation === 'query') addProbes('root', name, [field], field.type.name, entry?.subjects ?? [], nikArguments(args), build);
      else candidates.push({ via: 'root', subgraph, target: name, entry: name, hops: [field], subjects: entry?.subjects ?? [], rootSubjects: nikArguments(args), subjectUnknownFrom: 1, ...build([field]) });
    }
  }
  for (const [typeName, entry] of Object.entries(entries.entities ?? {})) {
    if (!typeByName.get(typeName)?.keys.length) throw new Error(`${subgraph}: ${typeName} is not an entity (no @key)`);
    addProbes('entities', `_entities(${typeName})`, [], typeName, entry.subjects, entry.subjects, (hops) => ({
      operation: 'query',
      document: `query Probe($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typeName} { ${selection(hops, '')} } } }`,
      variables: { representations: [{ __typename: typeName, ...entry.representation }] },
      responsePath: ['_entities', ...hops.map((hop) => hop.fieldName)],
    }));
  }

  // The shortest probe of each field from a root entry, and from an entity entry.
  const chosen = new Map<string, MatrixProbe & { via: 'root' | 'entities' }>();
  for (const probe of candidates) {
    const key = `${probe.via} ${probe.target}`;
    const current = chosen.get(key);
    if (!current || probe.hops.length < current.hops.length) chosen.set(key, probe);
  }
  return [...chosen.values()].map(({ via: _via, ...probe }) => probe);
}

export type Expectation =
  | { outcome: 'allowed' }
  | { outcome: 'refused'; at: number; rule: 'FIELD_ACCESS' | 'NO_ACCESS_RULE' | 'PURPOSE_REQUIRED' }
  /** `self` on another person's record: not predicted from the SDL (the field layer's own tests cover it). */
  | { outcome: 'unpredictable' };

/** The caller's NIK for a probe: the entry's data subject, another citizen's, or none. */
export function callerNik(caller: MatrixCaller, probe: Pick<MatrixProbe, 'subjects'>, someoneElse: string): string | undefined {
  if (caller.nik !== undefined) return caller.nik;
  if (caller.citizen === 'own data') return probe.subjects[0];
  if (caller.citizen === 'someone else') return someoneElse;
  return undefined;
}

function grants(entry: string, caller: MatrixCaller, nik: string | undefined, subjects: string[] | undefined): boolean | undefined {
  if (entry === '*') return true;
  if (entry === 'self') {
    if (caller.actorType !== 'user' || !caller.roles.includes('citizen') || !nik) return false;
    return subjects ? subjects.includes(nik) : undefined;
  }
  if (entry.endsWith(':*')) return caller.roles.some((role) => role.startsWith(entry.slice(0, -1)));
  return caller.roles.includes(entry);
}

/** What the SDL says `caller` gets from `probe`, with or without a declared purpose. */
export function expectAccess(probe: MatrixProbe, caller: MatrixCaller, options: { purpose: boolean; nik: string | undefined }): Expectation {
  for (const [index, hop] of probe.hops.entries()) {
    if (!hop.roles) return { outcome: 'refused', at: index, rule: 'NO_ACCESS_RULE' };
    const subjects = index === 0 && !probe.entry.startsWith('_entities') ? probe.rootSubjects : index < probe.subjectUnknownFrom ? probe.subjects : undefined;
    const answers = hop.roles.map((entry) => grants(entry, caller, options.nik, subjects));
    if (!answers.includes(true)) {
      if (answers.includes(undefined)) return { outcome: 'unpredictable' };
      return { outcome: 'refused', at: index, rule: 'FIELD_ACCESS' };
    }
    if (hop.personal && !options.purpose) return { outcome: 'refused', at: index, rule: 'PURPOSE_REQUIRED' };
  }
  return { outcome: 'allowed' };
}

/** The target's values in a response: every parent object reached, and the target's value in each. */
export function valuesAt(data: unknown, path: string[]): { parents: number; values: unknown[] } {
  let level: unknown[] = [data];
  for (const segment of path.slice(0, -1)) {
    level = level
      .flatMap((value) => (value && typeof value === 'object' ? [(value as Record<string, unknown>)[segment]] : []))
      .flatMap((value) => (Array.isArray(value) ? value.flat(Infinity) : [value]))
      .filter((value) => value !== null && value !== undefined);
  }
  const last = path[path.length - 1]!;
  const parents = level.filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null);
  return { parents: parents.length, values: parents.filter((parent) => last in parent).map((parent) => parent[last]) };
}

const withoutIndices = (path: readonly (string | number)[] | undefined) => (path ?? []).filter((segment) => typeof segment === 'string');
const samePath = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((segment, index) => segment === b[index]);
const isNullish = (value: unknown): boolean => value === null || value === undefined || (Array.isArray(value) && value.every(isNullish));

/** Why a response does not match what was expected (undefined when it does). */
export function judgeProbe(probe: MatrixProbe, expectation: Expectation, response: GraphQLResponse, reference: { values: unknown[] } | undefined): string | undefined {
  if (response.status !== 200) return `HTTP ${response.status}: ${JSON.stringify(response.errors)}`;
  const { parents, values } = valuesAt(response.data, probe.responsePath);
  const refusals = (response.errors ?? []).filter((error) => error.extensions?.code === 'FORBIDDEN' || error.extensions?.code === 'UNAUTHENTICATED');
  const onPath = refusals.filter((error) => {
    const path = withoutIndices(error.path);
    return path.length <= probe.responsePath.length && samePath(path, probe.responsePath.slice(0, path.length));
  });
  if (expectation.outcome === 'allowed') {
    if (onPath.length > 0) return `refused though allowed: ${onPath.map((e) => `${e.path?.join('.')} ${String(e.extensions?.rule)}`).join('; ')}`;
    if (parents === 0 || values.length !== parents) return `no ${probe.target} in the answer (${JSON.stringify(response.data)}; ${JSON.stringify(response.errors)})`;
    if (reference && probe.operation === 'query' && JSON.stringify(values) !== JSON.stringify(reference.values)) {
      return `other values than the all-roles caller's: ${JSON.stringify(values)} vs ${JSON.stringify(reference.values)}`;
    }
    if (probe.operation === 'mutation' && values.every(isNullish)) return 'the mutation returned nothing';
    return undefined;
  }
  if (expectation.outcome === 'unpredictable') return undefined;
  const leaked = values.filter((value) => !isNullish(value));
  if (leaked.length > 0) return `LEAK: ${probe.target} = ${JSON.stringify(leaked)}`;
  const refusedAt = probe.hops.slice(0, expectation.at + 1).map((hop) => hop.fieldName);
  const expectedPath = probe.responsePath[0] === '_entities' ? ['_entities', ...refusedAt] : refusedAt;
  if (!refusals.some((error) => samePath(withoutIndices(error.path), expectedPath) && error.extensions?.rule === expectation.rule)) {
    return `expected FORBIDDEN ${expectation.rule} at ${expectedPath.join('.')}, got ${JSON.stringify(response.errors ?? [])}`;
  }
  return undefined;
}

/** One probe as an executor runs it: the caller's NIK and purpose resolved. */
export interface MatrixRequest {
  probe: MatrixProbe;
  caller: MatrixCaller;
  nik: string | undefined;
  purpose: string | undefined;
}

export type MatrixExecutor = (request: MatrixRequest) => Promise<GraphQLResponse>;

export interface MatrixResult {
  /** Probes run per caller (all of them reach data with the all-roles caller). */
  probes: MatrixProbe[];
  /** Probes whose target the sample data does not reach (null on the way), so nothing could be judged. */
  unreachable: MatrixProbe[];
  requests: number;
  /** Every mismatch, as `<caller> <entry> → <target> [no purpose]: <why>`. */
  failures: string[];
}

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

/**
 * Runs every probe for every caller through `execute` and judges each answer: first with the
 * all-roles caller (the reference values, and which probes the data reaches at all), then with each
 * caller and a purpose, and without one where that changes the outcome. Mutation probes do run: the
 * permitted callers' calls change data (a test stack's), refused ones must change nothing.
 */
export async function runAccessMatrix(options: {
  probes: MatrixProbe[];
  callers: MatrixCaller[];
  execute: MatrixExecutor;
  purpose: string;
  /** A NIK that is nobody's in the probes (the "someone else" citizen). */
  someoneElse: string;
  concurrency?: number;
}): Promise<MatrixResult> {
  const { execute, purpose, someoneElse } = options;
  const concurrency = options.concurrency ?? 8;
  const failures: string[] = [];
  const unreachable: MatrixProbe[] = [];
  const reachable: { probe: MatrixProbe; reference: { values: unknown[] } }[] = [];
  let requests = 0;

  await inBatches(options.probes, concurrency, async (probe) => {
    requests += 1;
    const nik = callerNik(ALL_ROLES_CALLER, probe, someoneElse);
    const response = await execute({ probe, caller: ALL_ROLES_CALLER, nik, purpose });
    const { parents, values } = valuesAt(response.data, probe.responsePath);
    if (parents === 0) {
      unreachable.push(probe);
      return;
    }
    const problem = judgeProbe(probe, expectAccess(probe, ALL_ROLES_CALLER, { purpose: true, nik }), response, undefined);
    if (problem) failures.push(`${ALL_ROLES_CALLER.name} ${probe.entry} → ${probe.target}: ${problem}`);
    else reachable.push({ probe, reference: { values } });
  });

  const runs = reachable.flatMap(({ probe, reference }) =>
    options.callers.flatMap((caller) => {
      const nik = callerNik(caller, probe, someoneElse);
      const withPurpose = expectAccess(probe, caller, { purpose: true, nik });
      const withoutPurpose = expectAccess(probe, caller, { purpose: false, nik });
      return [
        { probe, caller, nik, purpose: purpose as string | undefined, expectation: withPurpose, reference },
        // Without a purpose: where the purpose is what decides (the refused legs are the same as above otherwise).
        ...(withoutPurpose.outcome !== withPurpose.outcome ? [{ probe, caller, nik, purpose: undefined, expectation: withoutPurpose, reference }] : []),
      ];
    }),
  );
  await inBatches(runs, concurrency, async ({ probe, caller, nik, purpose: declared, expectation, reference }) => {
    requests += 1;
    const response = await execute({ probe, caller, nik, purpose: declared });
    const problem = judgeProbe(probe, expectation, response, reference);
    if (problem) failures.push(`${caller.name} ${probe.entry} → ${probe.target}${declared ? '' : ' [no purpose]'}: ${problem}`);
  });
  return { probes: reachable.map((r) => r.probe), unreachable, requests, failures: failures.sort() };
}
