import { z } from 'zod';

// The inputs of the tasks, read with parseTaskInputs (@simpul/events): the applications service
// validated them against the catalogue, so one that does not parse is dead-lettered, not rejected.

/** Documents issued by the steps this one depends on (a number is hashed when 16 digits for a participant not entitled to it). */
export const issuedDocumentsInput = z
  .array(
    z.union([
      z.strictObject({ kind: z.string().min(1), number: z.string().min(1) }),
      z.strictObject({ kind: z.string().min(1), numberHash: z.string().min(1) }),
    ]),
  )
  .default([]);
export type IssuedDocumentInput = z.output<typeof issuedDocumentsInput>[number];
