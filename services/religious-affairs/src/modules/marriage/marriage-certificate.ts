import { sql } from 'drizzle-orm';
import { nextSerial, type Database } from '@simpul/service-kit';
import { marriages, serialCounters, type ReligiousAffairsSchema } from '../../db/schema';

const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'] as const;
const SERIAL_WIDTH = 4;

/** `serial(4)/district(6)/roman month/year`, e.g. 0042/351016/XI/2026. */
export const MARRIAGE_CERTIFICATE_NUMBER = /^(\d{4})\/(\d{6})\/(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)\/(\d{4})$/;

export function romanMonthOf(isoDate: string): string {
  const month = Number(isoDate.slice(5, 7));
  const roman = ROMAN_MONTHS[month - 1];
  if (!roman) throw new RangeError(`expected an ISO date YYYY-MM-DD, got "${isoDate}"`);
  return roman;
}

/**
 * The number of a new Akta Nikah of the KUA of `districtCode`: serials count per KUA and year of
 * registration, after those already registered (the district code stands in for the KUA's own code,
 * as in the seeded register, so numbers are unique across KUAs).
 */
export async function issueMarriageCertificateNumber(
  db: Database<ReligiousAffairsSchema>,
  certificate: { districtCode: string; registeredAt: string },
): Promise<string> {
  const year = certificate.registeredAt.slice(0, 4);
  const serial = await nextSerial(db, serialCounters, {
    kind: 'MARRIAGE_CERTIFICATE',
    scope: `${certificate.districtCode}/${year}`,
    width: SERIAL_WIDTH,
    highestExisting: async () => {
      const [row] = await db
        .select({ highest: sql<number | null>`max(split_part(${marriages.certificateNumber}, '/', 1)::int)` })
        .from(marriages)
        .where(sql`${marriages.certificateNumber} ~ ${`^\\d{${SERIAL_WIDTH}}/${certificate.districtCode}/[IVX]+/${year}$`}`);
      return row?.highest ?? 0;
    },
  });
  return `${serial}/${certificate.districtCode}/${romanMonthOf(certificate.registeredAt)}/${year}`;
}
