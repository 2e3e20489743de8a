import type { Sex } from './types';
import type { Random } from './random';

export type CommunityId =
  | 'JAVANESE'
  | 'SUNDANESE'
  | 'RIAU_MALAY'
  | 'PALEMBANG_MALAY'
  | 'BUGIS_MANDAR'
  | 'BALINESE'
  | 'BATAK'
  | 'CHINESE_INDONESIAN'
  | 'TORAJA';

export interface NamedPerson {
  sex: Sex;
  birthYear: number;
  /** 1 for a first-born child; Balinese names encode it. */
  birthOrder: number;
  /** What the family passes down the father's line: a surname (marga) or a title such as Tengku or Andi. */
  lineage: string | undefined;
}

export interface NamingTradition {
  community: CommunityId;
  /** Hometowns of members born outside the regency they live in. */
  originBirthPlaces: readonly string[];
  drawLineage(random: Random): string | undefined;
  fullName(random: Random, person: NamedPerson): string;
}

interface GivenNames {
  male: readonly string[];
  maleSecond: readonly string[];
  female: readonly string[];
  femaleSecond: readonly string[];
}

// Names common among Muslim children born since 2000 across the archipelago.
const CONTEMPORARY_MUSLIM_NAMES: GivenNames = {
  male: ['Muhammad Rizki', 'Muhammad Fajar', 'Ahmad Fauzan', 'Rizky', 'Fajar', 'Dimas', 'Aditya', 'Ilham', 'Reza', 'Bayu', 'Farhan', 'Raihan', 'Alif', 'Daffa', 'Arkan', 'Zidan'],
  maleSecond: ['Pratama', 'Saputra', 'Ramadhan', 'Maulana', 'Firmansyah', 'Hidayat', 'Akbar', 'Alfarizi'],
  female: ['Nabila', 'Salsabila', 'Aisyah', 'Zahra', 'Nayla', 'Putri', 'Anisa', 'Aulia', 'Keisha', 'Alya', 'Syifa', 'Kayla'],
  femaleSecond: ['Putri', 'Ramadhani', 'Azzahra', 'Aulia', 'Rahmawati', 'Safitri', 'Anggraini', 'Khairunnisa'],
};

function givenName(random: Random, names: GivenNames, sex: Sex, secondNameChance: number): string {
  const first = random.pick(sex === 'MALE' ? names.male : names.female);
  if (!random.chance(secondNameChance)) return first;
  return `${first} ${random.pick(sex === 'MALE' ? names.maleSecond : names.femaleSecond)}`;
}

function regionalGivenName(random: Random, names: GivenNames, person: NamedPerson): string {
  const contemporary = person.birthYear >= 2000 && random.chance(0.6);
  return givenName(random, contemporary ? CONTEMPORARY_MUSLIM_NAMES : names, person.sex, contemporary ? 0.7 : 0.55);
}

function noLineage(): undefined {
  return undefined;
}

const JAVANESE: NamingTradition = {
  community: 'JAVANESE',
  originBirthPlaces: ['Surabaya', 'Jember', 'Malang', 'Surakarta', 'Yogyakarta', 'Kediri', 'Semarang', 'Situbondo'],
  drawLineage: noLineage,
  fullName(random, person) {
    return regionalGivenName(random, JAVANESE_NAMES, person);
  },
};
const JAVANESE_NAMES: GivenNames = {
  // Includes Osing and Madurese names common in Banyuwangi (Sanusi, Sahuni, Juwariyah, Suliha).
  male: ['Slamet', 'Sugeng', 'Bambang', 'Joko', 'Hariyanto', 'Sutrisno', 'Suyitno', 'Wahyudi', 'Eko', 'Agus', 'Budi', 'Heru', 'Imam', 'Achmad', 'Mochamad', 'Hadi', 'Sunarto', 'Purwanto', 'Teguh', 'Rudi', 'Sanusi', 'Sahuni', 'Suparman', 'Bagus'],
  maleSecond: ['Santoso', 'Hartono', 'Prasetyo', 'Wibowo', 'Setiawan', 'Purnomo', 'Susanto', 'Kurniawan', 'Hidayat', "Syafi'i", 'Fauzi', 'Rahmad', 'Nugroho', 'Cahyono'],
  female: ['Siti', 'Sri', 'Endang', 'Sumiati', 'Lilik', 'Tutik', 'Nur', 'Yuli', 'Dwi', 'Umi', 'Suliha', 'Mariyam', 'Juwariyah', 'Sulastri', 'Wahyu', 'Rina', 'Dewi', 'Indah'],
  femaleSecond: ['Aminah', 'Wahyuni', 'Susilowati', 'Handayani', 'Hasanah', 'Astutik', 'Rahayu', 'Kulsum', 'Lestari', 'Ningsih', 'Rahmawati', 'Fitriani'],
};

