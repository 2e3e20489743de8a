import type { SyntheticBusiness } from './types';

/** A KBLI 2020 activity with the risk level a small business in it usually gets in OSS RBA. */
export interface BusinessActivity {
  kbli: string;
  title: string;
  riskLevel: SyntheticBusiness['riskLevel'];
  /** `{}` is replaced by a name word or the owner's first name. */
  nameTemplates: readonly string[];
}

export const BUSINESS_ACTIVITIES: Readonly<Record<string, BusinessActivity>> = {
  '01262': { kbli: '01262', title: 'Perkebunan Buah Kelapa Sawit', riskLevel: 'MEDIUM_LOW', nameTemplates: ['Kebun Sawit {}', 'KUD {}'] },
  '01270': { kbli: '01270', title: 'Perkebunan Tanaman untuk Bahan Minuman', riskLevel: 'LOW', nameTemplates: ['Kebun Kopi {}', 'Kopi {}'] },
  '03111': { kbli: '03111', title: 'Penangkapan Pisces/Ikan Bersirip di Laut', riskLevel: 'MEDIUM_LOW', nameTemplates: ['UD {} Bahari', 'Perahu {}'] },
  '10213': { kbli: '10213', title: 'Industri Penggaraman/Pengeringan Ikan', riskLevel: 'MEDIUM_LOW', nameTemplates: ['Ikan Asin {}', 'UD {} Jaya'] },
  '10710': { kbli: '10710', title: 'Industri Produk Roti dan Kue', riskLevel: 'MEDIUM_LOW', nameTemplates: ['Roti {}', '{} Bakery'] },
  '10792': { kbli: '10792', title: 'Industri Kue Basah', riskLevel: 'LOW', nameTemplates: ['Kue Basah {}', 'Jajanan Pasar {}'] },
  '14111': { kbli: '14111', title: 'Industri Pakaian Jadi (Konveksi) dari Tekstil', riskLevel: 'LOW', nameTemplates: ['Konveksi {}', 'Jahit {}'] },
  '16292': { kbli: '16292', title: 'Industri Kerajinan Ukiran dari Kayu Bukan Mebeller', riskLevel: 'LOW', nameTemplates: ['Ukiran {}', '{} Art Shop'] },
  '45405': { kbli: '45405', title: 'Reparasi dan Perawatan Sepeda Motor', riskLevel: 'LOW', nameTemplates: ['Bengkel Motor {}', '{} Motor'] },
  '47111': {
    kbli: '47111',
    title: 'Perdagangan Eceran Berbagai Macam Barang yang Utamanya Makanan, Minuman atau Tembakau di Minimarket/Supermarket/Hypermarket',
    riskLevel: 'MEDIUM_LOW',
    nameTemplates: ['Minimarket {}', '{} Mart'],
  },
  '47112': {
    kbli: '47112',
    title: 'Perdagangan Eceran Berbagai Macam Barang yang Utamanya Makanan, Minuman atau Tembakau Bukan di Minimarket/Supermarket/Hypermarket (Tradisional)',
    riskLevel: 'LOW',
    nameTemplates: ['Toko Kelontong {}', 'Warung {}', 'Toko {}'],
  },
  '47711': { kbli: '47711', title: 'Perdagangan Eceran Pakaian', riskLevel: 'LOW', nameTemplates: ['Toko Pakaian {}', '{} Busana'] },
  '55130': { kbli: '55130', title: 'Pondok Wisata', riskLevel: 'MEDIUM_LOW', nameTemplates: ['{} Homestay', 'Pondok Wisata {}'] },
  '56101': { kbli: '56101', title: 'Restoran', riskLevel: 'MEDIUM_LOW', nameTemplates: ['Rumah Makan {}', 'Restoran {}'] },
  '56102': { kbli: '56102', title: 'Warung Makan', riskLevel: 'LOW', nameTemplates: ['Warung Makan {}', 'Warung {}'] },
  '56303': { kbli: '56303', title: 'Rumah Minum/Kafe', riskLevel: 'LOW', nameTemplates: ['Kedai Kopi {}', '{} Coffee'] },
  '79120': { kbli: '79120', title: 'Aktivitas Biro Perjalanan Wisata', riskLevel: 'MEDIUM_LOW', nameTemplates: ['{} Tour & Travel', 'Biro Wisata {}'] },
};

export const COMMON_BUSINESS_NAME_WORDS: readonly string[] = ['Berkah', 'Barokah', 'Sumber Rejeki', 'Jaya Abadi', 'Lestari', 'Sederhana', 'Makmur', 'Mandiri', 'Sejahtera', 'Harapan Baru'];
