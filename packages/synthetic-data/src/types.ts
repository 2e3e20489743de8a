// The synthetic MPP world: one deterministic population whose records each service seeds its own slice of.
// Dates are ISO `YYYY-MM-DD` strings; money is whole rupiah (number).

export type Sex = 'MALE' | 'FEMALE';
export type MaritalStatus = 'SINGLE' | 'MARRIED' | 'DIVORCED' | 'WIDOWED';
export type Religion = 'ISLAM' | 'PROTESTANT' | 'CATHOLIC' | 'HINDU' | 'BUDDHIST' | 'CONFUCIAN' | 'OTHER';
export type FamilyRelationship = 'HEAD' | 'SPOUSE' | 'CHILD' | 'PARENT' | 'OTHER';

export interface Regency {
  /** Kemendagri code without dots, e.g. `1408` for Siak. */
  code: string;
  name: string;
  provinceCode: string;
  provinceName: string;
  /** Vehicle registration prefix, e.g. `BM`. */
  platePrefix: string;
  districts: { code: string; name: string }[];
}

export interface Address {
  street: string;
  rt: string; // 3 digits, e.g. "002"
  rw: string; // 3 digits
  village: string;
  districtCode: string; // 6 digits
  districtName: string;
  regencyCode: string; // 4 digits
  regencyName: string;
  provinceCode: string; // 2 digits
  provinceName: string;
  postalCode: string; // 5 digits
}

export interface SyntheticCitizen {
  nik: string;
  fullName: string;
  birthPlace: string;
  birthDate: string;
  sex: Sex;
  religion: Religion;
  maritalStatus: MaritalStatus;
  occupation: string;
  familyCardNumber: string;
  familyRelationship: FamilyRelationship;
  address: Address;
}

export interface SyntheticFamilyCard {
  number: string;
  headNik: string;
  issuedOn: string;
  address: Address;
}

export interface SyntheticMarriage {
  id: string; // UUID, deterministic
  husbandNik: string;
  wifeNik: string;
  registeredAt: string; // ISO date
  kuaOffice: string; // e.g. "KUA Kecamatan Siak"
  certificateNumber: string;
}

export type BusinessStatus = 'ACTIVE' | 'SUSPENDED' | 'REVOKED';
export interface SyntheticBusiness {
  nib: string;
  ownerNik: string;
  name: string;
  kbli: string; // 5-digit KBLI 2020 code
  kbliTitle: string;
  riskLevel: 'LOW' | 'MEDIUM_LOW' | 'MEDIUM_HIGH' | 'HIGH';
  status: BusinessStatus;
  issuedOn: string;
}

export interface SyntheticTaxpayer {
  npwp: string; // digits only: 15 (legacy) or 16 (NIK-based)
  nik: string;
  registeredOn: string;
}

export type BillStatus = 'UNPAID' | 'PAID' | 'OVERDUE';
export interface SyntheticPropertyTaxBill {
  nop: string; // 18 digits
  year: number;
  ownerNik: string;
  amount: number;
  status: BillStatus;
  dueOn: string;
}

export interface SyntheticVehicle {
  plateNumber: string; // normalised "BM 1234 AB"
  ownerNik: string;
  kind: 'MOTORCYCLE' | 'CAR';
  brand: string;
  model: string;
  manufactureYear: number;
  stnkExpiresOn: string;
}

export interface SyntheticVehicleTax {
  plateNumber: string;
  amount: number; // PKB due this year
  dueOn: string;
  status: BillStatus;
}

export type SimClass = 'A' | 'B1' | 'B2' | 'C' | 'D';
export interface SyntheticDrivingLicence {
  number: string; // 12 digits
  nik: string;
  class: SimClass;
  issuedOn: string;
  expiresOn: string;
}

export type PassportStatus = 'VALID' | 'EXPIRED' | 'REVOKED' | 'LOST';
export interface SyntheticPassport {
  number: string; // letter + 7 digits
  nik: string;
  status: PassportStatus;
  issuedOn: string;
  expiresOn: string;
  issuingOffice: string;
}

export type ApplicationType =
  | 'BUSINESS_START'
  | 'MARRIAGE_REGISTRATION'
  | 'ADDRESS_CHANGE'
  | 'BIRTH_REGISTRATION'
  | 'VEHICLE_ANNUAL_RENEWAL'
  | 'PASSPORT_APPLICATION';
export type ApplicationStatus = 'SUBMITTED' | 'IN_PROGRESS' | 'COMPLETED' | 'PARTIALLY_REJECTED' | 'REJECTED';
export interface SyntheticApplication {
  id: string; // UUID, deterministic
  type: ApplicationType;
  applicantNik: string;
  status: ApplicationStatus;
  submittedAt: string; // ISO timestamp
  mppOffice: string; // e.g. "MPP Banyuwangi"
}

export interface SampleCitizen {
  nik: string;
  fullName: string;
  /** Why this citizen is a good demo: which subgraphs have data for them. */
  highlights: string[];
}

export interface World {
  seed: number;
  regencies: Regency[];
  citizens: SyntheticCitizen[];
  familyCards: SyntheticFamilyCard[];
  marriages: SyntheticMarriage[];
  businesses: SyntheticBusiness[];
  taxpayers: SyntheticTaxpayer[];
  propertyTaxBills: SyntheticPropertyTaxBill[];
  vehicles: SyntheticVehicle[];
  vehicleTaxes: SyntheticVehicleTax[];
  drivingLicences: SyntheticDrivingLicence[];
  passports: SyntheticPassport[];
  applications: SyntheticApplication[];
  /** Three citizens with data in every subgraph (business, NPWP, PBB bill, vehicle, SIM, passport, marriage, application). */
  samples: SampleCitizen[];
}

export interface WorldOptions {
  /** Number of citizens (people in family cards). Default 2000. */
  citizens?: number;
  /** PRNG seed. Default 20171006 (MPP Banyuwangi's opening day). */
  seed?: number;
  /** "Today" for derived dates (ages, expiries, bill status). Default 2026-01-01, fixed so data is reproducible. */
  today?: string;
}
