import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueCodeSchema, participantCodeSchema } from '@simpul/events';
import { z } from 'zod';
import { criticalPathHours, findCycle, topologicalOrder } from './step-graph';

// The MPP's service catalogue is data (catalogue/service-catalogue.json, or SERVICE_CATALOGUE_PATH):
// which institutions take part, and for each application type the inputs the counter collects and
// the DAG of steps that fulfil it. It is validated once at start; a bad entry stops the service with
// every problem named, e.g. `applicationTypes[BUSINESS_START].steps[issue-nib].participant: …`.

/** The catalogue shipped with the service (services/applications/catalogue/), from src/ and dist/ alike. */
export const DEFAULT_SERVICE_CATALOGUE_PATH = join(__dirname, '../../../catalogue/service-catalogue.json');

export const PARTICIPANT_KINDS = ['AGENCY', 'BUMN', 'BANK'] as const;
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

export const INPUT_KINDS = ['NIK', 'KK_NUMBER', 'NPWP', 'NIB', 'PLATE_NUMBER', 'PASSPORT_NUMBER', 'KBLI', 'DATE', 'STRING', 'CHOICE'] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

/** Every application has its applicant's NIK; steps pass it on as the input `applicantNik`. */
export const APPLICANT_NIK_INPUT = 'applicantNik';
/** Tasks receive the documents their dependencies issued under this name (and hashed values as `<name>Hash`). */
export const ISSUED_DOCUMENTS_INPUT = 'issuedDocuments';

const inputNameSchema = z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'input names are camelCase, e.g. "businessName"').max(40);
const stepIdSchema = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'step ids are lower-kebab-case, e.g. "issue-nib"').max(60);
const textSchema = (max: number) => z.string().trim().min(1).max(max);

const participantSchema = z.strictObject({
  code: participantCodeSchema,
  name: textSchema(120),
  kind: z.enum(PARTICIPANT_KINDS),
  /** Whether the institution may receive a plaintext NIK; others get hashNik(nik, pepper) instead. */
  entitledToNik: z.boolean(),
});

const inputBase = { name: inputNameSchema, label: textSchema(120), required: z.boolean() };
/** Full years a citizen must be on the day of filing (a groom and a bride 19, UU 16/2019); absent: any age. */
const minimumAgeSchema = z.number().int().min(1).max(120).optional();
const inputSchema = z.discriminatedUnion('kind', [
  // Every citizen an application names must be registered with Dukcapil, alive, and of this age.
  z.strictObject({ ...inputBase, kind: z.literal('NIK'), minimumAge: minimumAgeSchema }),
  z.strictObject({ ...inputBase, kind: z.enum(['KK_NUMBER', 'NPWP', 'NIB', 'PLATE_NUMBER', 'PASSPORT_NUMBER', 'KBLI']) }),
  z.strictObject({ ...inputBase, kind: z.literal('DATE'), notInFuture: z.boolean().default(false) }),
  z.strictObject({ ...inputBase, kind: z.literal('STRING'), maxLength: z.number().int().min(1).max(2000).default(200) }),
  z.strictObject({ ...inputBase, kind: z.literal('CHOICE'), options: z.array(catalogueCodeSchema).min(1) }),
]);

const stepSchema = z.strictObject({
  id: stepIdSchema,
  title: textSchema(120),
  participant: participantCodeSchema,
  taskKind: catalogueCodeSchema,
  inputs: z.array(inputNameSchema),
  dependsOn: z.array(z.string()),
  /** Hours the participant has; fractions allowed (0.5 = 30 minutes; drills use seconds). */
  slaHours: z.number().min(1 / 3600, 'slaHours must be at least one second (1/3600)').max(24 * 365),
});

const applicationTypeSchema = z.strictObject({
  code: catalogueCodeSchema,
  title: textSchema(120),
  description: textSchema(500),
  inputs: z.array(inputSchema),
  /** The applicant's minimum age in full years (17: the age of an e-KTP); absent: any age. */
  applicantMinimumAge: minimumAgeSchema,
  /** Groups of inputs that must not hold the same value (a groom is not his own bride). */
  distinctInputs: z.array(z.array(inputNameSchema).min(2)).default([]),
  steps: z.array(stepSchema).min(1),
});

const catalogueSchema = z.strictObject({
  participants: z.array(participantSchema).min(1),
  applicationTypes: z.array(applicationTypeSchema).min(1),
});

export type ParticipantDefinition = z.output<typeof participantSchema>;
export type InputDefinition = z.output<typeof inputSchema>;
export type StepDefinition = z.output<typeof stepSchema>;

export interface ApplicationTypeDefinition extends z.output<typeof applicationTypeSchema> {
  /** Steps in an order where each comes after everything it depends on. */
  orderedSteps: StepDefinition[];
  stepsById: ReadonlyMap<string, StepDefinition>;
  inputsByName: ReadonlyMap<string, InputDefinition>;
  /** Hours from submission to completion when every step on the longest chain uses its full SLA. */
  slaHours: number;
  /** Participants with a step, in step order, each once. */
  participantCodes: string[];
}

export interface ServiceCatalogue {
  participants: ReadonlyMap<string, ParticipantDefinition>;
  applicationTypes: ReadonlyMap<string, ApplicationTypeDefinition>;
}

export class ServiceCatalogueError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid service catalogue (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ServiceCatalogueError';
  }
}

