import { formatNop, formatNpwp } from '@simpul/identifiers';
import type { SyntheticPropertyTaxBill, World } from '@simpul/synthetic-data';

// What the tax subgraph should answer, computed from the synthetic world rather than from its tables.

/** Legacy 15-digit NPWPs are shown dotted, NIK-based 16-digit ones as digits. */
export function npwpAnswer(digits: string): string {
  return digits.length === 15 ? formatNpwp(digits) : digits;
}

export function npwpOf(world: World, nik: string): string | null {
  const taxpayer = world.taxpayers.find((t) => t.nik === nik);
  return taxpayer ? npwpAnswer(taxpayer.npwp) : null;
}

export function propertyTaxBillAnswer(bill: SyntheticPropertyTaxBill) {
  return { nop: formatNop(bill.nop), year: bill.year, amount: bill.amount, status: bill.status, dueOn: bill.dueOn };
}

const newestYearFirst = (a: SyntheticPropertyTaxBill, b: SyntheticPropertyTaxBill) => b.year - a.year || (a.nop < b.nop ? -1 : a.nop > b.nop ? 1 : 0);

export function propertyTaxBillsOf(world: World, ownerNik: string) {
  return world.propertyTaxBills.filter((bill) => bill.ownerNik === ownerNik).sort(newestYearFirst).map(propertyTaxBillAnswer);
}

export function propertyTaxBillsByNop(world: World, nop: string) {
  return world.propertyTaxBills.filter((bill) => bill.nop === nop).sort(newestYearFirst).map(propertyTaxBillAnswer);
}

export function vehicleTaxOf(world: World, plateNumber: string) {
  const tax = world.vehicleTaxes.find((t) => t.plateNumber === plateNumber);
  return tax ? { amount: tax.amount, dueOn: tax.dueOn, status: tax.status } : null;
}
