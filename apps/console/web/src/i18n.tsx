import { createContext, useContext } from 'react';

export type Language = 'id' | 'en';

/** Every text of the console, Bahasa Indonesia first. */
const TEXTS = {
  appName: { id: 'Simpul Console', en: 'Simpul Console' },
  skipToContent: { id: 'Lompat ke isi', en: 'Skip to content' },
  language: { id: 'Bahasa', en: 'Language' },
  switchLanguage: { id: 'English', en: 'Bahasa Indonesia' },
  signIn: { id: 'Masuk', en: 'Sign in' },
  signOut: { id: 'Keluar', en: 'Sign out' },
  signingIn: { id: 'Sedang masuk…', en: 'Signing in…' },
  signInPrompt: { id: 'Masuk dengan akun realm Simpul Anda (petugas, supervisor, atau warga).', en: 'Sign in with your Simpul realm account (officer, supervisor or citizen).' },
  sessionExpired: { id: 'Sesi Anda berakhir. Silakan masuk lagi; Anda akan kembali ke layar ini.', en: 'Your session expired. Sign in again; you will come back to this screen.' },
  signedInAs: { id: 'Masuk sebagai', en: 'Signed in as' },
  navCounter: { id: 'Loket', en: 'Counter' },
  navFile: { id: 'Permohonan baru', en: 'New application' },
  navCitizen: { id: 'Data saya', en: 'My data' },
  navSupervisor: { id: 'Supervisor', en: 'Supervisor' },
  loading: { id: 'Memuat…', en: 'Loading…' },
  noRole: { id: 'Akun ini tidak punya peran untuk konsol ini.', en: 'This account has no role for this console.' },
  // Counter
  counterTitle: { id: 'Loket pelayanan', en: 'Service counter' },
  purposeTitle: { id: '1. Tujuan akses data', en: '1. Purpose of the data access' },
  purposeHelp: { id: 'Pilih dasar hukum atau permohonan sebelum mencari warga. Setiap akses dicatat dan dapat dilihat warga.', en: 'Choose a legal basis or an application before looking anyone up. Every access is recorded and the citizen can see it.' },
  purposeKind: { id: 'Jenis tujuan', en: 'Kind of purpose' },
  purposeLegalBasis: { id: 'Dasar hukum', en: 'Legal basis' },
  purposeApplication: { id: 'Permohonan', en: 'Application' },
  applicationId: { id: 'Nomor permohonan', en: 'Application number' },
  purposeChosen: { id: 'Tujuan', en: 'Purpose' },
  changePurpose: { id: 'Ubah tujuan', en: 'Change purpose' },
  usePurpose: { id: 'Gunakan tujuan ini', en: 'Use this purpose' },
  lookupTitle: { id: '2. Cari warga', en: '2. Look a citizen up' },
  nik: { id: 'NIK', en: 'NIK' },
  nikRule: { id: '16 angka: kode wilayah (6), tanggal lahir DDMMYY (perempuan: tanggal + 40), nomor urut (4).', en: '16 digits: region code (6), birth date DDMMYY (women: day + 40), serial (4).' },
  search: { id: 'Cari', en: 'Search' },
  notFound: { id: 'NIK ini tidak terdaftar di Dukcapil.', en: 'This NIK is not in the civil registry.' },
  fileForCitizen: { id: 'Ajukan permohonan untuk warga ini', en: 'File an application for this citizen' },
  // Profile sections
  sectionDukcapil: { id: 'Kependudukan (Dukcapil)', en: 'Civil registry (Dukcapil)' },
  sectionLicensing: { id: 'Perizinan berusaha (OSS)', en: 'Business licensing (OSS)' },
  sectionTax: { id: 'Pajak', en: 'Taxes' },
  sectionImmigration: { id: 'Imigrasi', en: 'Immigration' },
  sectionPolice: { id: 'Kepolisian (SIM dan kendaraan)', en: 'Police (licences and vehicles)' },
  sectionReligiousAffairs: { id: 'KUA (pernikahan)', en: 'KUA (marriages)' },
  sectionApplications: { id: 'Permohonan MPP', en: 'MPP applications' },
  unavailableDukcapil: { id: 'Data kependudukan sedang tidak tersedia.', en: 'Civil registry data is unavailable right now.' },
  unavailableLicensing: { id: 'Data perizinan sedang tidak tersedia.', en: 'Licensing data is unavailable right now.' },
  unavailableTax: { id: 'Data pajak sedang tidak tersedia.', en: 'Tax data is unavailable right now.' },
  unavailableImmigration: { id: 'Data imigrasi sedang tidak tersedia.', en: 'Immigration data is unavailable right now.' },
  unavailablePolice: { id: 'Data kepolisian sedang tidak tersedia.', en: 'Police data is unavailable right now.' },
  unavailableReligiousAffairs: { id: 'Data KUA sedang tidak tersedia.', en: 'KUA data is unavailable right now.' },
  unavailableApplications: { id: 'Data permohonan sedang tidak tersedia.', en: 'Application data is unavailable right now.' },
  forbiddenSection: { id: 'Anda tidak berwenang melihat data ini untuk tujuan ini.', en: 'You may not see this data for this purpose.' },
  none: { id: 'Tidak ada', en: 'None' },
  fullName: { id: 'Nama lengkap', en: 'Full name' },
  birth: { id: 'Tempat, tanggal lahir', en: 'Place and date of birth' },
  sex: { id: 'Jenis kelamin', en: 'Sex' },
  maritalStatus: { id: 'Status perkawinan', en: 'Marital status' },
  occupation: { id: 'Pekerjaan', en: 'Occupation' },
  address: { id: 'Alamat', en: 'Address' },
  familyCard: { id: 'Kartu Keluarga', en: 'Family card' },
  family: { id: 'Anggota keluarga', en: 'Family members' },
  relationship: { id: 'Hubungan', en: 'Relationship' },
  npwp: { id: 'NPWP', en: 'NPWP' },
  propertyTax: { id: 'PBB', en: 'Property tax (PBB)' },
  businesses: { id: 'Usaha (NIB)', en: 'Businesses (NIB)' },
  passports: { id: 'Paspor', en: 'Passports' },
  drivingLicences: { id: 'SIM', en: 'Driving licences' },
  vehicles: { id: 'Kendaraan', en: 'Vehicles' },
  marriages: { id: 'Pernikahan', en: 'Marriages' },
  applications: { id: 'Permohonan', en: 'Applications' },
  // Applications
  fileTitle: { id: 'Permohonan baru', en: 'New application' },
  applicantNik: { id: 'NIK pemohon', en: "Applicant's NIK" },
  applicationType: { id: 'Jenis layanan', en: 'Service' },
  mppOffice: { id: 'Kantor MPP', en: 'MPP office' },
  optional: { id: '(opsional)', en: '(optional)' },
  choose: { id: '— pilih —', en: '— choose —' },
  submit: { id: 'Ajukan', en: 'Submit' },
  submitting: { id: 'Mengajukan…', en: 'Submitting…' },
  fixErrors: { id: 'Periksa isian yang ditandai.', en: 'Check the marked fields.' },
  steps: { id: 'Rencana tugas', en: 'Task plan' },
  timeline: { id: 'Linimasa', en: 'Timeline' },
  live: { id: 'Langsung', en: 'Live' },
  documents: { id: 'Dokumen terbit', en: 'Documents issued' },
  receipt: { id: 'Tanda terima', en: 'Receipt' },
  printReceipt: { id: 'Cetak tanda terima', en: 'Print receipt' },
  applicationTitle: { id: 'Permohonan', en: 'Application' },
  status: { id: 'Status', en: 'Status' },
  participant: { id: 'Peserta', en: 'Participant' },
  due: { id: 'Tenggat', en: 'Due' },
  submittedAt: { id: 'Diajukan', en: 'Submitted' },
  slaBreached: { id: 'Melewati SLA', en: 'SLA breached' },
  // Citizen
  citizenTitle: { id: 'Data saya', en: 'My data' },
  myApplications: { id: 'Permohonan saya', en: 'My applications' },
  accessLogTitle: { id: 'Siapa yang mengakses data saya', en: 'Who accessed my data' },
  accessLogEmpty: { id: 'Belum ada akses tercatat.', en: 'No access recorded yet.' },
  accessRead: { id: 'melihat', en: 'viewed' },
  accessChange: { id: 'mengubah', en: 'changed' },
  accessFor: { id: 'untuk', en: 'for' },
  accessVia: { id: 'melalui aplikasi', en: 'through the app' },
  accessYou: { id: 'Anda sendiri', en: 'You yourself' },
  accessOfficer: { id: 'petugas', en: 'an officer' },
  accessSystem: { id: 'sistem', en: 'a system' },
  more: { id: 'Muat lebih banyak', en: 'Load more' },
  // Supervisor
  supervisorTitle: { id: 'Pemantauan permohonan', en: 'Application monitoring' },
  supervisorHelp: { id: 'Masukkan nomor permohonan untuk memantau; status diperbarui langsung.', en: 'Enter application numbers to follow; statuses update live.' },
  follow: { id: 'Pantau', en: 'Follow' },
  filterParticipant: { id: 'Peserta', en: 'Participant' },
  filterStatus: { id: 'Status', en: 'Status' },
  all: { id: 'Semua', en: 'All' },
  errorGeneric: { id: 'Terjadi kesalahan. Kode:', en: 'Something went wrong. Code:' },
} satisfies Record<string, Record<Language, string>>;

