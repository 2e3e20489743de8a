// Checks every world the tests generate must pass, whatever its size or seed.
import {
  formatNikBirthSegment,
  parseFamilyCardNumber,
  parseNib,
  parseNik,
  parseNop,
  parseNpwp,
  parsePassportNumber,
  parsePlateNumber,
  parseSimNumber,
} from '@simpul/identifiers';
import type { World } from '../src';

function duplicatesOf(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) duplicates.add(value);
    seen.add(value);
  }
  return [...duplicates];
}

/** Collects rule violations instead of failing on the first, so one run shows everything wrong. */
function failuresOf<T>(items: readonly T[], check: (item: T) => string | undefined): string[] {
  const failures: string[] = [];
  for (const item of items) {
    const failure = check(item);
    if (failure) failures.push(failure);
    if (failures.length >= 5) break;
  }
  return failures;
}

export function expectIdentifiersValid(world: World, today: string): void {
  const options = { today: new Date(`${today}T00:00:00Z`) };
  const citizenByNik = new Map(world.citizens.map((citizen) => [citizen.nik, citizen]));
  const regencyByCode = new Map(world.regencies.map((regency) => [regency.code, regency]));

  expect(
    failuresOf(world.citizens, (citizen) => {
      const parsed = parseNik(citizen.nik, options);
      if (!parsed.ok) return `${citizen.nik}: ${parsed.message}`;
      if (parsed.value.districtCode !== citizen.address.districtCode) return `${citizen.nik}: district differs from address`;
      if (parsed.value.birthDate !== citizen.birthDate || parsed.value.sex !== citizen.sex) return `${citizen.nik}: birth date or sex differs`;
      if (citizen.nik.slice(6, 12) !== formatNikBirthSegment(citizen.birthDate, citizen.sex)) return `${citizen.nik}: birth segment`;
      return undefined;
    }),
  ).toEqual([]);

  expect(
    failuresOf(world.familyCards, (card) => {
      const parsed = parseFamilyCardNumber(card.number, options);
      if (!parsed.ok) return `${card.number}: ${parsed.message}`;
      if (parsed.value.regionCode !== card.address.districtCode) return `${card.number}: region differs from address`;
      if (parsed.value.issuedOn !== card.issuedOn) return `${card.number}: issue date differs`;
      return undefined;
    }),
  ).toEqual([]);

  expect(
    failuresOf(world.taxpayers, (taxpayer) => {
      const parsed = parseNpwp(taxpayer.npwp, options);
      if (!parsed.ok) return `${taxpayer.npwp}: ${parsed.message}`;
      if (parsed.value.npwp !== taxpayer.npwp) return `${taxpayer.npwp}: not digits only`;
      if (parsed.value.kind === 'NIK_16' && (taxpayer.npwp !== taxpayer.nik || taxpayer.registeredOn < '2024-07-01')) {
        return `${taxpayer.npwp}: NIK-based NPWP must be the holder's NIK, registered since July 2024`;
      }
      if (parsed.value.kind === 'LEGACY_15' && taxpayer.registeredOn >= '2024-07-01') return `${taxpayer.npwp}: legacy NPWP registered after July 2024`;
      return undefined;
    }),
  ).toEqual([]);

  expect(failuresOf(world.businesses, (business) => (parseNib(business.nib).ok ? undefined : business.nib))).toEqual([]);

  expect(
    failuresOf(world.propertyTaxBills, (bill) => {
      const parsed = parseNop(bill.nop);
      if (!parsed.ok) return `${bill.nop}: ${parsed.message}`;
      const owner = citizenByNik.get(bill.ownerNik);
      if (parsed.value.regencyCode !== owner?.address.regencyCode) return `${bill.nop}: not in the owner's regency`;
      if (parsed.value.districtCode !== `${owner.address.districtCode}0`) return `${bill.nop}: not in the owner's district`;
      return undefined;
    }),
  ).toEqual([]);

  expect(
    failuresOf(world.vehicles, (vehicle) => {
      const parsed = parsePlateNumber(vehicle.plateNumber);
      if (!parsed.ok) return `${vehicle.plateNumber}: ${parsed.message}`;
      if (parsed.value.plateNumber !== vehicle.plateNumber) return `${vehicle.plateNumber}: not normalised`;
      const owner = citizenByNik.get(vehicle.ownerNik);
      const regency = owner && regencyByCode.get(owner.address.regencyCode);
      if (parsed.value.regionLetters !== regency?.platePrefix) return `${vehicle.plateNumber}: not the owner's regency prefix`;
      return undefined;
    }),
  ).toEqual([]);

  expect(
    failuresOf(world.drivingLicences, (licence) => {
      const parsed = parseSimNumber(licence.number);
      if (!parsed.ok) return `${licence.number}: ${parsed.message}`;
      const holder = citizenByNik.get(licence.nik);
      const birthMonthYear = holder ? `${holder.birthDate.slice(5, 7)}${holder.birthDate.slice(2, 4)}` : '';
      if (licence.number.slice(0, 4) !== birthMonthYear) return `${licence.number}: does not start with the holder's birth MMYY`;
      return undefined;
    }),
  ).toEqual([]);

  expect(
    failuresOf(world.passports, (passport) => {
      const parsed = parsePassportNumber(passport.number);
      return parsed.ok && parsed.value === passport.number ? undefined : passport.number;
    }),
  ).toEqual([]);
}

