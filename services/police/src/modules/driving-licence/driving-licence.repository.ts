import { asc, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { drivingLicences, type DrivingLicenceRow, type PoliceSchema } from '../../db/schema';

export async function findDrivingLicencesByNumber(db: Database<PoliceSchema>, numbers: readonly string[]): Promise<DrivingLicenceRow[]> {
  if (numbers.length === 0) return [];
  return db.select().from(drivingLicences).where(inArray(drivingLicences.number, [...numbers]));
}

/** Every licence held by any of the given citizens, in class order (A, B1, B2, C, D, as the enum declares them). */
export async function findDrivingLicencesOfCitizens(db: Database<PoliceSchema>, niks: readonly string[]): Promise<DrivingLicenceRow[]> {
  if (niks.length === 0) return [];
  return db
    .select()
    .from(drivingLicences)
    .where(inArray(drivingLicences.nik, [...niks]))
    .orderBy(asc(drivingLicences.class), asc(drivingLicences.number));
}