export type TextKey = keyof typeof TEXTS;

/** Enum values of the graph in words. */
const VALUES: Record<string, Record<Language, string>> = {
  SUBMITTED: { id: 'DIAJUKAN', en: 'SUBMITTED' },
  IN_PROGRESS: { id: 'DIPROSES', en: 'IN PROGRESS' },
  COMPLETED: { id: 'SELESAI', en: 'COMPLETED' },
  PARTIALLY_REJECTED: { id: 'DITOLAK SEBAGIAN', en: 'PARTIALLY REJECTED' },
  REJECTED: { id: 'DITOLAK', en: 'REJECTED' },
  PENDING: { id: 'MENUNGGU', en: 'PENDING' },
  ASSIGNED: { id: 'DITUGASKAN', en: 'ASSIGNED' },
  RECEIVED: { id: 'DITERIMA', en: 'RECEIVED' },
  IN_REVIEW: { id: 'DITINJAU', en: 'IN REVIEW' },
  APPROVED: { id: 'DISETUJUI', en: 'APPROVED' },
  CANCELLED: { id: 'DIBATALKAN', en: 'CANCELLED' },
  MALE: { id: 'Laki-laki', en: 'Male' },
  FEMALE: { id: 'Perempuan', en: 'Female' },
  SINGLE: { id: 'Belum kawin', en: 'Single' },
  MARRIED: { id: 'Kawin', en: 'Married' },
  DIVORCED: { id: 'Cerai hidup', en: 'Divorced' },
  WIDOWED: { id: 'Cerai mati', en: 'Widowed' },
  HEAD: { id: 'Kepala keluarga', en: 'Head' },
  SPOUSE: { id: 'Istri/suami', en: 'Spouse' },
  CHILD: { id: 'Anak', en: 'Child' },
  PARENT: { id: 'Orang tua', en: 'Parent' },
  OTHER: { id: 'Lainnya', en: 'Other' },
  PAID: { id: 'LUNAS', en: 'PAID' },
  UNPAID: { id: 'BELUM LUNAS', en: 'UNPAID' },
  OVERDUE: { id: 'TERLAMBAT', en: 'OVERDUE' },
  ACTIVE: { id: 'AKTIF', en: 'ACTIVE' },
  TASK_ASSIGNED: { id: 'Tugas dikirim', en: 'Task assigned' },
  TASK_STATUS: { id: 'Laporan peserta', en: 'Participant report' },
  TASK_CANCELLED: { id: 'Tugas dibatalkan', en: 'Task cancelled' },
  STATUS_CHANGED: { id: 'Status berubah', en: 'Status changed' },
  SLA_BREACHED: { id: 'SLA terlewati', en: 'SLA breached' },
  EXPLICIT_CONSENT: { id: 'Persetujuan eksplisit warga', en: "The citizen's explicit consent" },
  LEGAL_OBLIGATION: { id: 'Kewajiban hukum', en: 'Legal obligation' },
  VITAL_INTEREST: { id: 'Kepentingan vital', en: 'Vital interest' },
  PUBLIC_SERVICE_DELIVERY: { id: 'Penyelenggaraan pelayanan publik', en: 'Public service delivery' },
  CITIZEN_OWN_DATA_REQUEST: { id: 'Permintaan data sendiri', en: 'Own data request' },
  AUDIT_OVERSIGHT: { id: 'Pengawasan audit', en: 'Audit oversight' },
  MICRO: { id: 'Mikro', en: 'Micro' },
  SMALL: { id: 'Kecil', en: 'Small' },
  MEDIUM: { id: 'Menengah', en: 'Medium' },
  LARGE: { id: 'Besar', en: 'Large' },
};

export interface Translator {
  language: Language;
  t(key: TextKey): string;
  /** An enum value of the graph in words (the value itself when unknown). */
  value(value: string): string;
  date(iso: string): string;
}

export function translator(language: Language): Translator {
  const locale = language === 'id' ? 'id-ID' : 'en-GB';
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Jakarta' });
  const dateOnly = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return {
    language,
    t: (key) => TEXTS[key][language],
    value: (value) => VALUES[value]?.[language] ?? value,
    date: (iso) => {
      const parsed = new Date(iso);
      if (Number.isNaN(parsed.getTime())) return iso;
      return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? dateOnly.format(parsed) : dateTime.format(parsed);
    },
  };
}

export const I18nContext = createContext<Translator>(translator('id'));
export const useI18n = (): Translator => useContext(I18nContext);
