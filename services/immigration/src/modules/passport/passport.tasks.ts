import { randomInt } from 'node:crypto';
import { approvingOnce, parseTaskInputs, type TaskClock, type TaskHandler } from '@simpul/events';
import { jakartaClock, parsedNikInput, passportNumberInput } from '@simpul/identifiers';
import { changesOf, reportReads, type AuditField, type Transaction } from '@simpul/service-kit';
import { z } from 'zod';
import { passportKindEnum, taskApprovals, type ImmigrationSchema, type PassportRow } from '../../db/schema';
import { DIRECTORATE_GENERAL, immigrationOfficeFor } from './immigration-offices';
import { findPassportsByNik, insertPassportIfNumberFree, lockHolder, markReplaced } from './passport.repository';


/** PROCESS_PASSPORT inputs (catalogue PASSPORT_APPLICATION): the applications service validated them on submission. */
export const processPassportInputsSchema = z.object({
  /** Parsed: the birth date decides the validity, the regency the issuing office. */
  applicantNik: parsedNikInput,
  passportKind: z.enum(passportKindEnum.enumValues),
  previousPassportNumber: passportNumberInput.optional(),
});

/** Series letter of new passports: E for the electronic passport, C for the current regular series. */
const SERIES_LETTER: Record<PassportRow['kind'] & string, string> = { ELECTRONIC: 'E', REGULAR: 'C' };

/** A new passport number: the kind's series letter and 7 digits. */
export function drawPassportNumber(kind: keyof typeof SERIES_LETTER): string {
  return `${SERIES_LETTER[kind]}${String(randomInt(0, 1e7)).padStart(7, '0')}`;
}

/** `YYYY-MM-DD` plus whole years; 29 February becomes 28 February in a common year. */
export function addYears(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year + years, month - 1, day));
  if (date.getUTCMonth() !== month - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

/** Passports issued since 12 October 2022 are valid ten years, for children under 17 five. */
export function passportValidityYears(birthDate: string, issuedOn: string): number {
  return addYears(birthDate, 17) <= issuedOn ? 10 : 5;
}

const NUMBER_DRAWS = 10;

/** What issuing a passport creates for its holder, as fields of Passport (passport.graphql). */
const ISSUED_PASSPORT_FIELDS: readonly AuditField[] = [
  'Passport.number',
  'Passport.status',
  'Passport.issuedOn',
  'Passport.expiresOn',
  'Passport.issuingOffice',
  'Passport.holder',
  'Citizen.passports',
];

function isStillValid(passport: PassportRow, today: string): boolean {
  return passport.status === 'VALID' && passport.expiresOn >= today;
}

/** Why a passport application cannot go ahead, in words for the citizen; undefined when it can. */
function refusal(held: readonly PassportRow[], previousNumber: string | undefined, today: string): string | undefined {
  const stillValid = held.filter((passport) => isStillValid(passport, today));
  if (previousNumber === undefined) {
    const [valid] = stillValid;
    if (valid) {
      return `You still hold a valid passport (${valid.number}, valid until ${valid.expiresOn}). To replace it, apply again giving its number as the previous passport.`;
    }
    return undefined;
  }
  const previous = held.find((passport) => passport.number === previousNumber);
  if (!previous) return `Passport ${previousNumber} was not issued to you. Check the number of your previous passport.`;
  if (previous.status === 'REPLACED') return `Passport ${previousNumber} was already replaced by passport ${previous.replacedBy}.`;
  if (previous.status === 'REVOKED') {
    return `Passport ${previousNumber} was revoked and cannot be replaced through the MPP; please apply at an immigration office.`;
  }
  const otherValid = stillValid.find((passport) => passport.number !== previousNumber);
  if (otherValid) {
    return `You still hold another valid passport (${otherValid.number}, valid until ${otherValid.expiresOn}). To replace it, apply again giving its number as the previous passport.`;
  }
  return undefined;
}

/**
 * PROCESS_PASSPORT: issues a new passport, replacing the previous one the applicant named. Refused
 * while the applicant holds a still-valid passport they did not name, or when the named passport is
 * not theirs (or can no longer be replaced).
 */
export function processPassport(clock: TaskClock): TaskHandler<Transaction<ImmigrationSchema>> {
  return async (task, tx, audit) => {
    const inputs = parseTaskInputs(task, processPassportInputsSchema);
    const applicant = inputs.applicantNik;
    const nik = applicant.nik;
    await lockHolder(tx, nik);

    const today = clock.today();
    const held = await findPassportsByNik(tx, [nik]);
    const previous = held.find((passport) => passport.number === inputs.previousPassportNumber);
    // The passports the applicant holds, checked by number, status and validity (none is still something learnt).
    reportReads(audit, nik, ['Citizen.passports']);
    if (held.length > 0) reportReads(audit, nik, ['Passport.number', 'Passport.status', 'Passport.expiresOn']);
    if (previous?.status === 'REPLACED') reportReads(audit, nik, ['Passport.replacedBy']);
    const reason = refusal(held, inputs.previousPassportNumber, today);
    if (reason) return { status: 'REJECTED', reason };

    const officeOfRegency = immigrationOfficeFor(applicant.regencyCode);
    if (officeOfRegency === undefined && held[0]) reportReads(audit, nik, ['Passport.issuingOffice']);
    const issuingOffice = officeOfRegency ?? held[0]?.issuingOffice ?? DIRECTORATE_GENERAL;
    const expiresOn = addYears(today, passportValidityYears(applicant.birthDate, today));
    // The passport replaced gets its new status and the number of the one replacing it.
    await audit.recordChanges(changesOf(nik, previous ? [...ISSUED_PASSPORT_FIELDS, 'Passport.replacedBy'] : ISSUED_PASSPORT_FIELDS));
    for (let draw = 0; draw < NUMBER_DRAWS; draw++) {
      const passport = await insertPassportIfNumberFree(tx, {
        number: drawPassportNumber(inputs.passportKind),
        nik,
        status: 'VALID',
        issuedOn: today,
        expiresOn,
        issuingOffice,
        kind: inputs.passportKind,
        taskId: task.taskId,
      });
      if (!passport) continue;
      if (previous) {
        // A lost passport stays reported lost (border checks look for it); any other is replaced.
        await markReplaced(tx, previous.number, passport.number, previous.status === 'LOST' ? 'LOST' : 'REPLACED');
      }
      return {
        status: 'APPROVED',
        documents: [{ kind: 'PASSPORT', number: passport.number }],
        ...(previous ? { note: `Replaces passport ${previous.number}.` } : {}),
      };
    }
    // Only when a series is nearly exhausted; a transient failure, so the task is retried.
    throw new Error(`no free ${inputs.passportKind} passport number after ${NUMBER_DRAWS} draws`);
  };
}

/** Immigration's task kinds (catalogue participant `immigration`). */
export function immigrationTaskHandlers(clock: TaskClock = jakartaClock()): Record<string, TaskHandler<Transaction<ImmigrationSchema>>> {
  // The same task sent again (a re-assignment) gets the passport it was given the first time, which tells its holder's number again.
  return approvingOnce(taskApprovals, { PROCESS_PASSPORT: processPassport(clock) }, {
    PROCESS_PASSPORT: (task, _approval, audit) => reportReads(audit, parseTaskInputs(task, processPassportInputsSchema).applicantNik.nik, ['Passport.number']),
  });
}
