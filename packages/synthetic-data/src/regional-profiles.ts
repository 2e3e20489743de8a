import { MPP_REGENCIES, PROVINCES, type RegencyInfo } from '@simpul/identifiers';
import type { CommunityId } from './person-names';
import type { Regency, Religion } from './types';

export type Occupation =
  | 'BELUM/TIDAK BEKERJA'
  | 'MENGURUS RUMAH TANGGA'
  | 'PELAJAR/MAHASISWA'
  | 'PENSIUNAN'
  | 'PEGAWAI NEGERI SIPIL'
  | 'KARYAWAN SWASTA'
  | 'KARYAWAN BUMN'
  | 'KARYAWAN HONORER'
  | 'WIRASWASTA'
  | 'PEDAGANG'
  | 'PETANI/PEKEBUN'
  | 'NELAYAN/PERIKANAN'
  | 'BURUH HARIAN LEPAS'
  | 'GURU'
  | 'SOPIR';

/** A kecamatan people are placed in, with villages (desa/kelurahan) and its postal code. */
export interface DistrictHome {
  code: string;
  villages: readonly string[];
  postalCode: string;
  weight: number;
}

export interface Community {
  id: CommunityId;
  weight: number;
  religions: readonly (readonly [Religion, number])[];
}

/** What makes people, homes and businesses of one MPP regency look local. */
export interface RegionalProfile {
  regency: Regency;
  /** Share of the synthetic population living here. */
  weight: number;
  /** Hours ahead of UTC (WIB 7, WITA 8). */
  utcOffsetHours: number;
  districtHomes: readonly DistrictHome[];
  streets: readonly string[];
  birthPlaces: readonly (readonly [string, number])[];
  communities: readonly Community[];
  occupations: readonly (readonly [Occupation, number])[];
  kbliWeights: readonly (readonly [string, number])[];
  businessNameWords: readonly string[];
  /** Stand-in KPP (tax office) code for legacy NPWPs; not verified against DJP's list. */
  taxOfficeCode: string;
  immigrationOffice: string;
  /** Yearly PBB amount range for one property, in rupiah. */
  propertyTaxRange: readonly [min: number, max: number];
  /** `MM-DD` due date of the yearly PBB bill (SPPT). */
  propertyTaxDueMonthDay: string;
  /** Share of vehicles that are cars rather than motorcycles. */
  carShare: number;
}

const MUSLIM: Community['religions'] = [['ISLAM', 1]];
const MIGRANT_JAVANESE: Community['religions'] = [['ISLAM', 94], ['PROTESTANT', 3], ['CATHOLIC', 3]];
const CHINESE_INDONESIAN: Community['religions'] = [['BUDDHIST', 45], ['CONFUCIAN', 12], ['CATHOLIC', 22], ['PROTESTANT', 21]];
const BATAK: Community['religions'] = [['PROTESTANT', 85], ['CATHOLIC', 15]];

function regencyOf(code: string): Regency {
  const info: RegencyInfo | undefined = MPP_REGENCIES.find((regency) => regency.code === code);
  if (!info) throw new Error(`Regency ${code} is not one of the MPP regencies`);
  return {
    code: info.code,
    name: info.name,
    provinceCode: info.provinceCode,
    provinceName: PROVINCES[info.provinceCode] ?? '',
    platePrefix: info.platePrefix,
    districts: info.districts.map((district) => ({ ...district })),
  };
}

