/** A kabupaten/kota as a partner states it: the Kemendagri code or the name printed on the e-KTP. */
export interface RegisteredRegency {
  regencyCode: string;
  regencyName: string;
}

const normaliseRegencyName = (value: string) =>
  value
    .normalize('NFKC')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim()
    // "KABUPATEN SIAK", "KAB. SIAK" and "SIAK" are one regency; "KOTA BOGOR" is not "BOGOR" (Kabupaten Bogor is another).
    .replace(/^(KABUPATEN|KAB\.?)\s+/, '');

/**
 * Whether `claim` names the regency of the registered address: its 4-digit code (`3510`, or dotted
 * `35.10`), or its name in any case, with or without the "Kabupaten"/"Kab." prefix.
 */
export function regencyClaimMatches(registered: RegisteredRegency, claim: string): boolean {
  const code = claim.replace(/[\s.]/g, '');
  if (/^\d+$/.test(code)) return code === registered.regencyCode;
  return normaliseRegencyName(claim) === normaliseRegencyName(registered.regencyName);
}
