// Region codes from the Kemendagri region code list (kode wilayah administrasi pemerintahan).

/** The 38 provinces by two-digit Kemendagri code. */
export const PROVINCES: Readonly<Record<string, string>> = Object.freeze({
  '11': 'Aceh',
  '12': 'Sumatera Utara',
  '13': 'Sumatera Barat',
  '14': 'Riau',
  '15': 'Jambi',
  '16': 'Sumatera Selatan',
  '17': 'Bengkulu',
  '18': 'Lampung',
  '19': 'Kepulauan Bangka Belitung',
  '21': 'Kepulauan Riau',
  '31': 'DKI Jakarta',
  '32': 'Jawa Barat',
  '33': 'Jawa Tengah',
  '34': 'Daerah Istimewa Yogyakarta',
  '35': 'Jawa Timur',
  '36': 'Banten',
  '51': 'Bali',
  '52': 'Nusa Tenggara Barat',
  '53': 'Nusa Tenggara Timur',
  '61': 'Kalimantan Barat',
  '62': 'Kalimantan Tengah',
  '63': 'Kalimantan Selatan',
  '64': 'Kalimantan Timur',
  '65': 'Kalimantan Utara',
  '71': 'Sulawesi Utara',
  '72': 'Sulawesi Tengah',
  '73': 'Sulawesi Selatan',
  '74': 'Sulawesi Tenggara',
  '75': 'Gorontalo',
  '76': 'Sulawesi Barat',
  '81': 'Maluku',
  '82': 'Maluku Utara',
  // Kemendagri numbering (BPS numbers the Papua provinces differently).
  '91': 'Papua',
  '92': 'Papua Barat',
  '93': 'Papua Selatan',
  '94': 'Papua Tengah',
  '95': 'Papua Pegunungan',
  '96': 'Papua Barat Daya',
});

/**
 * Front letters of vehicle registration plates (kode wilayah TNKB), one or two letters.
 * PS, PT and PY are the 2024 codes of Papua Selatan, Papua Tengah and Papua Barat Daya.
 */
export const PLATE_REGION_PREFIXES: readonly string[] = Object.freeze([
  // Java
  'A', 'B', 'D', 'E', 'F', 'G', 'H', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'W', 'Z',
  'AA', 'AB', 'AD', 'AE', 'AG',
  // Sumatra
  'BA', 'BB', 'BD', 'BE', 'BG', 'BH', 'BK', 'BL', 'BM', 'BN', 'BP',
  // Bali and Nusa Tenggara
  'DK', 'DR', 'EA', 'DH', 'EB', 'ED',
  // Kalimantan
  'KB', 'DA', 'KH', 'KT', 'KU',
  // Sulawesi
  'DB', 'DL', 'DM', 'DN', 'DT', 'DD', 'DP', 'DW', 'DC',
  // Maluku and Papua
  'DE', 'DG', 'PA', 'PB', 'PS', 'PT', 'PY',
]);

export interface District {
  /** Six digits: province, regency, district. */
  code: string;
  name: string;
}

export interface RegencyInfo {
  /** Four digits: province, regency. */
  code: string;
  name: string;
  provinceCode: string;
  platePrefix: string;
  districts: District[];
}

function districtsOf(regencyCode: string, names: Record<string, string>): District[] {
  return Object.entries(names).map(([suffix, name]) => ({ code: `${regencyCode}${suffix}`, name }));
}

/** The six regencies whose MPP (Mal Pelayanan Publik) the source articles describe, with every kecamatan. */
export const MPP_REGENCIES: readonly RegencyInfo[] = Object.freeze([
  {
    code: '1408',
    name: 'Siak',
    provinceCode: '14',
    platePrefix: 'BM',
    districts: districtsOf('1408', {
      '01': 'Siak',
      '02': 'Sungai Apit',
      '03': 'Minas',
      '04': 'Tualang',
      '05': 'Sungai Mandau',
      '06': 'Dayun',
      '07': 'Kerinci Kanan',
      '08': 'Bunga Raya',
      '09': 'Koto Gasib',
      '10': 'Kandis',
      '11': 'Lubuk Dalam',
      '12': 'Sabak Auh',
      '13': 'Mempura',
      '14': 'Pusako',
    }),
  },
  {
    code: '3510',
    name: 'Banyuwangi',
    provinceCode: '35',
    platePrefix: 'P',
    districts: districtsOf('3510', {
      '01': 'Pesanggaran',
      '02': 'Bangorejo',
      '03': 'Purwoharjo',
      '04': 'Tegaldlimo',
      '05': 'Muncar',
      '06': 'Cluring',
      '07': 'Gambiran',
      '08': 'Srono',
      '09': 'Genteng',
      '10': 'Glenmore',
      '11': 'Kalibaru',
      '12': 'Singojuruh',
      '13': 'Rogojampi',
      '14': 'Kabat',
      '15': 'Glagah',
      '16': 'Banyuwangi',
      '17': 'Giri',
      '18': 'Wongsorejo',
      '19': 'Songgon',
      '20': 'Sempu',
      '21': 'Kalipuro',
      '22': 'Siliragung',
      '23': 'Tegalsari',
      '24': 'Licin',
      '25': 'Blimbingsari',
    }),
  },
  {
    code: '5103',
    name: 'Badung',
    provinceCode: '51',
    platePrefix: 'DK',
    districts: districtsOf('5103', {
      '01': 'Kuta Selatan',
      '02': 'Kuta',
      '03': 'Kuta Utara',
      '04': 'Mengwi',
      '05': 'Abiansemal',
      '06': 'Petang',
    }),
  },
  {
    code: '1604',
    name: 'Lahat',
    provinceCode: '16',
    platePrefix: 'BG',
    districts: districtsOf('1604', {
      '01': 'Tanjung Sakti Pumu',
      '06': 'Jarai',
      '07': 'Kota Agung',
      '08': 'Pulau Pinang',
      '09': 'Merapi Barat',
      '10': 'Lahat',
      '12': 'Pajar Bulan',
      '15': 'Mulak Ulu',
      '16': 'Kikim Selatan',
      '17': 'Kikim Timur',
      '18': 'Kikim Tengah',
      '19': 'Kikim Barat',
      '20': 'Pseksu',
      '21': 'Gumay Talang',
      '22': 'Pagar Gunung',
      '23': 'Merapi Timur',
      '24': 'Tanjung Sakti Pumi',
      '25': 'Gumay Ulu',
      '26': 'Merapi Selatan',
      '27': 'Tanjung Tebat',
      '28': 'Muara Payang',
      '29': 'Sukamerindu',
      '30': 'Mulak Sebingkai',
      '31': 'Lahat Selatan',
    }),
  },
  {
    code: '7601',
    name: 'Pasangkayu',
    provinceCode: '76',
    platePrefix: 'DC',
    districts: districtsOf('7601', {
      '01': 'Bambalamotu',
      '02': 'Pasangkayu',
      '03': 'Baras',
      '04': 'Sarudu',
      '05': 'Dapurang',
      '06': 'Duripoku',
      '07': 'Bulu Taba',
      '08': 'Tikke Raya',
      '09': 'Pedongga',
      '10': 'Bambaira',
      '11': 'Sarjo',
      '12': 'Lariang',
    }),
  },
  {
    code: '3271',
    name: 'Kota Bogor',
    provinceCode: '32',
    platePrefix: 'F',
    districts: districtsOf('3271', {
      '01': 'Bogor Selatan',
      '02': 'Bogor Timur',
      '03': 'Bogor Utara',
      '04': 'Bogor Tengah',
      '05': 'Bogor Barat',
      '06': 'Tanah Sareal',
    }),
  },
]);