/** Fresh profiles (with fresh Regency objects) so one world never shares mutable data with another. */
export function createRegionalProfiles(): RegionalProfile[] {
  return [
    {
      regency: regencyOf('1408'),
      weight: 15,
      utcOffsetHours: 7,
      districtHomes: [
        { code: '140801', villages: ['Kampung Dalam', 'Kampung Rempak', 'Langkai', 'Tumang', 'Merempan Hilir'], postalCode: '28771', weight: 18 },
        { code: '140804', villages: ['Perawang', 'Perawang Barat', 'Tualang', 'Pinang Sebatang Timur', 'Meredan'], postalCode: '28772', weight: 26 },
        { code: '140810', villages: ['Kandis', 'Kandis Kota', 'Jambai Makmur', 'Telaga Sam-Sam', 'Libo Jaya'], postalCode: '28686', weight: 22 },
        { code: '140803', villages: ['Minas Jaya', 'Minas Timur', 'Mandi Angin', 'Rantau Bertuah'], postalCode: '28685', weight: 12 },
        { code: '140813', villages: ['Sungai Mempura', 'Benteng Hulu', 'Benteng Hilir', 'Kampung Tengah'], postalCode: '28773', weight: 10 },
        { code: '140808', villages: ['Bunga Raya', 'Jatibaru', 'Buatan Baru', 'Kemuning Muda'], postalCode: '28763', weight: 12 },
      ],
      streets: ['Jl. Sultan Syarif Kasim', 'Jl. Sultan Ismail', 'Jl. Raja Kecik', 'Jl. Tengku Buwang Asmara', 'Jl. Hang Tuah', 'Jl. Datuk Laksamana', 'Jl. Sudirman', 'Jl. Lintas Perawang', 'Gg. Melati', 'Gg. Seroja'],
      birthPlaces: [['Siak Sri Indrapura', 40], ['Perawang', 15], ['Kandis', 12], ['Pekanbaru', 20], ['Bengkalis', 8], ['Dumai', 5]],
      communities: [
        { id: 'RIAU_MALAY', weight: 55, religions: MUSLIM },
        { id: 'JAVANESE', weight: 28, religions: MIGRANT_JAVANESE },
        { id: 'BATAK', weight: 12, religions: BATAK },
        { id: 'CHINESE_INDONESIAN', weight: 5, religions: CHINESE_INDONESIAN },
      ],
      occupations: [['PETANI/PEKEBUN', 30], ['KARYAWAN SWASTA', 22], ['WIRASWASTA', 14], ['PEDAGANG', 8], ['PEGAWAI NEGERI SIPIL', 6], ['GURU', 4], ['BURUH HARIAN LEPAS', 10], ['KARYAWAN BUMN', 2], ['SOPIR', 2], ['NELAYAN/PERIKANAN', 2]],
      kbliWeights: [['47112', 25], ['56102', 15], ['01262', 18], ['47711', 6], ['45405', 8], ['10792', 8], ['56303', 6], ['47111', 4], ['56101', 5], ['14111', 3], ['55130', 2]],
      businessNameWords: ['Istana', 'Melayu', 'Zamrud', 'Siak Jaya', 'Lancang Kuning'],
      taxOfficeCode: '218',
      immigrationOffice: 'Kantor Imigrasi Pekanbaru',
      propertyTaxRange: [60_000, 650_000],
      propertyTaxDueMonthDay: '08-31',
      carShare: 0.2,
    },
    {
      regency: regencyOf('3510'),
      weight: 24,
      utcOffsetHours: 7,
      districtHomes: [
        { code: '351016', villages: ['Kepatihan', 'Penganjuran', 'Singonegaran', 'Tukangkayu', 'Taman Baru', 'Sobo'], postalCode: '68416', weight: 20 },
        { code: '351015', villages: ['Kemiren', 'Olehsari', 'Glagah', 'Paspan', 'Banjarsari'], postalCode: '68432', weight: 10 },
        { code: '351017', villages: ['Giri', 'Jambesari', 'Boyolangu', 'Grogol', 'Penataban'], postalCode: '68423', weight: 10 },
        { code: '351009', villages: ['Genteng Kulon', 'Genteng Wetan', 'Kembiritan', 'Setail', 'Kaligondo'], postalCode: '68465', weight: 16 },
        { code: '351013', villages: ['Rogojampi', 'Gitik', 'Lemahbangdewo', 'Karangbendo', 'Gladag'], postalCode: '68462', weight: 14 },
        { code: '351005', villages: ['Kedungrejo', 'Tembokrejo', 'Sumberberas', 'Blambangan', 'Kedungringin'], postalCode: '68472', weight: 18 },
        { code: '351021', villages: ['Ketapang', 'Kalipuro', 'Bulusan', 'Klatak', 'Gombolirang'], postalCode: '68421', weight: 12 },
      ],
      streets: ['Jl. Ahmad Yani', 'Jl. Brawijaya', 'Jl. Adi Sucipto', 'Jl. Gajah Mada', 'Jl. Basuki Rahmat', 'Jl. Letjen S. Parman', 'Jl. Raya Jember', 'Jl. Raya Rogojampi', 'Jl. Kapten Ilyas', 'Jl. Diponegoro', 'Gg. Mawar', 'Gg. Kenanga'],
      birthPlaces: [['Banyuwangi', 60], ['Genteng', 10], ['Rogojampi', 10], ['Muncar', 8], ['Jember', 7], ['Situbondo', 5]],
      communities: [
        { id: 'JAVANESE', weight: 92, religions: [['ISLAM', 96], ['HINDU', 2], ['PROTESTANT', 1], ['CATHOLIC', 1]] },
        { id: 'BALINESE', weight: 5, religions: [['HINDU', 1]] },
        { id: 'CHINESE_INDONESIAN', weight: 3, religions: CHINESE_INDONESIAN },
      ],
      occupations: [['PETANI/PEKEBUN', 25], ['NELAYAN/PERIKANAN', 8], ['WIRASWASTA', 15], ['PEDAGANG', 12], ['KARYAWAN SWASTA', 14], ['BURUH HARIAN LEPAS', 12], ['PEGAWAI NEGERI SIPIL', 6], ['GURU', 5], ['SOPIR', 3]],
      kbliWeights: [['47112', 20], ['10213', 10], ['03111', 6], ['56102', 14], ['10792', 12], ['56303', 8], ['56101', 6], ['55130', 6], ['45405', 6], ['47711', 6], ['79120', 3], ['47111', 3]],
      businessNameWords: ['Osing', 'Blambangan', 'Gandrung', 'Ijen', 'Sritanjung'],
      taxOfficeCode: '627',
      immigrationOffice: 'Kantor Imigrasi Banyuwangi',
      propertyTaxRange: [35_000, 450_000],
      propertyTaxDueMonthDay: '08-31',
      carShare: 0.15,
    },
    {
      regency: regencyOf('5103'),
      weight: 16,
      utcOffsetHours: 8,
      districtHomes: [
        { code: '510301', villages: ['Jimbaran', 'Benoa', 'Tanjung Benoa', 'Ungasan', 'Pecatu', 'Kutuh'], postalCode: '80361', weight: 22 },
        { code: '510302', villages: ['Kuta', 'Legian', 'Seminyak', 'Kedonganan', 'Tuban'], postalCode: '80361', weight: 14 },
        { code: '510303', villages: ['Kerobokan', 'Kerobokan Kelod', 'Kerobokan Kaja', 'Canggu', 'Dalung', 'Tibubeneng'], postalCode: '80361', weight: 24 },
        { code: '510304', villages: ['Mengwi', 'Kapal', 'Abianbase', 'Sempidi', 'Lukluk', 'Sading'], postalCode: '80351', weight: 22 },
        { code: '510305', villages: ['Abiansemal', 'Blahkiuh', 'Sibanggede', 'Angantaka', 'Darmasaba'], postalCode: '80352', weight: 12 },
        { code: '510306', villages: ['Petang', 'Pangsan', 'Carangsari', 'Sulangai', 'Belok Sidan'], postalCode: '80353', weight: 6 },
      ],
      streets: ['Jl. Raya Kuta', 'Jl. Sunset Road', 'Jl. Bypass Ngurah Rai', 'Jl. Raya Uluwatu', 'Jl. Raya Kerobokan', 'Jl. Raya Mengwi', 'Jl. Raya Sempidi', 'Jl. Raya Canggu', 'Jl. Raya Abiansemal', 'Jl. Raya Petang', 'Gg. Nusa Indah', 'Gg. Cempaka'],
      birthPlaces: [['Badung', 45], ['Denpasar', 30], ['Tabanan', 10], ['Gianyar', 8], ['Buleleng', 7]],
      communities: [
        { id: 'BALINESE', weight: 82, religions: [['HINDU', 1]] },
        { id: 'JAVANESE', weight: 14, religions: MIGRANT_JAVANESE },
        { id: 'CHINESE_INDONESIAN', weight: 4, religions: CHINESE_INDONESIAN },
      ],
      occupations: [['KARYAWAN SWASTA', 38], ['WIRASWASTA', 20], ['PEDAGANG', 8], ['PETANI/PEKEBUN', 8], ['PEGAWAI NEGERI SIPIL', 6], ['GURU', 4], ['BURUH HARIAN LEPAS', 8], ['SOPIR', 6], ['KARYAWAN BUMN', 2]],
      kbliWeights: [['55130', 22], ['56101', 14], ['56303', 10], ['79120', 10], ['47112', 12], ['16292', 8], ['56102', 8], ['47711', 6], ['45405', 5], ['10792', 3], ['47111', 2]],
      businessNameWords: ['Dewata', 'Santhi', 'Sari', 'Asri', 'Segara', 'Taksu'],
      taxOfficeCode: '906',
      immigrationOffice: 'Kantor Imigrasi Ngurah Rai',
      propertyTaxRange: [250_000, 6_500_000],
      propertyTaxDueMonthDay: '08-31',
      carShare: 0.25,
    },
    {
      regency: regencyOf('1604'),
      weight: 14,
      utcOffsetHours: 7,
      districtHomes: [
        { code: '160410', villages: ['Pasar Lama', 'Pasar Baru', 'Bandar Jaya', 'Gunung Gajah', 'Talang Jawa Selatan', 'Kota Baru'], postalCode: '31414', weight: 34 },
        { code: '160431', villages: ['Ulak Lebar', 'Tanjung Payang', 'Manggul', 'Karang Anyar'], postalCode: '31419', weight: 16 },
        { code: '160409', villages: ['Merapi', 'Lebuay Bandung', 'Ulak Pandan', 'Suka Cinta'], postalCode: '31471', weight: 14 },
        { code: '160407', villages: ['Kota Agung', 'Tanjung Agung', 'Muara Tiga', 'Sukarami'], postalCode: '31462', weight: 12 },
        { code: '160406', villages: ['Jarai', 'Pagar Jati', 'Sadan', 'Muara Danau'], postalCode: '31465', weight: 12 },
        { code: '160417', villages: ['Bunga Mas', 'Saung Naga', 'Cempaka Sakti', 'Pandan Arang'], postalCode: '31452', weight: 12 },
      ],
      streets: ['Jl. Mayor Ruslan', 'Jl. Kolonel Barlian', 'Jl. Lintas Sumatera', 'Jl. Serma Somad', 'Jl. RA Kartini', 'Jl. Inspektur Yazid', 'Jl. Bukit Barisan', 'Gg. Manggis', 'Gg. Duku'],
      birthPlaces: [['Lahat', 65], ['Pagar Alam', 10], ['Muara Enim', 10], ['Palembang', 15]],
      communities: [
        { id: 'PALEMBANG_MALAY', weight: 90, religions: MUSLIM },
        { id: 'JAVANESE', weight: 9, religions: [['ISLAM', 98], ['PROTESTANT', 2]] },
        { id: 'CHINESE_INDONESIAN', weight: 1, religions: CHINESE_INDONESIAN },
      ],
      occupations: [['PETANI/PEKEBUN', 40], ['WIRASWASTA', 12], ['PEDAGANG', 10], ['KARYAWAN SWASTA', 12], ['PEGAWAI NEGERI SIPIL', 8], ['GURU', 6], ['BURUH HARIAN LEPAS', 8], ['SOPIR', 4]],
      kbliWeights: [['47112', 25], ['01270', 20], ['56102', 14], ['10792', 10], ['45405', 8], ['47711', 8], ['56101', 5], ['56303', 5], ['47111', 3], ['14111', 2]],
      businessNameWords: ['Bukit Serelo', 'Lematang', 'Besemah', 'Sumber Kopi'],
      taxOfficeCode: '315',
      immigrationOffice: 'Kantor Imigrasi Palembang',
      propertyTaxRange: [30_000, 380_000],
      propertyTaxDueMonthDay: '09-30',
      carShare: 0.15,
    },
    {
      regency: regencyOf('7601'),
      weight: 11,
      utcOffsetHours: 8,
      districtHomes: [
        { code: '760102', villages: ['Pasangkayu', 'Martasari', 'Gunung Sari', 'Karya Bersama', 'Ako'], postalCode: '91571', weight: 34 },
        { code: '760104', villages: ['Sarudu', 'Bulu Mario', 'Kumasari', 'Doda'], postalCode: '91573', weight: 16 },
        { code: '760101', villages: ['Bambalamotu', 'Randomayang', 'Kalola', 'Polewali'], postalCode: '91572', weight: 14 },
        { code: '760103', villages: ['Baras', 'Balanti', 'Motu', 'Bulu Parigi'], postalCode: '91574', weight: 12 },
        { code: '760108', villages: ['Tikke', 'Jengeng Raya', 'Lilimori', 'Pajalele'], postalCode: '91571', weight: 14 },
        { code: '760106', villages: ['Duripoku', 'Batu Oge', 'Tampaure'], postalCode: '91575', weight: 10 },
      ],
      streets: ['Jl. Ir. Soekarno', 'Jl. Trans Sulawesi', 'Jl. Sultan Hasanuddin', 'Jl. Andi Depu', 'Jl. Poros Pasangkayu', 'Jl. Jenderal Sudirman', 'Jl. Padat Karya', 'Gg. Bougenville'],
      birthPlaces: [['Pasangkayu', 45], ['Mamuju', 15], ['Polewali', 12], ['Palu', 10], ['Donggala', 8], ['Majene', 10]],
      communities: [
        { id: 'BUGIS_MANDAR', weight: 70, religions: MUSLIM },
        { id: 'JAVANESE', weight: 12, religions: MUSLIM },
        { id: 'BALINESE', weight: 8, religions: [['HINDU', 1]] },
        { id: 'TORAJA', weight: 10, religions: [['PROTESTANT', 80], ['CATHOLIC', 20]] },
      ],
      occupations: [['PETANI/PEKEBUN', 50], ['NELAYAN/PERIKANAN', 6], ['WIRASWASTA', 10], ['PEDAGANG', 8], ['KARYAWAN SWASTA', 10], ['PEGAWAI NEGERI SIPIL', 6], ['GURU', 5], ['BURUH HARIAN LEPAS', 5]],
      kbliWeights: [['01262', 30], ['47112', 22], ['56102', 10], ['10792', 8], ['45405', 8], ['03111', 6], ['47711', 6], ['56303', 5], ['10213', 5]],
      businessNameWords: ['Mandar', 'Lariang', 'Sipamandar', 'Vovasanggayu'],
      taxOfficeCode: '827',
      immigrationOffice: 'Kantor Imigrasi Mamuju',
      propertyTaxRange: [25_000, 320_000],
      propertyTaxDueMonthDay: '09-30',
      carShare: 0.12,
    },
    {
      regency: regencyOf('3271'),
      weight: 20,
      utcOffsetHours: 7,
      districtHomes: [
        { code: '327101', villages: ['Batutulis', 'Bondongan', 'Empang', 'Lawanggintung', 'Rancamaya', 'Cipaku'], postalCode: '16133', weight: 18 },
        { code: '327102', villages: ['Baranangsiang', 'Sukasari', 'Tajur', 'Katulampa', 'Sindangsari', 'Sindangrasa'], postalCode: '16143', weight: 14 },
        { code: '327103', villages: ['Bantarjati', 'Tegal Gundil', 'Cimahpar', 'Ciluar', 'Tanah Baru', 'Cibuluh'], postalCode: '16152', weight: 18 },
        { code: '327104', villages: ['Paledang', 'Gudang', 'Babakan Pasar', 'Pabaton', 'Cibogor', 'Sempur', 'Tegallega'], postalCode: '16122', weight: 12 },
        { code: '327105', villages: ['Menteng', 'Cilendek Barat', 'Sindang Barang', 'Bubulak', 'Loji', 'Curug Mekar'], postalCode: '16112', weight: 20 },
        { code: '327106', villages: ['Kedung Badak', 'Kebon Pedes', 'Tanah Sareal', 'Cibadak', 'Kencana', 'Sukadamai'], postalCode: '16164', weight: 18 },
      ],
      streets: ['Jl. Pajajaran', 'Jl. Suryakencana', 'Jl. Raya Tajur', 'Jl. Sholeh Iskandar', 'Jl. Kapten Muslihat', 'Jl. Dr. Semeru', 'Jl. Merdeka', 'Jl. Pahlawan', 'Jl. Raya Pemda', 'Gg. Bina Marga', 'Gg. Kelor'],
      birthPlaces: [['Bogor', 70], ['Jakarta', 12], ['Sukabumi', 8], ['Cianjur', 5], ['Depok', 5]],
      communities: [
        { id: 'SUNDANESE', weight: 80, religions: MUSLIM },
        { id: 'JAVANESE', weight: 10, religions: MIGRANT_JAVANESE },
        { id: 'CHINESE_INDONESIAN', weight: 6, religions: CHINESE_INDONESIAN },
        { id: 'BATAK', weight: 4, religions: BATAK },
      ],
      occupations: [['KARYAWAN SWASTA', 35], ['WIRASWASTA', 18], ['PEDAGANG', 12], ['PEGAWAI NEGERI SIPIL', 10], ['GURU', 5], ['BURUH HARIAN LEPAS', 10], ['SOPIR', 6], ['KARYAWAN BUMN', 4]],
      kbliWeights: [['56102', 16], ['47112', 14], ['56101', 10], ['56303', 12], ['10792', 10], ['10710', 8], ['14111', 8], ['47711', 8], ['45405', 6], ['47111', 4], ['79120', 2], ['55130', 2]],
      businessNameWords: ['Pakuan', 'Kujang', 'Sunda', 'Kebun Raya', 'Lawang Salapan'],
      taxOfficeCode: '404',
      immigrationOffice: 'Kantor Imigrasi Bogor',
      propertyTaxRange: [120_000, 2_800_000],
      propertyTaxDueMonthDay: '08-31',
      carShare: 0.25,
    },
  ];
}
