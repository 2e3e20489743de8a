import { z } from 'zod';

// The inputs of Dukcapil's tasks, read with parseTaskInputs (@simpul/events): the applications service
// produced them from the catalogue, so one that does not match is dead-lettered, not rejected.
// Identifiers (NIK, KK number, dates) are read with @simpul/identifiers' inputs.

export const sexInput = z.enum(['MALE', 'FEMALE']);
export const nameInput = z.string().trim().min(1).max(120);

/** Documents issued by the steps this one depends on; civil-registry numbers masked (they came through the shared status topic). */
export const issuedDocumentsInput = z.array(z.object({ kind: z.string(), number: z.string() })).default([]);

/** The number of the document of `kind` an earlier step issued, if any. */
export function issuedDocument(documents: readonly { kind: string; number: string }[], kind: string): string | undefined {
  return documents.find((document) => document.kind === kind)?.number;
}
