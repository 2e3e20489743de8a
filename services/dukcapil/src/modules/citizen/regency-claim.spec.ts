import { regencyClaimMatches } from './regency-claim';

const BANYUWANGI = { regencyCode: '3510', regencyName: 'Banyuwangi' };
const KOTA_BOGOR = { regencyCode: '3271', regencyName: 'Kota Bogor' };

describe('regencyClaimMatches', () => {
  it('matches the code, plain or dotted', () => {
    expect(regencyClaimMatches(BANYUWANGI, '3510')).toBe(true);
    expect(regencyClaimMatches(BANYUWANGI, '35.10')).toBe(true);
    expect(regencyClaimMatches(BANYUWANGI, '3511')).toBe(false);
  });

  it('matches the name as an e-KTP prints it, with or without "Kabupaten"', () => {
    expect(regencyClaimMatches(BANYUWANGI, 'KABUPATEN BANYUWANGI')).toBe(true);
    expect(regencyClaimMatches(BANYUWANGI, 'kab.  banyuwangi')).toBe(true);
    expect(regencyClaimMatches(BANYUWANGI, 'Banyuwangi')).toBe(true);
    expect(regencyClaimMatches(BANYUWANGI, 'Jember')).toBe(false);
  });

  it('keeps a kota apart from the kabupaten of the same name', () => {
    expect(regencyClaimMatches(KOTA_BOGOR, 'KOTA BOGOR')).toBe(true);
    expect(regencyClaimMatches(KOTA_BOGOR, 'BOGOR')).toBe(false);
    expect(regencyClaimMatches(KOTA_BOGOR, 'KABUPATEN BOGOR')).toBe(false);
  });
});
