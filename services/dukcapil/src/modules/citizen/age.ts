// Full years of age: one rule for every service (the applications service checks ages too).
export { ageOn } from '@simpul/identifiers';

/** The ISO date `years` after `isoDate` (29 February becomes 28 February in common years). */
export function addYears(isoDate: string, years: number): string {
  const year = Number(isoDate.slice(0, 4)) + years;
  const month = Number(isoDate.slice(5, 7));
  const day = Math.min(Number(isoDate.slice(8, 10)), new Date(Date.UTC(year, month, 0)).getUTCDate());
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function dayBefore(isoDate: string): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
