import { addYears, dayNumberOf, isoDateOfDay } from './calendar';
import { ADULT_AGE, randomDayBetween, type GenerationContext, type Resident } from './generation-context';
import type { BillStatus, SyntheticDrivingLicence, SyntheticVehicle, SyntheticVehicleTax } from './types';
import { drawUnique, SerialCounter } from './unique-numbers';
import { CAR_MODELS, MOTORCYCLE_MODELS, type VehicleModel } from './vehicle-models';

// I, O and Q are left out of plate letters to avoid confusion with 1 and 0.
const PLATE_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const STNK_YEARS = 5;
const SIM_YEARS = 5;
const YEARLY_DEPRECIATION = 0.03;

export interface VehicleRecords {
  vehicles: SyntheticVehicle[];
  vehicleTaxes: SyntheticVehicleTax[];
  drivingLicences: SyntheticDrivingLicence[];
  /** Kinds of vehicle each owner has, by NIK. */
  vehicleKindsByOwner: Map<string, Set<SyntheticVehicle['kind']>>;
}

function plateLetters(context: GenerationContext, count: number): string {
  let letters = '';
  for (let index = 0; index < count; index += 1) letters += context.random.pick(PLATE_LETTERS.split(''));
  return letters;
}

function drawPlateNumber(context: GenerationContext, prefix: string, taken: Set<string>): string {
  const { random } = context;
  return drawUnique(taken, () => {
    const number = random.chance(0.85) ? random.int(1000, 9999) : random.int(1, 999);
    // Three-letter series are a Jakarta (B) thing; the MPP regencies use one or two letters.
    const suffixLength = random.chance(0.25) ? 1 : 2;
    return `${prefix} ${number} ${plateLetters(context, suffixLength)}`;
  });
}

/** The first date in the yearly cycle of `anniversary` that falls within half a year of today. */
function nearestAnniversary(context: GenerationContext, anniversary: string): string {
  let candidate = `${context.todayYear}-${anniversary.slice(5)}`;
  if (candidate.endsWith('02-29')) candidate = `${context.todayYear}-02-28`;
  const day = dayNumberOf(candidate);
  if (day < context.todayDay - 182) return addYears(candidate, 1);
  if (day > context.todayDay + 182) return addYears(candidate, -1);
  return candidate;
}

function vehicleTaxStatus(context: GenerationContext, dueOn: string): BillStatus {
  const dueDay = dayNumberOf(dueOn);
  if (dueDay < context.todayDay) return context.random.chance(0.85) ? 'PAID' : 'OVERDUE';
  return context.random.chance(dueDay - context.todayDay <= 30 ? 0.3 : 0.12) ? 'PAID' : 'UNPAID';
}

export function createVehicle(
  context: GenerationContext,
  owner: Resident,
  kind: SyntheticVehicle['kind'],
  takenPlates: Set<string>,
): { vehicle: SyntheticVehicle; tax: SyntheticVehicleTax } {
  const { random } = context;
  const model: VehicleModel = random.weighted(kind === 'CAR' ? CAR_MODELS : MOTORCYCLE_MODELS);
  const manufactureYear = context.todayYear - 1 - Math.floor(Math.pow(random.next(), 1.4) * 17);
  const ownerAdultDay = owner.birthDay + Math.ceil(ADULT_AGE * 365.25);
  const boughtNewDay = randomDayBetween(context, dayNumberOf(`${manufactureYear}-01-01`), Math.min(context.todayDay, dayNumberOf(`${manufactureYear + 1}-12-31`)));
  const registeredOn = isoDateOfDay(Math.min(context.todayDay, Math.max(boughtNewDay, ownerAdultDay)));

  // The STNK is renewed every five years; a few owners have let theirs lapse for a few months.
  let stnkExpiresOn = addYears(registeredOn, STNK_YEARS);
  while (dayNumberOf(stnkExpiresOn) < context.todayDay - 120) stnkExpiresOn = addYears(stnkExpiresOn, STNK_YEARS);

  const plateNumber = drawPlateNumber(context, owner.household.profile.regency.platePrefix, takenPlates);
  const age = Math.max(0, context.todayYear - manufactureYear);
  const dueOn = nearestAnniversary(context, registeredOn);
  return {
    vehicle: { plateNumber, ownerNik: owner.citizen.nik, kind, brand: model.brand, model: model.model, manufactureYear, stnkExpiresOn },
    tax: {
      plateNumber,
      amount: Math.round((model.newVehicleTax * Math.pow(1 - YEARLY_DEPRECIATION, age)) / 100) * 100,
      dueOn,
      status: vehicleTaxStatus(context, dueOn),
    },
  };
}

export function createDrivingLicence(
  context: GenerationContext,
  holder: Resident,
  kind: SyntheticVehicle['kind'],
  serials: SerialCounter,
  recentOnly: boolean,
): SyntheticDrivingLicence {
  const { birthDate } = holder.citizen;
  const prefix = `${birthDate.slice(5, 7)}${birthDate.slice(2, 4)}${holder.household.profile.regency.code}`;
  const earliest = Math.max(holder.birthDay + Math.ceil(ADULT_AGE * 365.25), context.todayDay - (recentOnly ? 4 : 6) * 365);
  const issuedOn = isoDateOfDay(randomDayBetween(context, earliest, context.todayDay));
  return {
    number: `${prefix}${serials.next(prefix, 4)}`,
    nik: holder.citizen.nik,
    class: kind === 'CAR' ? 'A' : 'C',
    issuedOn,
    expiresOn: addYears(issuedOn, SIM_YEARS),
  };
}

/** About half of the adults own a vehicle (mostly motorcycles); most owners hold the matching SIM. */
export function generateVehicleRecords(context: GenerationContext, residents: readonly Resident[], sampleNiks: ReadonlySet<string>): VehicleRecords {
  const { random } = context;
  const records: VehicleRecords = { vehicles: [], vehicleTaxes: [], drivingLicences: [], vehicleKindsByOwner: new Map() };
  const takenPlates = new Set<string>();
  const licenceSerials = new SerialCounter();
  for (const resident of residents) {
    if (resident.ageYears < ADULT_AGE) continue;
    const isSample = sampleNiks.has(resident.citizen.nik);
    if (!isSample && !random.chance(0.5)) continue;
    const kinds = new Set<SyntheticVehicle['kind']>();
    const vehicleCount = random.chance(0.1) ? 2 : 1;
    for (let index = 0; index < vehicleCount; index += 1) {
      const kind = random.chance(resident.household.profile.carShare) ? 'CAR' : 'MOTORCYCLE';
      const { vehicle, tax } = createVehicle(context, resident, kind, takenPlates);
      records.vehicles.push(vehicle);
      records.vehicleTaxes.push(tax);
      kinds.add(kind);
    }
    records.vehicleKindsByOwner.set(resident.citizen.nik, kinds);
    for (const kind of kinds) {
      if (isSample || random.chance(0.85)) {
        records.drivingLicences.push(createDrivingLicence(context, resident, kind, licenceSerials, isSample));
      }
    }
  }
  return records;
}
