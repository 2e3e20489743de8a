import {
  parseFamilyCardNumber,
  parseFreeText,
  parseNib,
  parseNik,
  parseNpwp,
  parsePassportNumber,
  parsePlateNumber,
  type ParseResult,
} from '@simpul/identifiers';
import { APPLICANT_NIK_INPUT, type ApplicationTypeDefinition, type InputDefinition } from '../catalogue/service-catalogue';

/** One value the counter officer entered, as the mutation receives it. */
export interface GivenInput {
  name: string;
  value: string;
}

/** An input that was refused: `field` is its path in SubmitApplicationInput, e.g. `inputs.kbli`. */
export interface InputProblem {
  field: string;
  rule: string;
  message: string;
}

/** Normalised values by input name (NIKs as 16 digits, plates as `BM 1234 AB`…); absent optional inputs are left out. */
export type InputValues = Record<string, string>;

export type InputValidation = { ok: true; applicantNik: string; mppOffice: string; values: InputValues } | { ok: false; problems: InputProblem[] };

/**
 * Checks what the counter collected against the application type's declared inputs: every required
 * input present, none unknown or given twice, each well-formed for its kind (identifiers by the
 * rules of @simpul/identifiers), and declared distinct groups distinct. Reports every problem.
 */
export function validateApplicationInputs(
  type: ApplicationTypeDefinition,
  submitted: { applicantNik: string; mppOffice: string; inputs: readonly GivenInput[] },
  today: Date = new Date(),
): InputValidation {
  const problems: InputProblem[] = [];

  const applicant = parseNik(submitted.applicantNik, { today });
  if (!applicant.ok) problems.push({ field: APPLICANT_NIK_INPUT, rule: applicant.rule, message: applicant.message });
  const office = parseFreeText(submitted.mppOffice, { maxLength: 'MPP_OFFICE' });
  if (!office.ok) problems.push({ field: 'mppOffice', rule: office.rule, message: office.message });

  const given = new Map<string, string>();
  for (const input of submitted.inputs) {
    const field = `inputs.${input.name}`;
    if (!type.inputsByName.has(input.name)) {
      const known = type.inputs.map((i) => i.name).join(', ') || 'none';
      problems.push({ field, rule: 'INPUT_UNKNOWN', message: `${type.code} has no input "${input.name}" (its inputs: ${known})` });
    } else if (given.has(input.name)) {
      problems.push({ field, rule: 'INPUT_DUPLICATE', message: `input "${input.name}" is given more than once` });
    } else {
      given.set(input.name, input.value);
    }
  }

  const values: InputValues = {};
  for (const definition of type.inputs) {
    const field = `inputs.${definition.name}`;
    const raw = given.get(definition.name);
    if (raw === undefined || raw.trim() === '') {
      if (definition.required) problems.push({ field, rule: 'INPUT_REQUIRED', message: `${definition.label} (${definition.name}) is required for ${type.code}` });
      continue;
    }
    const checked = checkInput(definition, raw, today);
    if (checked.ok) values[definition.name] = checked.value;
    else problems.push({ field, rule: checked.rule, message: `${definition.label}: ${checked.message}` });
  }

  for (const group of type.distinctInputs) {
    const present = group.filter((name) => values[name] !== undefined);
    const seen = new Map<string, string>();
    for (const name of present) {
      const value = values[name]!;
      const earlier = seen.get(value);
      if (earlier !== undefined) {
        problems.push({ field: `inputs.${name}`, rule: 'INPUTS_NOT_DISTINCT', message: `${name} must differ from ${earlier}` });
      } else {
        seen.set(value, name);
      }
    }
  }

  if (problems.length > 0 || !applicant.ok || !office.ok) return { ok: false, problems };
  return { ok: true, applicantNik: applicant.value.nik, mppOffice: office.value, values };
}

/** Validates and normalises one value of a declared input. */
export function checkInput(definition: InputDefinition, raw: string, today: Date): ParseResult<string> {
  switch (definition.kind) {
    case 'NIK':
      return mapValue(parseNik(raw, { today }), (nik) => nik.nik);
    case 'KK_NUMBER':
      return mapValue(parseFamilyCardNumber(raw, { today }), (card) => card.number);
    case 'NPWP':
      return mapValue(parseNpwp(raw, { today }), (npwp) => npwp.npwp);
    case 'NIB':
      return parseNib(raw);
    case 'PLATE_NUMBER':
      return mapValue(parsePlateNumber(raw), (plate) => plate.plateNumber);
    case 'PASSPORT_NUMBER':
      return parsePassportNumber(raw);
    case 'KBLI':
      return checkKbli(raw);
    case 'DATE':
      return checkDate(raw, definition.notInFuture, today);
    case 'STRING':
      return parseFreeText(raw, { maxLength: definition.maxLength });
    case 'CHOICE': {
      const value = raw.trim();
      return definition.options.includes(value)
        ? { ok: true, value }
        : { ok: false, rule: 'CHOICE_UNKNOWN', message: `"${value}" is not one of ${definition.options.join(', ')}` };
    }
  }
}

function mapValue<T>(result: ParseResult<T>, map: (value: T) => string): ParseResult<string> {
  return result.ok ? { ok: true, value: map(result.value) } : result;
}

/** KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia) business activities are 5-digit codes. */
function checkKbli(raw: string): ParseResult<string> {
  const kbli = raw.trim();
  return /^\d{5}$/.test(kbli)
    ? { ok: true, value: kbli }
    : { ok: false, rule: 'KBLI_FORMAT', message: `KBLI must be a 5-digit KBLI 2020 code (got "${kbli}")` };
}

function checkDate(raw: string, notInFuture: boolean, today: Date): ParseResult<string> {
  const date = raw.trim();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  if (!match || parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
    return { ok: false, rule: 'DATE_FORMAT', message: `must be a real date written YYYY-MM-DD (got "${date}")` };
  }
  if (notInFuture && date > today.toISOString().slice(0, 10)) {
    return { ok: false, rule: 'DATE_IN_FUTURE', message: `${date} is in the future` };
  }
  return { ok: true, value: date };
}
