import type { BusinessRow } from '../../db/schema';

/**
 * KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia, BPS regulation 2/2020): five-digit codes whose
 * first two digits are the division; divisions are grouped into sections A–U.
 */
export interface KbliSection {
  letter: string;
  title: string;
  /** First and last two-digit division of the section. */
  divisions: readonly [number, number];
}

export const KBLI_SECTIONS: readonly KbliSection[] = [
  { letter: 'A', title: 'Pertanian, Kehutanan dan Perikanan', divisions: [1, 3] },
  { letter: 'B', title: 'Pertambangan dan Penggalian', divisions: [5, 9] },
  { letter: 'C', title: 'Industri Pengolahan', divisions: [10, 33] },
  { letter: 'D', title: 'Pengadaan Listrik, Gas, Uap/Air Panas dan Udara Dingin', divisions: [35, 35] },
  { letter: 'E', title: 'Treatment Air, Treatment Air Limbah, Treatment dan Pemulihan Material Sampah, dan Aktivitas Remediasi', divisions: [36, 39] },
  { letter: 'F', title: 'Konstruksi', divisions: [41, 43] },
  { letter: 'G', title: 'Perdagangan Besar dan Eceran; Reparasi dan Perawatan Mobil dan Sepeda Motor', divisions: [45, 47] },
  { letter: 'H', title: 'Pengangkutan dan Pergudangan', divisions: [49, 53] },
  { letter: 'I', title: 'Penyediaan Akomodasi dan Penyediaan Makan Minum', divisions: [55, 56] },
  { letter: 'J', title: 'Informasi dan Komunikasi', divisions: [58, 63] },
  { letter: 'K', title: 'Aktivitas Keuangan dan Asuransi', divisions: [64, 66] },
  { letter: 'L', title: 'Real Estat', divisions: [68, 68] },
  { letter: 'M', title: 'Aktivitas Profesional, Ilmiah dan Teknis', divisions: [69, 75] },
  { letter: 'N', title: 'Aktivitas Penyewaan dan Sewa Guna Usaha Tanpa Hak Opsi, Ketenagakerjaan, Agen Perjalanan dan Penunjang Usaha Lainnya', divisions: [77, 82] },
  { letter: 'O', title: 'Administrasi Pemerintahan, Pertahanan dan Jaminan Sosial Wajib', divisions: [84, 84] },
  { letter: 'P', title: 'Pendidikan', divisions: [85, 85] },
  { letter: 'Q', title: 'Aktivitas Kesehatan Manusia dan Aktivitas Sosial', divisions: [86, 88] },
  { letter: 'R', title: 'Kesenian, Hiburan dan Rekreasi', divisions: [90, 93] },
  { letter: 'S', title: 'Aktivitas Jasa Lainnya', divisions: [94, 96] },
  { letter: 'T', title: 'Aktivitas Rumah Tangga sebagai Pemberi Kerja; Aktivitas yang Menghasilkan Barang dan Jasa oleh Rumah Tangga yang Digunakan untuk Memenuhi Kebutuhan Sendiri', divisions: [97, 98] },
  { letter: 'U', title: 'Aktivitas Badan Internasional dan Badan Ekstra Internasional Lainnya', divisions: [99, 99] },
];

/** An activity OSS registers here, with the risk tier a micro or small business in it usually gets. */
export interface KbliActivity {
  code: string;
  title: string;
  riskLevel: BusinessRow['riskLevel'];
}