const SUNDANESE_NAMES: GivenNames = {
  male: ['Asep', 'Ujang', 'Dede', 'Cecep', 'Dadang', 'Ade', 'Aep', 'Iwan', 'Yayan', 'Encep', 'Agus', 'Deden', 'Jajang', 'Dadan', 'Entis', 'Usep', 'Endang', 'Oman', 'Galih', 'Gilang'],
  maleSecond: ['Saepudin', 'Rohman', 'Supriatna', 'Hermawan', 'Sutisna', 'Saefulloh', 'Setiawan', 'Sopyan', 'Rahmat', 'Nurjaman', 'Suryana', 'Kurnia', 'Permana', 'Gumilar'],
  female: ['Euis', 'Neneng', 'Imas', 'Cucu', 'Enden', 'Teti', 'Lilis', 'Nining', 'Yeni', 'Rina', 'Tati', 'Neng', 'Iis', 'Enung', 'Entin', 'Titin'],
  femaleSecond: ['Komariah', 'Hasanah', 'Masitoh', 'Sumarni', 'Rohaeti', 'Suryani', 'Nuraeni', 'Marlina', 'Sumiati', 'Kurniasih', 'Rostini', 'Mulyani', 'Sukaesih'],
};
const SUNDANESE: NamingTradition = {
  community: 'SUNDANESE',
  originBirthPlaces: ['Sukabumi', 'Cianjur', 'Bandung', 'Garut', 'Tasikmalaya', 'Bogor'],
  drawLineage: noLineage,
  fullName: (random, person) => regionalGivenName(random, SUNDANESE_NAMES, person),
};

const RIAU_MALAY_NAMES: GivenNames = {
  male: ['Ahmad', 'Muhammad', 'Zulkifli', 'Syahrul', 'Azwar', 'Hendra', 'Rahmat', 'Zulkarnain', 'Syafrizal', 'Hasbullah', 'Azmi', 'Khairul', 'Syamsul', 'Rusli', 'Mahyudin', 'Firdaus', 'Jamaluddin', 'Nazaruddin', 'Idris', 'Yusri', 'Arifin', 'Darwis'],
  maleSecond: ['Rizal', 'Saputra', 'Hidayat', 'Anwar', 'Bahri', 'Effendi', 'Hamid', 'Harun', 'Ismail', 'Yusuf', 'Husin', 'Mansur'],
  female: ['Siti', 'Nurhayati', 'Rosmawati', 'Zuraidah', 'Nurul', 'Fatimah', 'Aisyah', 'Halimah', 'Rohana', 'Jamilah', 'Khadijah', 'Salmah', 'Zainab', 'Mariani', 'Yusnidar'],
  femaleSecond: ['Zubaidah', 'Aini', 'Asiah', 'Rahmah', 'Hasanah', 'Hayati', 'Safitri', 'Wahyuni', 'Rosita'],
};
const RIAU_MALAY: NamingTradition = {
  community: 'RIAU_MALAY',
  originBirthPlaces: ['Pekanbaru', 'Bengkalis', 'Dumai', 'Selatpanjang', 'Tanjungpinang'],
  // Tengku and Wan pass from father to children among the Siak Malay nobility.
  drawLineage: (random) => random.weighted<string | undefined>([['Tengku', 6], ['Wan', 4], [undefined, 90]]),
  fullName(random, person) {
    const name = regionalGivenName(random, RIAU_MALAY_NAMES, person);
    return person.lineage ? `${person.lineage} ${name}` : name;
  },
};

const PALEMBANG_MALAY_NAMES: GivenNames = {
  male: ['Herman', 'Sulaiman', 'Zainal', 'Darmawan', 'Jamaludin', 'Nasrun', 'Efendi', 'Syaiful', 'Ridwan', 'Hasanudin', 'Rusdi', 'Muhammad', 'Yusuf', 'Samsul', 'Hendri', 'Iskandar', 'Marzuki', 'Edi', 'Amri', 'Azhari', 'Dedi', 'Hamdani'],
  maleSecond: ['Rahman', 'Abidin', 'Bahri', 'Saputra', 'Effendi', 'Hakim', 'Arifin', 'Hasan', 'Sani', 'Rasyid'],
  female: ['Nurmala', 'Rosita', 'Yulianti', 'Herlina', 'Marlina', 'Zuraida', 'Sumarni', 'Rosdiana', 'Elda', 'Yusnani', 'Asmawati', 'Lidia', 'Nurbaiti', 'Erna', 'Leni', 'Maryani'],
  femaleSecond: ['Sari', 'Wati', 'Yanti', 'Hayati', 'Fitri', 'Aprilia', 'Handayani', 'Susanti'],
};
// Palembang priyayi titles, male form and the female form the daughters carry.
const PALEMBANG_TITLES: Readonly<Record<string, { MALE: string; FEMALE: string }>> = {
  Raden: { MALE: 'Raden', FEMALE: 'Raden Ayu' },
  Masagus: { MALE: 'Masagus', FEMALE: 'Masayu' },
  Kemas: { MALE: 'Kemas', FEMALE: 'Nyimas' },
  Kiagus: { MALE: 'Kiagus', FEMALE: 'Nyayu' },
};
const PALEMBANG_MALAY: NamingTradition = {
  community: 'PALEMBANG_MALAY',
  originBirthPlaces: ['Palembang', 'Pagar Alam', 'Muara Enim', 'Tebing Tinggi', 'Baturaja'],
  drawLineage: (random) => random.weighted<string | undefined>([['Kemas', 2], ['Kiagus', 2], ['Masagus', 1], ['Raden', 1], [undefined, 94]]),
  fullName(random, person) {
    const name = regionalGivenName(random, PALEMBANG_MALAY_NAMES, person);
    const title = person.lineage ? PALEMBANG_TITLES[person.lineage]?.[person.sex] : undefined;
    return title ? `${title} ${name}` : name;
  },
};

