import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { PoliceSchema } from './db/schema';
import { findDrivingLicencesByNumber, findDrivingLicencesOfCitizens } from './modules/driving-licence/driving-licence.repository';
import { findLatestStnkValidations, findVehiclesByPlateNumber, findVehiclesOfOwners } from './modules/vehicle/vehicle.repository';

/** Per-request batching: every NIK, plate or SIM number asked for in one request costs one query per relation. */
export function createLoaders(db: Database<PoliceSchema>) {
  return {
    drivingLicenceByNumber: oneByKeyLoader((numbers) => findDrivingLicencesByNumber(db, numbers), (l) => l.number),
    drivingLicencesByNik: manyByKeyLoader((niks) => findDrivingLicencesOfCitizens(db, niks), (l) => l.nik),
    vehicleByPlateNumber: oneByKeyLoader((plateNumbers) => findVehiclesByPlateNumber(db, plateNumbers), (v) => v.plateNumber),
    vehiclesByOwnerNik: manyByKeyLoader((niks) => findVehiclesOfOwners(db, niks), (v) => v.ownerNik),
    latestStnkValidationByPlateNumber: oneByKeyLoader((plateNumbers) => findLatestStnkValidations(db, plateNumbers), (v) => v.plateNumber),
  };
}

export type PoliceLoaders = ReturnType<typeof createLoaders>;