const activities: readonly KbliActivity[] = [
  { code: '01111', title: 'Pertanian Jagung', riskLevel: 'LOW' },
  { code: '01262', title: 'Perkebunan Buah Kelapa Sawit', riskLevel: 'MEDIUM_LOW' },
  { code: '01270', title: 'Perkebunan Tanaman untuk Bahan Minuman', riskLevel: 'LOW' },
  { code: '03111', title: 'Penangkapan Pisces/Ikan Bersirip di Laut', riskLevel: 'MEDIUM_LOW' },
  { code: '10213', title: 'Industri Penggaraman/Pengeringan Ikan', riskLevel: 'MEDIUM_LOW' },
  { code: '10710', title: 'Industri Produk Roti dan Kue', riskLevel: 'MEDIUM_LOW' },
  { code: '10792', title: 'Industri Kue Basah', riskLevel: 'LOW' },
  { code: '10794', title: 'Industri Kerupuk, Keripik, Peyek dan Sejenisnya', riskLevel: 'LOW' },
  { code: '14111', title: 'Industri Pakaian Jadi (Konveksi) dari Tekstil', riskLevel: 'LOW' },
  { code: '16292', title: 'Industri Kerajinan Ukiran dari Kayu Bukan Mebeller', riskLevel: 'LOW' },
  { code: '31001', title: 'Industri Furnitur dari Kayu', riskLevel: 'MEDIUM_LOW' },
  { code: '45201', title: 'Reparasi Mobil', riskLevel: 'LOW' },
  { code: '45405', title: 'Reparasi dan Perawatan Sepeda Motor', riskLevel: 'LOW' },
  {
    code: '47111',
    title: 'Perdagangan Eceran Berbagai Macam Barang yang Utamanya Makanan, Minuman atau Tembakau di Minimarket/Supermarket/Hypermarket',
    riskLevel: 'MEDIUM_LOW',
  },
  {
    code: '47112',
    title: 'Perdagangan Eceran Berbagai Macam Barang yang Utamanya Makanan, Minuman atau Tembakau Bukan di Minimarket/Supermarket/Hypermarket (Tradisional)',
    riskLevel: 'LOW',
  },
  { code: '47711', title: 'Perdagangan Eceran Pakaian', riskLevel: 'LOW' },
  { code: '55130', title: 'Pondok Wisata', riskLevel: 'MEDIUM_LOW' },
  { code: '56101', title: 'Restoran', riskLevel: 'MEDIUM_LOW' },
  { code: '56102', title: 'Warung Makan', riskLevel: 'LOW' },
  { code: '56103', title: 'Kedai Makanan', riskLevel: 'LOW' },
  { code: '56303', title: 'Rumah Minum/Kafe', riskLevel: 'LOW' },
  { code: '62019', title: 'Aktivitas Pemrograman Komputer Lainnya', riskLevel: 'LOW' },
  { code: '79120', title: 'Aktivitas Biro Perjalanan Wisata', riskLevel: 'MEDIUM_LOW' },
  { code: '96111', title: 'Aktivitas Pangkas Rambut', riskLevel: 'LOW' },
  { code: '96112', title: 'Aktivitas Salon Kecantikan', riskLevel: 'LOW' },
];

export const KBLI_ACTIVITIES: ReadonlyMap<string, KbliActivity> = new Map(activities.map((activity) => [activity.code, activity]));

export type KbliLookup =
  | { ok: true; activity: KbliActivity; section: KbliSection }
  | { ok: false; rule: 'KBLI_FORMAT' | 'KBLI_DIVISION' | 'KBLI_UNKNOWN'; message: string };

/** The KBLI 2020 activity of a code, or why a citizen cannot register a business under it. */
export function lookUpKbli(input: string): KbliLookup {
  const code = input.trim();
  if (!/^\d{5}$/.test(code)) return { ok: false, rule: 'KBLI_FORMAT', message: `KBLI must be a 5-digit KBLI 2020 code (got "${code}")` };
  const division = Number(code.slice(0, 2));
  const section = KBLI_SECTIONS.find(({ divisions: [first, last] }) => division >= first && division <= last);
  if (!section) {
    return { ok: false, rule: 'KBLI_DIVISION', message: `KBLI ${code} is not a KBLI 2020 code: no KBLI section has division ${code.slice(0, 2)}` };
  }
  const activity = KBLI_ACTIVITIES.get(code);
  if (!activity) {
    return {
      ok: false,
      rule: 'KBLI_UNKNOWN',
      message: `KBLI ${code} is not a business activity OSS registers (section ${section.letter}, ${section.title}); check the code in the KBLI 2020 list`,
    };
  }
  return { ok: true, activity, section };
}
