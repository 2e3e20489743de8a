import { z } from 'zod';
import { parseNik } from './nik';
import type { ParseResult } from './parse-result';
import { parsePlateNumber } from './plate-number';

// Zod schemas for identifiers in task inputs (read with parseTaskInputs of @simpul/events): a value
// that does not parse is an issue carrying the parser's sentence.

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

/** The normalised plate, 'BM 1234 AB'. */
export const plateNumberInput = identifierInput(parsePlateNumber, (parsed) => parsed.plateNumber);
