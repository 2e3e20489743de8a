import type { SyntheticVehicle } from './types';

export interface VehicleModel {
  kind: SyntheticVehicle['kind'];
  brand: string;
  model: string;
  /** Rough yearly PKB of a new unit, in rupiah. */
  newVehicleTax: number;
  weight: number;
}

export const VEHICLE_MODELS: readonly VehicleModel[] = [
  { kind: 'MOTORCYCLE', brand: 'Honda', model: 'Beat', newVehicleTax: 240_000, weight: 22 },
  { kind: 'MOTORCYCLE', brand: 'Honda', model: 'Vario 125', newVehicleTax: 320_000, weight: 14 },
  { kind: 'MOTORCYCLE', brand: 'Honda', model: 'Scoopy', newVehicleTax: 300_000, weight: 8 },
  { kind: 'MOTORCYCLE', brand: 'Honda', model: 'PCX 160', newVehicleTax: 520_000, weight: 4 },
  { kind: 'MOTORCYCLE', brand: 'Honda', model: 'Supra X 125', newVehicleTax: 260_000, weight: 5 },
  { kind: 'MOTORCYCLE', brand: 'Yamaha', model: 'NMAX 155', newVehicleTax: 480_000, weight: 8 },
  { kind: 'MOTORCYCLE', brand: 'Yamaha', model: 'Mio M3', newVehicleTax: 230_000, weight: 8 },
  { kind: 'MOTORCYCLE', brand: 'Yamaha', model: 'Aerox 155', newVehicleTax: 430_000, weight: 4 },
  { kind: 'MOTORCYCLE', brand: 'Yamaha', model: 'Jupiter Z1', newVehicleTax: 250_000, weight: 4 },
  { kind: 'MOTORCYCLE', brand: 'Suzuki', model: 'Satria F150', newVehicleTax: 360_000, weight: 3 },
  { kind: 'MOTORCYCLE', brand: 'Kawasaki', model: 'KLX 150', newVehicleTax: 450_000, weight: 2 },
  { kind: 'CAR', brand: 'Toyota', model: 'Avanza', newVehicleTax: 3_200_000, weight: 16 },
  { kind: 'CAR', brand: 'Toyota', model: 'Kijang Innova', newVehicleTax: 5_400_000, weight: 7 },
  { kind: 'CAR', brand: 'Toyota', model: 'Rush', newVehicleTax: 3_900_000, weight: 5 },
  { kind: 'CAR', brand: 'Toyota', model: 'Calya', newVehicleTax: 2_200_000, weight: 6 },
  { kind: 'CAR', brand: 'Daihatsu', model: 'Xenia', newVehicleTax: 3_000_000, weight: 8 },
  { kind: 'CAR', brand: 'Daihatsu', model: 'Sigra', newVehicleTax: 2_100_000, weight: 6 },
  { kind: 'CAR', brand: 'Daihatsu', model: 'Gran Max Pick Up', newVehicleTax: 2_000_000, weight: 5 },
  { kind: 'CAR', brand: 'Honda', model: 'Brio', newVehicleTax: 2_400_000, weight: 6 },
  { kind: 'CAR', brand: 'Honda', model: 'HR-V', newVehicleTax: 5_800_000, weight: 3 },
  { kind: 'CAR', brand: 'Mitsubishi', model: 'Xpander', newVehicleTax: 4_300_000, weight: 7 },
  { kind: 'CAR', brand: 'Mitsubishi', model: 'L300 Pick Up', newVehicleTax: 2_600_000, weight: 3 },
  { kind: 'CAR', brand: 'Suzuki', model: 'Ertiga', newVehicleTax: 3_300_000, weight: 5 },
  { kind: 'CAR', brand: 'Suzuki', model: 'Carry Pick Up', newVehicleTax: 1_700_000, weight: 5 },
];

export const MOTORCYCLE_MODELS = VEHICLE_MODELS.filter((model) => model.kind === 'MOTORCYCLE').map((model) => [model, model.weight] as const);
export const CAR_MODELS = VEHICLE_MODELS.filter((model) => model.kind === 'CAR').map((model) => [model, model.weight] as const);
