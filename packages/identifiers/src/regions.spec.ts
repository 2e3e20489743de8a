import { MPP_REGENCIES, PLATE_REGION_PREFIXES, PROVINCES } from './regions';

describe('PROVINCES', () => {
  it('lists the 38 provinces from Aceh (11) to Papua Barat Daya (96)', () => {
    expect(Object.keys(PROVINCES)).toHaveLength(38);
    expect(PROVINCES['11']).toBe('Aceh');
    expect(PROVINCES['36']).toBe('Banten');
    expect(PROVINCES['65']).toBe('Kalimantan Utara');
    expect(PROVINCES['76']).toBe('Sulawesi Barat');
    expect(PROVINCES['91']).toBe('Papua');
    expect(PROVINCES['92']).toBe('Papua Barat');
    expect(PROVINCES['96']).toBe('Papua Barat Daya');
  });
});

describe('MPP_REGENCIES', () => {
  it('holds the six regencies with their province and plate prefix', () => {
    expect(MPP_REGENCIES.map((r) => [r.code, r.name, r.provinceCode, r.platePrefix])).toEqual([
      ['1408', 'Siak', '14', 'BM'],
      ['3510', 'Banyuwangi', '35', 'P'],
      ['5103', 'Badung', '51', 'DK'],
      ['1604', 'Lahat', '16', 'BG'],
      ['7601', 'Pasangkayu', '76', 'DC'],
      ['3271', 'Kota Bogor', '32', 'F'],
    ]);
  });

  it('gives every regency at least 5 districts coded under the regency, without duplicates', () => {
    for (const regency of MPP_REGENCIES) {
      expect(regency.code.startsWith(regency.provinceCode)).toBe(true);
      expect(regency.districts.length).toBeGreaterThanOrEqual(5);
      const codes = regency.districts.map((d) => d.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const code of codes) expect(code).toMatch(new RegExp(`^${regency.code}\\d{2}$`));
      expect(PLATE_REGION_PREFIXES).toContain(regency.platePrefix);
    }
  });

  it('uses the Kemendagri codes for Badung and Kota Bogor', () => {
    const districtsOf = (name: string) => MPP_REGENCIES.find((r) => r.name === name)?.districts;
    expect(districtsOf('Badung')).toEqual([
      { code: '510301', name: 'Kuta Selatan' },
      { code: '510302', name: 'Kuta' },
      { code: '510303', name: 'Kuta Utara' },
      { code: '510304', name: 'Mengwi' },
      { code: '510305', name: 'Abiansemal' },
      { code: '510306', name: 'Petang' },
    ]);
    expect(districtsOf('Kota Bogor')?.map((d) => `${d.code} ${d.name}`)).toEqual([
      '327101 Bogor Selatan',
      '327102 Bogor Timur',
      '327103 Bogor Utara',
      '327104 Bogor Tengah',
      '327105 Bogor Barat',
      '327106 Tanah Sareal',
    ]);
  });
});

describe('PLATE_REGION_PREFIXES', () => {
  it('has no duplicates and only 1–2 upper-case letters', () => {
    expect(new Set(PLATE_REGION_PREFIXES).size).toBe(PLATE_REGION_PREFIXES.length);
    for (const prefix of PLATE_REGION_PREFIXES) expect(prefix).toMatch(/^[A-Z]{1,2}$/);
  });
});
