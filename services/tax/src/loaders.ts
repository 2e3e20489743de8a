import { manyByKeyLoader, oneByKeyLoader, type Database } from '@simpul/service-kit';
import type { TaxSchema } from './db/schema';
import { findBusinessTaxpayersByNpwp } from './modules/business-taxpayer/business-taxpayer.repository';
import { findPropertyTaxBillsByNop, findPropertyTaxBillsOfOwners } from './modules/property-tax/property-tax.repository';
import { findTaxpayersByNik, findTaxpayersByNpwp } from './modules/taxpayer/taxpayer.repository';
import { findVehicleTaxesByPlateNumber } from './modules/vehicle-tax/vehicle-tax.repository';

/** Per-request batching: every NIK, NPWP, NOP or plate asked for in one request costs one query per relation. */
export function createLoaders(db: Database<TaxSchema>) {
  return {
    taxpayerByNpwp: oneByKeyLoader((npwps) => findTaxpayersByNpwp(db, npwps), (t) => t.npwp),
    taxpayerByNik: oneByKeyLoader((niks) => findTaxpayersByNik(db, niks), (t) => t.nik),
    businessTaxpayerByNpwp: oneByKeyLoader((npwps) => findBusinessTaxpayersByNpwp(db, npwps), (t) => t.npwp),
    propertyTaxBillsByOwnerNik: manyByKeyLoader((niks) => findPropertyTaxBillsOfOwners(db, niks), (b) => b.ownerNik),
    propertyTaxBillsByNop: manyByKeyLoader((nops) => findPropertyTaxBillsByNop(db, nops), (b) => b.nop),
    vehicleTaxByPlateNumber: oneByKeyLoader((plateNumbers) => findVehicleTaxesByPlateNumber(db, plateNumbers), (v) => v.plateNumber),
  };
}

export type TaxLoaders = ReturnType<typeof createLoaders>;