const BUGIS_MANDAR_NAMES: GivenNames = {
  male: ['Muhammad', 'Syamsuddin', 'Baharuddin', 'Hasanuddin', 'Abdul Rahim', 'Kamaruddin', 'Jufri', 'Nasruddin', 'Rahman', 'Asri', 'Sulaiman', 'Amir', 'Arifin', 'Mustari', 'Haeruddin', 'Syahrir', 'Muslimin', 'Risal', 'Sudirman', 'Basri', 'Kaharuddin'],
  maleSecond: ['Tahir', 'Ali', 'Latif', 'Hamzah', 'Arsyad', 'Salam', 'Said', 'Hasyim', 'Rauf'],
  female: ['Hasnah', 'Nurhayati', 'Rahmawati', 'Sitti', 'Hamsiah', 'Nurbaya', 'Hasriani', 'Syamsiah', 'Rosdiana', 'Ratna', 'Jumriah', 'Nurhaeni', 'Hasmawati', 'Suriani', 'Haerani', 'Mardiana', 'Murniati', 'Kasmawati'],
  femaleSecond: ['Aisyah', 'Rahmah', 'Hadijah', 'Maryam', 'Nurhaedah', 'Sabariah'],
};
const BUGIS_MANDAR: NamingTradition = {
  community: 'BUGIS_MANDAR',
  originBirthPlaces: ['Polewali', 'Majene', 'Mamuju', 'Pinrang', 'Parepare', 'Palu'],
  drawLineage: (random) => (random.chance(0.07) ? 'Andi' : undefined),
  fullName(random, person) {
    const name = regionalGivenName(random, BUGIS_MANDAR_NAMES, person);
    return person.lineage ? `${person.lineage} ${name}` : name;
  },
};

// Balinese birth-order names: first, second, third and fourth child, then the cycle repeats.
const BALINESE_BIRTH_ORDER_NAMES: readonly (readonly string[])[] = [['Wayan', 'Putu', 'Gede'], ['Made', 'Kadek', 'Nengah'], ['Nyoman', 'Komang'], ['Ketut']];
const BALINESE_GIVEN_NAMES = {
  male: ['Sudarsana', 'Suardana', 'Mahendra', 'Adnyana', 'Wiranata', 'Artawan', 'Sukadana', 'Suparta', 'Darmawan', 'Arsana', 'Widiana', 'Sukerta', 'Parwata', 'Antara', 'Astawa', 'Suarjana', 'Mertayasa', 'Budiasa', 'Wirawan', 'Ardana', 'Suwena', 'Sudiarta', 'Arya Wibawa', 'Dwipayana', 'Surya Dharma'],
  female: ['Ariani', 'Suartini', 'Sukmawati', 'Widiastuti', 'Kartini', 'Ratnawati', 'Sugiantari', 'Puspitasari', 'Arini', 'Sulastri', 'Wahyuni', 'Sriani', 'Sukarini', 'Mariani', 'Ayu Lestari', 'Sri Utami', 'Yuliantari', 'Widyawati', 'Ardani', 'Suarni', 'Wartini', 'Diah Anggreni', 'Candra Dewi'],
};
const BALINESE: NamingTradition = {
  community: 'BALINESE',
  originBirthPlaces: ['Denpasar', 'Tabanan', 'Gianyar', 'Klungkung', 'Karangasem', 'Buleleng', 'Jembrana'],
  // Caste titles (Brahmana: Ida Bagus / Ida Ayu; Ksatria: I Gusti / Anak Agung); most families use I / Ni.
  drawLineage: (random) => random.weighted<string | undefined>([['BRAHMANA', 5], ['KSATRIA', 6], [undefined, 89]]),
  fullName(random, person) {
    const orderNames = BALINESE_BIRTH_ORDER_NAMES[(Math.max(person.birthOrder, 1) - 1) % BALINESE_BIRTH_ORDER_NAMES.length] ?? ['Wayan'];
    const orderName = random.pick(person.sex === 'FEMALE' ? orderNames.filter((name) => name !== 'Gede') : orderNames);
    const given = random.pick(person.sex === 'MALE' ? BALINESE_GIVEN_NAMES.male : BALINESE_GIVEN_NAMES.female);
    if (person.lineage === 'BRAHMANA') return `${person.sex === 'MALE' ? 'Ida Bagus' : 'Ida Ayu'} ${orderName} ${given}`;
    if (person.lineage === 'KSATRIA') return `${person.sex === 'MALE' ? 'I Gusti Ngurah' : 'I Gusti Ayu'} ${given}`;
    if (person.sex === 'MALE') return `I ${orderName} ${given}`;
    return random.chance(0.35) ? `Ni Luh ${orderName} ${given}` : `Ni ${orderName} ${given}`;
  },
};

