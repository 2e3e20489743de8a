import type { GraphQLResolveInfo } from 'graphql';

type ResponsePath = GraphQLResolveInfo['path'];

/**
 * Whose personal data a field resolution touches: the NIKs the `self` rule compares with the
 * caller's and the audit records carry. Resolvers pass their own shapes around (database rows,
 * `{ nik }` entity references, views), so the subject is found from what every shape in Simpul has,
 * first match wins:
 *
 * 1. the parent object's own `nik` (a Citizen or its reference, a FamilyMember, a taxpayer row, a
 *    passport row…): the data is that person's;
 * 2. the subject of the field that produced the parent object, up the response path (an Address
 *    under `citizen(nik: A)` is A's; so are A's passports, vehicles, applications and their tasks;
 *    A's family card reached through A is A's even though the card's head is someone else);
 * 3. the parent's own `<something>Nik` properties holding 16 digits (`ownerNik`, `holderNik`,
 *    `applicantNik`, `husbandNik` and `wifeNik`…), for objects reached directly (a root field by
 *    another key, or `_entities`);
 * 4. the field's arguments: `nik`, a `<something>Nik`, or one of those inside an input object
 *    (`verifyCitizen(nik:)`, `submitApplication(input: { applicantNik })`).
 *
 * No subject: `self` cannot match and nothing is reported to the audit (a record the office keeps
 * without any NIK is not about an identified citizen from this subgraph's point of view).
 *
 * Rule 2 keys on the response path, not on the objects: a DataLoader hands the same row to two
 * places of one response, and each place keeps its own subject.
 */
const subjectsByPath = new WeakMap<ResponsePath, readonly string[]>();

const NIK = /^\d{16}$/;
const NONE: readonly string[] = [];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nikProperties(value: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [key, candidate] of Object.entries(value)) {
    if ((key === 'nik' || key.endsWith('Nik')) && typeof candidate === 'string' && NIK.test(candidate) && !found.includes(candidate)) {
      found.push(candidate);
    }
  }
  return found;
}

function inherited(path: ResponsePath | undefined): readonly string[] | undefined {
  for (let at = path; at; at = at.prev) {
    const subjects = subjectsByPath.get(at);
    if (subjects) return subjects;
  }
  return undefined;
}

function argumentSubjects(args: Record<string, unknown>): string[] {
  const found = nikProperties(args);
  for (const value of Object.values(args)) {
    if (isRecord(value)) for (const nik of nikProperties(value)) if (!found.includes(nik)) found.push(nik);
  }
  return found;
}

/** The data subjects of resolving `info.path` on `source` with `args`; remembered for the fields below it. */
export function dataSubjectsOf(source: unknown, args: Record<string, unknown>, path: ResponsePath): readonly string[] {
  let subjects: readonly string[];
  if (isRecord(source) && typeof source.nik === 'string' && source.nik !== '') subjects = [source.nik];
  else subjects = inherited(path.prev) ?? (isRecord(source) ? nikProperties(source) : NONE);
  if (subjects.length === 0) subjects = argumentSubjects(args);
  if (subjects.length > 0) subjectsByPath.set(path, subjects);
  return subjects;
}
