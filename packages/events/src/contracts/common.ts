import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * A participant (agency, BUMN, bank) is identified by a lower-kebab code: `dukcapil`, `religious-affairs`,
 * `bank-bpd`, `bpjs-kesehatan`. Deliberately a pattern, not an enum: an institution joins the MPP by
 * being added to the service catalogue, without a change to the event contracts.
 */
export const PARTICIPANT_CODE_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const participantCodeSchema = z
  .string()
  .max(40)
  .regex(PARTICIPANT_CODE_PATTERN, 'participant code must be lower-kebab-case, e.g. "bank-bpd"');

export function isParticipantCode(value: string): boolean {
  return value.length <= 40 && PARTICIPANT_CODE_PATTERN.test(value);
}

/** Application types and task kinds come from the service catalogue (data): UPPER_SNAKE codes. */
export const catalogueCodeSchema = z
  .string()
  .max(64)
  .regex(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/, 'must be an UPPER_SNAKE_CASE code, e.g. "ISSUE_NIB"');

export const uuidSchema = z.uuid();
export const timestampSchema = z.iso.datetime({ offset: true });

/** W3C Trace Context `traceparent`: version-traceid-parentid-flags, all-zero ids invalid. */
export const TRACEPARENT_PATTERN = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
export const traceparentSchema = z.string().regex(TRACEPARENT_PATTERN, 'must be a W3C traceparent (00-<trace-id>-<span-id>-<flags>)');

/** A new root `traceparent` (sampled), for events not caused by a traced request. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/**
 * Pseudonymous NIK for event subjects: HMAC-SHA256 with a deployment secret (the pepper), hex.
 * A plain hash would be reversible by enumerating the ~10^10 plausible NIKs; the pepper prevents that
 * for anyone reading the topics without the secret.
 */
export function hashNik(nik: string, pepper: string): string {
  if (!/^\d{16}$/.test(nik)) throw new Error('hashNik expects a 16-digit NIK');
  if (pepper.length < 16) throw new Error('hashNik needs a pepper of at least 16 characters');
  return createHmac('sha256', pepper).update(nik).digest('hex');
}

export const nikHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be hashNik(nik, pepper): 64 lowercase hex characters');

/** An identity document a participant issued while completing a task (NIB, NPWP, KK, …). */
export const issuedDocumentSchema = z.strictObject({
  kind: catalogueCodeSchema,
  number: z.string().min(1).max(64),
});
export type IssuedDocument = z.output<typeof issuedDocumentSchema>;

/** 16 digits: a NIK, a KK number, a child's NIK on a KIA (or an NPWP that is a NIK, since 2024). */
export function isCivilRegistryNumber(number: string): boolean {
  return /^\d{16}$/.test(number);
}

const UNMASKED_DIGITS = 4;

/**
 * How a civil-registry number travels where not every reader is entitled to it (the shared
 * `mpp.task.status` topic): its last four digits only, `************0001`. Enough for a counter to
 * tell two documents apart and for the issuer to recognise its own (matchesCivilRegistryNumber);
 * the full number is read in the graph, where access is decided per field.
 */
export function maskCivilRegistryNumber(number: string): string {
  if (!isCivilRegistryNumber(number)) throw new Error('maskCivilRegistryNumber expects a 16-digit number');
  return `${'*'.repeat(number.length - UNMASKED_DIGITS)}${number.slice(-UNMASKED_DIGITS)}`;
}

/** Whether a reported document number (plain, or masked on a shared topic) is `number`. */
export function matchesCivilRegistryNumber(number: string, reported: string): boolean {
  return reported === number || (isCivilRegistryNumber(number) && reported === maskCivilRegistryNumber(number));
}

/** An issued document as it may travel on a shared topic: a civil-registry number only masked. */
export function shareableDocument(document: IssuedDocument): IssuedDocument {
  return isCivilRegistryNumber(document.number) ? { kind: document.kind, number: maskCivilRegistryNumber(document.number) } : document;
}
