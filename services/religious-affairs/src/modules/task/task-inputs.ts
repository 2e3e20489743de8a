import { parseNik } from '@simpul/identifiers';
import { z } from 'zod';

// The inputs of the KUA's tasks, read with parseTaskInputs (@simpul/events): the applications service
// produced them from the catalogue, so one that does not match is dead-lettered, not rejected.

export const nikInput = z.string().transform((value, ctx) => {
  const parsed = parseNik(value);
  if (parsed.ok) return parsed.value.nik;
  ctx.addIssue({ code: 'custom', message: `${parsed.rule}: ${parsed.message}` });
  return z.NEVER;
});

export const isoDateInput = z.iso.date();
