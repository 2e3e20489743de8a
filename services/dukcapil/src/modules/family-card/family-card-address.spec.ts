import { ADDRESS_EXAMPLE, isSameAddress, readAddress } from './family-card-address';

describe('readAddress', () => {
  it('reads the documented format into a family card address with Kemendagri codes', () => {
    expect(readAddress(ADDRESS_EXAMPLE)).toEqual({
      ok: true,
      address: {
        street: 'Jl. Merdeka No. 10',
        rt: '002',
        rw: '005',
        village: 'Babakan',
        districtCode: '327104',
        districtName: 'Bogor Tengah',
        regencyCode: '3271',
        regencyName: 'Kota Bogor',
        provinceCode: '32',
        provinceName: 'Jawa Barat',
        postalCode: '16128',
      },
    });
  });

  it('accepts spelled-out labels, RT/RW inside the street and an unlabelled postal code, in any case', () => {
    const reading = readAddress('Jalan Hang Tuah 7 RT 3 RW 12, Desa Perawang, KECAMATAN tualang, Kabupaten Siak, 28772');
    expect(reading).toMatchObject({
      ok: true,
      address: { street: 'Jalan Hang Tuah 7', rt: '003', rw: '012', village: 'Perawang', districtCode: '140804', regencyName: 'Siak', postalCode: '28772' },
    });
  });

  it('says every part that is missing', () => {
    const reading = readAddress('Jl. Merdeka No. 10, Bogor');
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.reason).toContain('RT/RW');
    expect(reading.reason).toContain('kelurahan/desa');
    expect(reading.reason).toContain('kecamatan');
    expect(reading.reason).toContain('postal code');
    expect(reading.reason).not.toContain('street');
  });

  it('refuses a kecamatan outside the regencies served, or not in the regency named', () => {
    expect(readAddress('Jl. Asia Afrika 1, RT 01/RW 02, Kel. Braga, Kec. Sumur Bandung, Kota Bandung 40111')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('"Sumur Bandung" is not a kecamatan in Bandung'),
    });
    expect(readAddress('Jl. Raya 1, RT 01/RW 02, Desa Kuta, Kec. Kuta, Kab. Siak 80361')).toMatchObject({ ok: false, reason: expect.stringContaining('not a kecamatan in Siak') });
  });
});

describe('isSameAddress', () => {
  it('ignores case and spacing but not the house', () => {
    const a = readAddress(ADDRESS_EXAMPLE);
    const b = readAddress('jl.  merdeka no. 10, RT 2/RW 5, Kel. BABAKAN, Kec. Bogor Tengah, 16128');
    const c = readAddress('Jl. Merdeka No. 12, RT 2/RW 5, Kel. Babakan, Kec. Bogor Tengah, 16128');
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected readable addresses');
    expect(isSameAddress(a.address, b.address)).toBe(true);
    expect(isSameAddress(a.address, c.address)).toBe(false);
  });
});
