import type { MarriageView } from './marriage.repository';
import { spouseNikOf } from './marriage.service';

const marriage = (reachedThroughNik: string | null): MarriageView => ({
  id: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  husbandNik: '3510011203900001',
  wifeNik: '3510015506920002',
  registeredAt: '2018-06-30',
  kuaOffice: 'KUA Kecamatan Banyuwangi',
  certificateNumber: '0123/045/VI/2018',
  endedOn: null,
  reachedThroughNik,
});

describe('spouseNikOf', () => {
  it('is the wife when the marriage was reached through the husband', () => {
    expect(spouseNikOf(marriage('3510011203900001'))).toBe('3510015506920002');
  });

  it('is the husband when the marriage was reached through the wife', () => {
    expect(spouseNikOf(marriage('3510015506920002'))).toBe('3510011203900001');
  });

  it('is null when the marriage was reached directly, or through someone who is not a party', () => {
    expect(spouseNikOf(marriage(null))).toBeNull();
    expect(spouseNikOf(marriage('3510014101100003'))).toBeNull();
  });
});