/** Reads and validates a catalogue file; throws ServiceCatalogueError listing every problem. */
export function loadServiceCatalogue(path: string): ServiceCatalogue {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ServiceCatalogueError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ServiceCatalogueError(path, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseServiceCatalogue(json, path);
}

export function parseServiceCatalogue(json: unknown, source = 'service catalogue'): ServiceCatalogue {
  const parsed = catalogueSchema.safeParse(json);
  if (!parsed.success) {
    throw new ServiceCatalogueError(
      source,
      parsed.error.issues.map((issue) => `${describePath(json, issue.path)}: ${issue.message}`),
    );
  }
  const problems = crossReferenceProblems(parsed.data);
  if (problems.length > 0) throw new ServiceCatalogueError(source, problems);

  const participants = new Map(parsed.data.participants.map((p) => [p.code, Object.freeze(p)]));
  const applicationTypes = new Map<string, ApplicationTypeDefinition>();
  for (const type of parsed.data.applicationTypes) {
    const orderedSteps = topologicalOrder(type.steps);
    applicationTypes.set(
      type.code,
      Object.freeze({
        ...type,
        orderedSteps,
        stepsById: new Map(type.steps.map((s) => [s.id, s])),
        inputsByName: new Map(type.inputs.map((i) => [i.name, i])),
        slaHours: criticalPathHours(type.steps),
        participantCodes: [...new Set(orderedSteps.map((s) => s.participant))],
      }),
    );
  }
  return { participants, applicationTypes };
}

type CatalogueInput = z.output<typeof catalogueSchema>;

/** What zod cannot see: duplicates, references between entries, and the shape of each step graph. */
function crossReferenceProblems(catalogue: CatalogueInput): string[] {
  const problems: string[] = [];
  const participantCodes = new Set<string>();
  for (const participant of catalogue.participants) {
    if (participantCodes.has(participant.code)) problems.push(`participants[${participant.code}]: participant code listed twice`);
    participantCodes.add(participant.code);
  }

  const typeCodes = new Set<string>();
  for (const type of catalogue.applicationTypes) {
    const at = `applicationTypes[${type.code}]`;
    if (typeCodes.has(type.code)) problems.push(`${at}: application type code listed twice`);
    typeCodes.add(type.code);

    const inputNames = new Set<string>();
    for (const input of type.inputs) {
      const inputAt = `${at}.inputs[${input.name}]`;
      if (input.name === APPLICANT_NIK_INPUT) problems.push(`${inputAt}: "${APPLICANT_NIK_INPUT}" is every application's applicant; do not declare it`);
      if (input.name === ISSUED_DOCUMENTS_INPUT || input.name.endsWith('Hash')) {
        problems.push(`${inputAt}: "${ISSUED_DOCUMENTS_INPUT}" and names ending in "Hash" are reserved for what tasks receive`);
      }
      if (inputNames.has(input.name)) problems.push(`${inputAt}: input name declared twice`);
      inputNames.add(input.name);
      if (input.kind === 'CHOICE' && new Set(input.options).size !== input.options.length) problems.push(`${inputAt}.options: an option is listed twice`);
    }
    const available = new Set([...inputNames, APPLICANT_NIK_INPUT]);

    for (const [index, group] of type.distinctInputs.entries()) {
      for (const name of group) {
        if (!inputNames.has(name)) problems.push(`${at}.distinctInputs[${index}]: unknown input "${name}"`);
      }
    }

    const stepIds = new Set<string>();
    for (const step of type.steps) {
      if (stepIds.has(step.id)) problems.push(`${at}.steps[${step.id}]: step id used twice`);
      stepIds.add(step.id);
    }
    const passed = new Set<string>();
    for (const step of type.steps) {
      const stepAt = `${at}.steps[${step.id}]`;
      if (!participantCodes.has(step.participant)) problems.push(`${stepAt}.participant: unknown participant "${step.participant}"`);
      for (const name of step.inputs) {
        if (!available.has(name)) problems.push(`${stepAt}.inputs: unknown input "${name}"`);
        passed.add(name);
      }
      if (new Set(step.inputs).size !== step.inputs.length) problems.push(`${stepAt}.inputs: an input is listed twice`);
      for (const dependency of step.dependsOn) {
        if (dependency === step.id) problems.push(`${stepAt}.dependsOn: a step cannot depend on itself`);
        else if (!stepIds.has(dependency)) problems.push(`${stepAt}.dependsOn: unknown step "${dependency}"`);
      }
      if (new Set(step.dependsOn).size !== step.dependsOn.length) problems.push(`${stepAt}.dependsOn: a step is listed twice`);
    }
    for (const name of inputNames) {
      if (!passed.has(name)) problems.push(`${at}.inputs[${name}]: no step receives this input`);
    }
    const cycle = findCycle(type.steps.map((s) => ({ id: s.id, dependsOn: s.dependsOn.filter((d) => d !== s.id) })));
    if (cycle) problems.push(`${at}.steps: dependency cycle ${cycle.join(' → ')}`);
  }
  return problems;
}

/** `applicationTypes[BUSINESS_START].steps[issue-nib].slaHours`: array entries named by their code, id or name. */
function describePath(root: unknown, path: readonly PropertyKey[]): string {
  let node: unknown = root;
  let described = '';
  for (const key of path) {
    const child: unknown = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const label = entryLabel(child);
      described += label ? `[${label}]` : `[${key}]`;
    } else {
      described += described ? `.${String(key)}` : String(key);
    }
    node = child;
  }
  return described || '(root)';
}

function entryLabel(entry: unknown): string | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const record = entry as Record<string, unknown>;
  for (const field of ['code', 'id', 'name']) {
    if (typeof record[field] === 'string' && record[field]) return record[field];
  }
  return undefined;
}