export function expectKeysUnique(world: World): void {
  expect(duplicatesOf(world.citizens.map((citizen) => citizen.nik))).toEqual([]);
  expect(duplicatesOf(world.familyCards.map((card) => card.number))).toEqual([]);
  expect(duplicatesOf(world.marriages.map((marriage) => marriage.id))).toEqual([]);
  expect(duplicatesOf(world.marriages.map((marriage) => marriage.certificateNumber))).toEqual([]);
  expect(duplicatesOf(world.businesses.map((business) => business.nib))).toEqual([]);
  expect(duplicatesOf(world.taxpayers.map((taxpayer) => taxpayer.npwp))).toEqual([]);
  expect(duplicatesOf(world.taxpayers.map((taxpayer) => taxpayer.nik))).toEqual([]);
  expect(duplicatesOf(world.propertyTaxBills.map((bill) => `${bill.nop}/${bill.year}`))).toEqual([]);
  expect(duplicatesOf(world.vehicles.map((vehicle) => vehicle.plateNumber))).toEqual([]);
  expect(duplicatesOf(world.vehicleTaxes.map((tax) => tax.plateNumber))).toEqual([]);
  expect(duplicatesOf(world.drivingLicences.map((licence) => licence.number))).toEqual([]);
  expect(duplicatesOf(world.drivingLicences.map((licence) => `${licence.nik}/${licence.class}`))).toEqual([]);
  expect(duplicatesOf(world.passports.map((passport) => passport.number))).toEqual([]);
  expect(duplicatesOf(world.applications.map((application) => application.id))).toEqual([]);
}

export function expectReferencesConsistent(world: World): void {
  const citizenByNik = new Map(world.citizens.map((citizen) => [citizen.nik, citizen]));
  const plates = new Set(world.vehicles.map((vehicle) => vehicle.plateNumber));
  const missing = (nik: string) => (citizenByNik.has(nik) ? undefined : nik);

  expect(failuresOf(world.businesses, (record) => missing(record.ownerNik))).toEqual([]);
  expect(failuresOf(world.taxpayers, (record) => missing(record.nik))).toEqual([]);
  expect(failuresOf(world.propertyTaxBills, (record) => missing(record.ownerNik))).toEqual([]);
  expect(failuresOf(world.vehicles, (record) => missing(record.ownerNik))).toEqual([]);
  expect(failuresOf(world.drivingLicences, (record) => missing(record.nik))).toEqual([]);
  expect(failuresOf(world.passports, (record) => missing(record.nik))).toEqual([]);
  expect(failuresOf(world.applications, (record) => missing(record.applicantNik))).toEqual([]);
  expect(failuresOf(world.vehicleTaxes, (tax) => (plates.has(tax.plateNumber) ? undefined : tax.plateNumber))).toEqual([]);
  expect(world.vehicleTaxes).toHaveLength(world.vehicles.length);

  expect(
    failuresOf(world.marriages, (marriage) => {
      const husband = citizenByNik.get(marriage.husbandNik);
      const wife = citizenByNik.get(marriage.wifeNik);
      if (!husband || !wife) return `${marriage.id}: spouse missing`;
      if (husband.sex !== 'MALE' || wife.sex !== 'FEMALE') return `${marriage.id}: sexes`;
      if (husband.maritalStatus !== 'MARRIED' || wife.maritalStatus !== 'MARRIED') return `${marriage.id}: not both MARRIED`;
      if (husband.religion !== 'ISLAM' || wife.religion !== 'ISLAM') return `${marriage.id}: KUA registers Muslim marriages only`;
      if (husband.familyCardNumber !== wife.familyCardNumber) return `${marriage.id}: spouses on different KKs`;
      if (marriage.kuaOffice !== `KUA Kecamatan ${husband.address.districtName}`) return `${marriage.id}: KUA office`;
      return undefined;
    }),
  ).toEqual([]);

  const membersByCard = new Map<string, typeof world.citizens>();
  for (const citizen of world.citizens) {
    const members = membersByCard.get(citizen.familyCardNumber) ?? [];
    members.push(citizen);
    membersByCard.set(citizen.familyCardNumber, members);
  }
  expect(membersByCard.size).toBe(world.familyCards.length);
  expect(
    failuresOf(world.familyCards, (card) => {
      const members = membersByCard.get(card.number) ?? [];
      const heads = members.filter((member) => member.familyRelationship === 'HEAD');
      if (heads.length !== 1 || heads[0]?.nik !== card.headNik) return `${card.number}: needs exactly its head`;
      if (members.some((member) => JSON.stringify(member.address) !== JSON.stringify(card.address))) return `${card.number}: members' addresses differ`;
      return undefined;
    }),
  ).toEqual([]);
}

export function expectDatesNotAfter(world: World, today: string): void {
  const pastDates = [
    ...world.citizens.map((citizen) => citizen.birthDate),
    ...world.familyCards.map((card) => card.issuedOn),
    ...world.marriages.map((marriage) => marriage.registeredAt),
    ...world.businesses.map((business) => business.issuedOn),
    ...world.taxpayers.map((taxpayer) => taxpayer.registeredOn),
    ...world.drivingLicences.map((licence) => licence.issuedOn),
    ...world.passports.map((passport) => passport.issuedOn),
    ...world.applications.map((application) => application.submittedAt.slice(0, 10)),
  ];
  expect(pastDates.filter((date) => date > today)).toEqual([]);
}
