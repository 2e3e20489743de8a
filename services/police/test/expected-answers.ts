import type { SimClass, SyntheticDrivingLicence, SyntheticVehicle, World } from '@simpul/synthetic-data';

// What the police subgraph should answer, computed from the synthetic world rather than from its tables.

const SIM_CLASS_ORDER: readonly SimClass[] = ['A', 'B1', 'B2', 'C', 'D'];
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function drivingLicenceAnswer(licence: SyntheticDrivingLicence) {
  return { number: licence.number, class: licence.class, issuedOn: licence.issuedOn, expiresOn: licence.expiresOn };
}

export function vehicleAnswer(vehicle: SyntheticVehicle) {
  return {
    plateNumber: vehicle.plateNumber,
    kind: vehicle.kind,
    brand: vehicle.brand,
    model: vehicle.model,
    manufactureYear: vehicle.manufactureYear,
    stnkExpiresOn: vehicle.stnkExpiresOn,
    owner: { nik: vehicle.ownerNik },
  };
}

/** A citizen's SIMs in class order. */
export function drivingLicencesOf(world: World, nik: string) {
  return world.drivingLicences
    .filter((licence) => licence.nik === nik)
    .sort((a, b) => SIM_CLASS_ORDER.indexOf(a.class) - SIM_CLASS_ORDER.indexOf(b.class) || byCodeUnits(a.number, b.number))
    .map(drivingLicenceAnswer);
}

/** A citizen's vehicles, newest manufacture year first, then by plate number. */
export function vehiclesOf(world: World, nik: string) {
  return world.vehicles
    .filter((vehicle) => vehicle.ownerNik === nik)
    .sort((a, b) => b.manufactureYear - a.manufactureYear || byCodeUnits(a.plateNumber, b.plateNumber))
    .map(vehicleAnswer);
}
