import type { Language } from './i18n';

/**
 * The server's coded refusals (extensions.rule / code) in words, Bahasa Indonesia first. The
 * client-side checks use the same validators and the same rule codes (packages/identifiers), so a
 * refusal reads the same whether the browser or the server found it.
 */
const RULES: Record<string, Record<Language, string>> = {
  NIK_DIGITS: { id: 'NIK hanya boleh berisi angka.', en: 'A NIK contains digits only.' },
  NIK_LENGTH: { id: 'NIK harus tepat 16 angka.', en: 'A NIK is exactly 16 digits.' },
  NIK_PROVINCE: { id: 'Dua angka pertama NIK bukan kode provinsi Kemendagri.', en: 'The first two digits are not a Kemendagri province code.' },
  NIK_REGENCY: { id: 'Kode kabupaten/kota NIK (angka 3–4) tidak boleh 00.', en: 'The regency code (digits 3–4) must not be 00.' },
  NIK_DISTRICT: { id: 'Kode kecamatan NIK (angka 5–6) tidak boleh 00.', en: 'The district code (digits 5–6) must not be 00.' },
  NIK_REGION: { id: 'Kode wilayah NIK tidak ada dalam daftar wilayah Kemendagri.', en: 'The region code is not in the Kemendagri list.' },
  NIK_BIRTH_DATE: { id: 'Tanggal lahir dalam NIK (angka 7–12, DDMMYY; perempuan: tanggal + 40) tidak valid.', en: 'The birth date in the NIK (digits 7–12, DDMMYY; women: day + 40) is not valid.' },
  NIK_BIRTH_DATE_IN_FUTURE: { id: 'Tanggal lahir dalam NIK ada di masa depan.', en: 'The birth date in the NIK is in the future.' },
  NIK_SERIAL: { id: 'Nomor urut NIK (4 angka terakhir) tidak boleh 0000.', en: 'The serial (last 4 digits) must not be 0000.' },
  KK_DIGITS: { id: 'Nomor KK hanya boleh berisi angka.', en: 'A KK number contains digits only.' },
  KK_LENGTH: { id: 'Nomor KK harus tepat 16 angka.', en: 'A KK number is exactly 16 digits.' },
  KK_PROVINCE: { id: 'Dua angka pertama nomor KK bukan kode provinsi Kemendagri.', en: 'The first two digits are not a Kemendagri province code.' },
  KK_REGION: { id: 'Kode wilayah nomor KK tidak ada dalam daftar Kemendagri.', en: 'The region code of the KK number is not in the Kemendagri list.' },
  KK_ISSUE_DATE: { id: 'Tanggal terbit dalam nomor KK tidak valid.', en: 'The issue date in the KK number is not valid.' },
  KK_SERIAL: { id: 'Nomor urut KK tidak boleh 0000.', en: 'The KK serial must not be 0000.' },
  PLATE_FORMAT: { id: 'Nomor polisi berformat huruf wilayah, angka, huruf akhiran (mis. BM 1234 AB).', en: 'A plate is region letters, digits, suffix letters (e.g. BM 1234 AB).' },
  PLATE_REGION: { id: 'Kode wilayah nomor polisi tidak dikenal.', en: 'Unknown plate region code.' },
  PLATE_NUMBER: { id: 'Angka nomor polisi harus 1–4 angka dan bukan 0.', en: 'The plate number is 1–4 digits, not 0.' },
  PLATE_SUFFIX: { id: 'Huruf akhiran nomor polisi tidak valid.', en: 'The plate suffix is not valid.' },
  PASSPORT_LETTER: { id: 'Nomor paspor diawali satu huruf.', en: 'A passport number starts with a letter.' },
  PASSPORT_DIGITS: { id: 'Nomor paspor: satu huruf lalu angka.', en: 'A passport number is a letter then digits.' },
  PASSPORT_LENGTH: { id: 'Panjang nomor paspor tidak sesuai.', en: 'Wrong passport number length.' },
  NIK_NOT_REGISTERED: { id: 'NIK ini tidak terdaftar di Dukcapil.', en: 'This NIK is not in the civil registry.' },
  CITIZEN_DECEASED: { id: 'Warga ini tercatat telah meninggal.', en: 'This citizen is recorded as deceased.' },
  CITIZEN_UNDER_AGE: { id: 'Pemohon belum mencapai usia minimum layanan ini.', en: 'The applicant is under the minimum age of this service.' },
  INPUT_REQUIRED: { id: 'Wajib diisi.', en: 'Required.' },
  INPUT_UNKNOWN: { id: 'Isian ini tidak dikenal untuk layanan ini.', en: 'This input is unknown for this service.' },
  INPUT_DUPLICATE: { id: 'Isian ini terkirim dua kali.', en: 'This input was sent twice.' },
  INPUTS_NOT_DISTINCT: { id: 'NIK ini tidak boleh sama dengan NIK lain di permohonan.', en: 'This NIK must differ from the other NIKs of the application.' },
  CHOICE_UNKNOWN: { id: 'Pilihan tidak dikenal.', en: 'Unknown choice.' },
  DATE_FORMAT: { id: 'Tanggal harus berformat TTTT-BB-HH dan benar-benar ada.', en: 'A date is YYYY-MM-DD and must exist.' },
  DATE_IN_FUTURE: { id: 'Tanggal tidak boleh di masa depan.', en: 'The date must not be in the future.' },
  KBLI_FORMAT: { id: 'KBLI adalah 5 angka (KBLI 2020).', en: 'A KBLI code is 5 digits (KBLI 2020).' },
  KBLI_UNKNOWN: { id: 'Kode KBLI tidak dikenal.', en: 'Unknown KBLI code.' },
  TEXT_TOO_LONG: { id: 'Teks terlalu panjang.', en: 'The text is too long.' },
  TEXT_CONTROL_CHARACTER: { id: 'Teks berisi karakter kontrol yang tidak diizinkan.', en: 'The text contains control characters.' },
  TEXT_EMPTY: { id: 'Wajib diisi.', en: 'Required.' },
  UUID: { id: 'Nomor permohonan tidak valid.', en: 'Not a valid application number.' },
  PURPOSE_REQUIRED: { id: 'Pilih tujuan akses data terlebih dahulu.', en: 'Choose a purpose first.' },
  PURPOSE_NOT_APPLICABLE: { id: 'Tujuan ini tidak berlaku untuk warga atau data ini.', en: 'This purpose does not apply to this citizen or data.' },
  PURPOSE_NOT_ALLOWED_FOR_ROLE: { id: 'Peran Anda tidak boleh memakai dasar hukum ini.', en: 'Your role may not use this legal basis.' },
  FIELD_ACCESS: { id: 'Anda tidak berwenang melihat data ini.', en: 'You may not see this data.' },
  CIVIL_REGISTRY_UNAVAILABLE: { id: 'Dukcapil sedang tidak dapat dihubungi; coba lagi.', en: 'The civil registry cannot be reached; try again.' },
  RATE_LIMITED: { id: 'Terlalu banyak permintaan; tunggu sebentar.', en: 'Too many requests; wait a moment.' },
};

/** The words for a coded refusal; the server's own message when the code is new to the console. */
export function ruleMessage(rule: string | undefined, language: Language, fallback?: string): string {
  return (rule && RULES[rule]?.[language]) ?? fallback ?? rule ?? '';
}
