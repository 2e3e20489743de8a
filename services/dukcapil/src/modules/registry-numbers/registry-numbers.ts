import { sql, type AnyColumn } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { formatNikBirthSegment, parseFamilyCardNumber, parseNik, type Sex } from '@simpul/identifiers';
import { nextSerial, type Database } from '@simpul/service-kit';
import { birthCertificates, citizens, familyCards, movingCertificates, serialCounters, type DukcapilSchema } from '../../db/schema';

// Numbers Dukcapil issues (ARCHITECTURE.md §7). Serials count per scope, after the ones already registered.

const SERIAL_WIDTH = 4;

function isoParts(isoDate: string): { year: string; month: string; day: string } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`expected an ISO date YYYY-MM-DD, got "${isoDate}"`);
  return { year: match[1]!, month: match[2]!, day: match[3]! };
}

/** `DDMMYY`, the date segment of a KK number. */
export function ddmmyy(isoDate: string): string {
  const { year, month, day } = isoParts(isoDate);
  return `${day}${month}${year.slice(2)}`;
}

/** `DDMMYYYY`, the date segment of certificate numbers. */
export function ddmmyyyy(isoDate: string): string {
  const { year, month, day } = isoParts(isoDate);
  return `${day}${month}${year}`;
}

/** The highest serial (last `SERIAL_WIDTH` characters) among `column` values starting with `prefix`. */
async function highestSerial(db: Database<DukcapilSchema>, table: PgTable, column: AnyColumn, prefix: string, digitsOnly: boolean): Promise<number> {
  const length = prefix.length;
  // For all-digit numbers of one length (NIK, KK) the range lets the primary key index answer.
  const range = digitsOnly ? sql`${column} between ${prefix + '0'.repeat(SERIAL_WIDTH)} and ${prefix + '9'.repeat(SERIAL_WIDTH)} and ` : sql``;
  const [row] = await db
    .select({ highest: sql<string | null>`max(right(${column}, ${SERIAL_WIDTH}))` })
    .from(table)
    .where(sql`${range}left(${column}, ${length}) = ${prefix}`);
  return row?.highest ? Number(row.highest) : 0;
}

/** A new NIK: district(6) + birth DDMMYY (day + 40 for girls) + serial(4). */
export async function issueNik(db: Database<DukcapilSchema>, person: { districtCode: string; birthDate: string; sex: Sex }): Promise<string> {
  const prefix = `${person.districtCode}${formatNikBirthSegment(person.birthDate, person.sex)}`;
  const serial = await nextSerial(db, serialCounters, {
    kind: 'NIK',
    scope: prefix,
    width: SERIAL_WIDTH,
    highestExisting: () => highestSerial(db, citizens, citizens.nik, prefix, true),
  });
  const nik = `${prefix}${serial}`;
  // Checked as of the birth date it encodes: the handlers date by Asia/Jakarta (jakartaClock), and a
  // child born this WIB morning is still "in the future" by the UTC date the parser defaults to.
  const parsed = parseNik(nik, { today: new Date(`${person.birthDate}T00:00:00Z`) });
  if (!parsed.ok) throw new Error(`issued an invalid NIK (${parsed.rule}): ${parsed.message}`);
  return nik;
}

/** A new KK number: district(6) + issue DDMMYY + serial(4). */
export async function issueFamilyCardNumber(db: Database<DukcapilSchema>, card: { districtCode: string; issuedOn: string }): Promise<string> {
  const prefix = `${card.districtCode}${ddmmyy(card.issuedOn)}`;
  const serial = await nextSerial(db, serialCounters, {
    kind: 'KK',
    scope: prefix,
    width: SERIAL_WIDTH,
    highestExisting: () => highestSerial(db, familyCards, familyCards.number, prefix, true),
  });
  const number = `${prefix}${serial}`;
  // Checked as of its issue date (an Asia/Jakarta date, ahead of UTC's until 07:00 WIB).
  const parsed = parseFamilyCardNumber(number, { today: new Date(`${card.issuedOn}T00:00:00Z`) });
  if (!parsed.ok) throw new Error(`issued an invalid KK number (${parsed.rule}): ${parsed.message}`);
  return number;
}

/** Akta kelahiran: `<regency(4)>-LU-<issue DDMMYYYY>-<serial(4)>`, e.g. 3510-LU-27052025-0001. */
export async function issueBirthCertificateNumber(db: Database<DukcapilSchema>, certificate: { regencyCode: string; issuedOn: string }): Promise<string> {
  const prefix = `${certificate.regencyCode}-LU-${ddmmyyyy(certificate.issuedOn)}-`;
  const serial = await nextSerial(db, serialCounters, {
    kind: 'BIRTH_CERTIFICATE',
    scope: prefix,
    width: SERIAL_WIDTH,
    highestExisting: () => highestSerial(db, birthCertificates, birthCertificates.number, prefix, false),
  });
  return `${prefix}${serial}`;
}

/** SKPWNI (surat keterangan pindah) of the origin office: `SKPWNI/<regency(4)>/<issue DDMMYYYY>/<serial(4)>`. */
export async function issueMovingCertificateNumber(db: Database<DukcapilSchema>, certificate: { regencyCode: string; issuedOn: string }): Promise<string> {
  const prefix = `SKPWNI/${certificate.regencyCode}/${ddmmyyyy(certificate.issuedOn)}/`;
  const serial = await nextSerial(db, serialCounters, {
    kind: 'MOVING_CERTIFICATE',
    scope: prefix,
    width: SERIAL_WIDTH,
    highestExisting: () => highestSerial(db, movingCertificates, movingCertificates.number, prefix, false),
  });
  return `${prefix}${serial}`;
}

export const BIRTH_CERTIFICATE_NUMBER = /^\d{4}-LU-\d{8}-\d{4}$/;
export const MOVING_CERTIFICATE_NUMBER = /^SKPWNI\/\d{4}\/\d{8}\/\d{4}$/;
