import { isCivilRegistryNumber } from '@simpul/events';
import type { InputValues } from '../application/application-inputs';
import { APPLICANT_NIK_INPUT, ISSUED_DOCUMENTS_INPUT, type ApplicationTypeDefinition, type ParticipantDefinition, type StepDefinition } from '../catalogue/service-catalogue';

export interface IssuedDocument {
  kind: string;
  number: string;
}

export type TaskInputValue = string | { kind: string; number: string } | { kind: string; numberHash: string } | TaskInputValue[];

/**
 * The inputs a participant receives with its task: the values of the step's declared inputs (absent
 * optional ones left out) and, as `issuedDocuments`, the documents the steps it depends on issued.
 *
 * Only a participant entitled to the NIK sees it in plaintext. Any other gets `<name>Hash`
 * = hashNik(value) instead, for NIK inputs and for every other 16-digit civil-registry number (KK,
 * NIK-based NPWP), so it can match records it already holds without learning the number.
 */
export function buildTaskInputs(options: {
  type: ApplicationTypeDefinition;
  step: StepDefinition;
  participant: ParticipantDefinition;
  applicantNik: string;
  values: InputValues;
  /** Documents issued by the steps this one depends on. */
  issuedDocuments: readonly IssuedDocument[];
  hashNik: (nik: string) => string;
}): Record<string, TaskInputValue> {
  const { type, step, participant, hashNik } = options;
  const restricted = (kind: string | undefined, value: string) => !participant.entitledToNik && (kind === 'NIK' || isCivilRegistryNumber(value));

  const inputs: Record<string, TaskInputValue> = {};
  for (const name of step.inputs) {
    const value = name === APPLICANT_NIK_INPUT ? options.applicantNik : options.values[name];
    if (value === undefined) continue;
    const kind = name === APPLICANT_NIK_INPUT ? 'NIK' : type.inputsByName.get(name)?.kind;
    if (restricted(kind, value)) inputs[`${name}Hash`] = hashNik(value);
    else inputs[name] = value;
  }
  if (options.issuedDocuments.length > 0) {
    inputs[ISSUED_DOCUMENTS_INPUT] = options.issuedDocuments.map((document) =>
      restricted(undefined, document.number) ? { kind: document.kind, numberHash: hashNik(document.number) } : { kind: document.kind, number: document.number },
    );
  }
  return inputs;
}
