import { z } from 'zod';
import { parseFamilyCardNumber } from './family-card-number';
import { parseNik } from './nik';
import type { ParseResult } from './parse-result';
import { parsePassportNumber } from './passport-number';
import { parsePlateNumber } from './plate-number';

// Zod schemas for identifiers in task inputs (read with parseTaskInputs of @simpul/events): a value
// that does not parse is an issue carrying the parser's sentence. The one validator of each
// identifier in task inputs: services import these, never wrap a parser themselves.

function identifierInput<Parsed, Output>(parse: (input: string) => ParseResult<Parsed>, pick: (parsed: Parsed) => Output) {
  return z.string().transform((value, ctx) => {
    const parsed = parse(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return pick(parsed.value);
  });
}

/** The NIK, trimmed. */
export const nikInput = identifierInput((value) => parseNik(value), (parsed) => parsed.nik);

/** The NIK parsed: its region codes, birth date and sex besides the number (a handler that decides on them). */
export const parsedNikInput = identifierInput((value) => parseNik(value), (parsed) => parsed);

/** The KK (family card) number, trimmed. */
export const familyCardNumberInput = identifierInput((value) => parseFamilyCardNumber(value), (parsed) => parsed.number);

/** The passport number, normalised. */
export const passportNumberInput = identifierInput(parsePassportNumber, (number) => number);

/** The normalised plate, 'BM 1234 AB'. */
export const plateNumberInput = identifierInput(parsePlateNumber, (parsed) => parsed.plateNumber);

/** A calendar date, `YYYY-MM-DD` (a real day: no 31 April). */
export const isoDateInput = z.iso.date();
