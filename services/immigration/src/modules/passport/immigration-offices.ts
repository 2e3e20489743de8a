/**
 * The immigration office (Kantor Imigrasi) serving each regency with an MPP, by Kemendagri regency
 * code: Siak, Banyuwangi, Badung, Lahat, Pasangkayu, Kota Bogor.
 */
const OFFICE_BY_REGENCY: Readonly<Record<string, string>> = {
  '1408': 'Kantor Imigrasi Pekanbaru',
  '3510': 'Kantor Imigrasi Banyuwangi',
  '5103': 'Kantor Imigrasi Ngurah Rai',
  '1604': 'Kantor Imigrasi Palembang',
  '7601': 'Kantor Imigrasi Mamuju',
  '3271': 'Kantor Imigrasi Bogor',
};

export const DIRECTORATE_GENERAL = 'Direktorat Jenderal Imigrasi';

/** The office that issues a passport to a citizen of the regency, if an MPP office serves it. */
export function immigrationOfficeFor(regencyCode: string): string | undefined {
  return OFFICE_BY_REGENCY[regencyCode];
}