const BATAK: NamingTradition = {
  community: 'BATAK',
  originBirthPlaces: ['Medan', 'Pematangsiantar', 'Tarutung', 'Balige', 'Sibolga'],
  drawLineage: (random) => random.pick(['Simanjuntak', 'Sitompul', 'Sinaga', 'Situmorang', 'Hutapea', 'Nainggolan', 'Simatupang', 'Pardede', 'Panjaitan', 'Manurung', 'Sihombing', 'Hutagalung', 'Pasaribu', 'Tambunan', 'Sianipar']),
  fullName(random, person) {
    const given = random.pick(
      person.sex === 'MALE'
        ? ['Jhonson', 'Roy', 'Marulitua', 'Parlindungan', 'Hotman', 'Binsar', 'Martua', 'Sahat', 'Togar', 'Daniel', 'Samuel', 'Yosua', 'Andreas', 'Hendrik', 'Benny', 'Jonathan']
        : ['Rosmawati', 'Lamtiur', 'Rotua', 'Tiurma', 'Dameria', 'Hotnida', 'Ruth', 'Maria', 'Debora', 'Yohana', 'Grace', 'Christin', 'Evalina'],
    );
    return person.lineage ? `${given} ${person.lineage}` : given;
  },
};

const CHINESE_INDONESIAN: NamingTradition = {
  community: 'CHINESE_INDONESIAN',
  originBirthPlaces: ['Jakarta', 'Pekanbaru', 'Palembang', 'Medan', 'Surabaya', 'Bagansiapiapi'],
  drawLineage: (random) => random.pick(['Wijaya', 'Gunawan', 'Halim', 'Setiawan', 'Tanujaya', 'Salim', 'Kurniawan', 'Hartanto', 'Susanto', 'Sugianto', 'Lienardi', 'Tjahjadi', 'Chandra']),
  fullName(random, person) {
    const given = random.pick(
      person.sex === 'MALE'
        ? ['Hendra', 'Suryadi', 'Andi', 'Felix', 'Kevin', 'Johan', 'Steven', 'Wilson', 'Edwin', 'Yohanes', 'Vincent', 'Hartono', 'Darmawan']
        : ['Lina', 'Susanti', 'Meliana', 'Yenny', 'Lily', 'Linda', 'Fransisca', 'Stefani', 'Jessica', 'Novita', 'Elisabeth', 'Vivian', 'Cindy'],
    );
    return person.lineage ? `${given} ${person.lineage}` : given;
  },
};

const TORAJA: NamingTradition = {
  community: 'TORAJA',
  originBirthPlaces: ['Makale', 'Rantepao', 'Mamasa', 'Palopo'],
  drawLineage: (random) => random.pick(['Pasambe', 'Tandi', 'Rantepadang', 'Sampe', 'Palinggi', 'Pakiding', 'Toding', 'Sarira', 'Lembang']),
  fullName(random, person) {
    const given = random.pick(
      person.sex === 'MALE'
        ? ['Yohanis', 'Markus', 'Yulius', 'Daniel', 'Paulus', 'Petrus', 'Simon', 'Elia', 'Obed', 'Marthen']
        : ['Maria', 'Yuliana', 'Ester', 'Martha', 'Ribka', 'Agustina', 'Debora', 'Selvi', 'Naomi', 'Yunita'],
    );
    return person.lineage ? `${given} ${person.lineage}` : given;
  },
};

export const NAMING_TRADITIONS: Readonly<Record<CommunityId, NamingTradition>> = {
  JAVANESE,
  SUNDANESE,
  RIAU_MALAY,
  PALEMBANG_MALAY,
  BUGIS_MANDAR,
  BALINESE,
  BATAK,
  CHINESE_INDONESIAN,
  TORAJA,
};