/**
 * The regency (kabupaten, 01–69) and city (kota, 71–99) numbers Kemendagri lists under each
 * province (Kepmendagri 100.1.1-6117 Tahun 2022), as inclusive ranges of the two digits after the
 * province. Gaps are regencies that moved to a new province with a new code (Batam 1472 → 2171,
 * the Kalimantan Utara and Sulawesi Barat regencies…). The Papua provinces split in 2022 and their
 * regencies are still being renumbered: any regency number is accepted there until the list settles.
 */
type NumberRanges = readonly (readonly [number, number])[];
const REGENCY_NUMBERS: Readonly<Record<string, NumberRanges | 'ANY'>> = Object.freeze<Record<string, NumberRanges | 'ANY'>>({
  '11': [[1, 18], [71, 75]],
  '12': [[1, 25], [71, 78]],
  '13': [[1, 12], [71, 77]],
  '14': [[1, 10], [71, 71], [73, 73]],
  '15': [[1, 9], [71, 72]],
  '16': [[1, 13], [71, 74]],
  '17': [[1, 9], [71, 71]],
  '18': [[1, 13], [71, 72]],
  '19': [[1, 6], [71, 71]],
  '21': [[1, 5], [71, 72]],
  '31': [[1, 1], [71, 75]],
  '32': [[1, 18], [71, 79]],
  '33': [[1, 29], [71, 76]],
  '34': [[1, 4], [71, 71]],
  '35': [[1, 29], [71, 79]],
  '36': [[1, 4], [71, 74]],
  '51': [[1, 8], [71, 71]],
  '52': [[1, 8], [71, 72]],
  '53': [[1, 21], [71, 71]],
  '61': [[1, 12], [71, 72]],
  '62': [[1, 13], [71, 71]],
  '63': [[1, 11], [71, 72]],
  '64': [[1, 5], [9, 9], [11, 11], [71, 72], [74, 74]],
  '65': [[1, 4], [71, 71]],
  '71': [[1, 11], [71, 74]],
  '72': [[1, 13], [71, 71]],
  '73': [[1, 18], [22, 22], [25, 26], [71, 73]],
  '74': [[1, 17], [71, 72]],
  '75': [[1, 5], [71, 71]],
  '76': [[1, 6]],
  '81': [[1, 9], [71, 72]],
  '82': [[1, 8], [71, 72]],
  '91': 'ANY',
  '92': 'ANY',
  '93': 'ANY',
  '94': 'ANY',
  '95': 'ANY',
  '96': 'ANY',
});

/** Whether Kemendagri lists the four-digit regency code (province and regency) of a NIK or KK number. */
export function isListedRegency(regencyCode: string): boolean {
  const numbers = REGENCY_NUMBERS[regencyCode.slice(0, 2)];
  const regency = Number(regencyCode.slice(2, 4));
  if (!numbers || !/^\d{4}$/.test(regencyCode) || regency === 0) return false;
  return numbers === 'ANY' || numbers.some(([from, to]) => regency >= from && regency <= to);
}

/**
 * Whether the six-digit district (kecamatan) code is listed: for the regencies whose kecamatan this
 * package carries (MPP_REGENCIES), one of them; elsewhere any non-zero number of a listed regency.
 */
export function isListedDistrict(districtCode: string): boolean {
  if (!/^\d{6}$/.test(districtCode) || districtCode.slice(4) === '00' || !isListedRegency(districtCode.slice(0, 4))) return false;
  const known = MPP_REGENCIES.find((regency) => regency.code === districtCode.slice(0, 4));
  return !known || known.districts.some((district) => district.code === districtCode);
}
