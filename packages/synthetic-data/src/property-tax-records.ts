import { dayNumberOf } from './calendar';
import type { GenerationContext, Household } from './generation-context';
import type { BillStatus, SyntheticPropertyTaxBill } from './types';
import { SerialCounter } from './unique-numbers';

const YEARLY_INCREASE = 0.04;
const BILL_YEARS = 3;

/**
 * NOP of a property at the household's address: province, regency, district as three digits
 * (the Kemendagri district number followed by 0), village, block, serial, object type.
 */
function propertyNumber(household: Household, block: number, serials: SerialCounter): string {
  const { districtCode } = household.card.address;
  const prefix = `${districtCode.slice(0, 4)}${districtCode.slice(4)}0${String(household.villageIndex + 1).padStart(3, '0')}${String(block).padStart(3, '0')}`;
  return `${prefix}${serials.next(prefix, 4)}0`;
}

function billStatus(context: GenerationContext, dueOn: string, yearsAgo: number): BillStatus {
  if (dayNumberOf(dueOn) >= context.todayDay) return context.random.chance(0.15) ? 'PAID' : 'UNPAID';
  return context.random.chance(yearsAgo >= 2 ? 0.92 : 0.8) ? 'PAID' : 'OVERDUE';
}

/** Most household heads own the home they live in: one property and its PBB bills for this year and the two before. */
export function generatePropertyTaxBills(context: GenerationContext, households: readonly Household[]): SyntheticPropertyTaxBill[] {
  const { random } = context;
  const serials = new SerialCounter();
  const bills: SyntheticPropertyTaxBill[] = [];
  for (const household of households) {
    if (!household.isSample && !random.chance(0.8)) continue;
    const { profile } = household;
    const nop = propertyNumber(household, random.int(1, 25), serials);
    const [minimum, maximum] = profile.propertyTaxRange;
    // Log-uniform: many small plots, a few large ones.
    const baseAmount = minimum * Math.pow(maximum / minimum, random.next());
    const ownerNik = household.card.headNik;
    for (let yearsAgo = BILL_YEARS - 1; yearsAgo >= 0; yearsAgo -= 1) {
      const year = context.todayYear - yearsAgo;
      const dueOn = `${year}-${profile.propertyTaxDueMonthDay}`;
      bills.push({
        nop,
        year,
        ownerNik,
        amount: Math.round(baseAmount * Math.pow(1 + YEARLY_INCREASE, BILL_YEARS - 1 - yearsAgo)),
        status: billStatus(context, dueOn, yearsAgo),
        dueOn,
      });
    }
  }
  return bills;
}
