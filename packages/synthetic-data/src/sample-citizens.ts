import { formatNop, formatNpwp } from '@simpul/identifiers';
import type { Resident } from './generation-context';
import type { SampleCitizen, World } from './types';

type WorldRecords = Omit<World, 'seed' | 'regencies' | 'citizens' | 'familyCards' | 'samples'>;

/** What each subgraph holds for a demo citizen, as short sentences for a presenter. */
export function describeSampleCitizen(resident: Resident, records: WorldRecords): SampleCitizen {
  const { nik, fullName } = resident.citizen;
  const highlights: string[] = [];

  const business = records.businesses.find((candidate) => candidate.ownerNik === nik);
  if (business) highlights.push(`Business ${business.name}, NIB ${business.nib}, KBLI ${business.kbli} ${business.kbliTitle} (${business.status})`);

  const taxpayer = records.taxpayers.find((candidate) => candidate.nik === nik);
  if (taxpayer) {
    highlights.push(
      taxpayer.npwp.length === 15
        ? `NPWP ${formatNpwp(taxpayer.npwp)} (legacy, registered ${taxpayer.registeredOn})`
        : `NPWP is the NIK (registered ${taxpayer.registeredOn})`,
    );
  }

  const bills = records.propertyTaxBills.filter((candidate) => candidate.ownerNik === nik);
  const latestBill = bills[bills.length - 1];
  if (latestBill) highlights.push(`PBB NOP ${formatNop(latestBill.nop)}: ${bills.map((bill) => `${bill.year} ${bill.status}`).join(', ')}`);

  for (const vehicle of records.vehicles.filter((candidate) => candidate.ownerNik === nik)) {
    const tax = records.vehicleTaxes.find((candidate) => candidate.plateNumber === vehicle.plateNumber);
    highlights.push(`Vehicle ${vehicle.plateNumber}, ${vehicle.brand} ${vehicle.model} ${vehicle.manufactureYear}, PKB ${tax?.status ?? 'unknown'} due ${tax?.dueOn ?? '-'}`);
  }

  for (const licence of records.drivingLicences.filter((candidate) => candidate.nik === nik)) {
    highlights.push(`SIM ${licence.class} ${licence.number}, valid until ${licence.expiresOn}`);
  }

  for (const passport of records.passports.filter((candidate) => candidate.nik === nik)) {
    highlights.push(`Passport ${passport.number} (${passport.status}) from ${passport.issuingOffice}`);
  }

  const marriage = records.marriages.find((candidate) => candidate.husbandNik === nik || candidate.wifeNik === nik);
  if (marriage) highlights.push(`Marriage registered ${marriage.registeredAt} at ${marriage.kuaOffice}, certificate ${marriage.certificateNumber}`);

  for (const application of records.applications.filter((candidate) => candidate.applicantNik === nik)) {
    highlights.push(`Application ${application.type} at ${application.mppOffice}: ${application.status}`);
  }

  return { nik, fullName, highlights };
}
